/**
 * The operator API without a socket: operatorClient over the operator app's `request` must give
 * what localOperations gives on the same database — the same results and the same HubErrors
 * (code, field, every field error, message) — so that a command reads the same whichever way it
 * went. On both drivers, on the shared hub test database.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditRepository } from '../checks/audit.repository.js';
import type { EnrollmentInput } from '../registry/registry.service.js';
import {
  clearHubTables,
  keyFromByte,
  openHubTestDatabase,
  START,
  type HubTestHandle,
} from '../test-support.js';
import { mailboxService } from '../mailbox/mailbox.service.js';
import { localOperations, type HubOperations } from './operations.js';
import { operatorClient } from './operator.client.js';
import { createOperatorApp } from './operator.routes.js';

let handle: HubTestHandle;
let local: HubOperations;
let remote: HubOperations;
let logs: Record<string, unknown>[];
const now = () => new Date(START);

beforeAll(async () => {
  handle = await openHubTestDatabase();
  const signingKey = await keyFromByte(0xaa);
  local = localOperations(
    handle.db,
    now,
    () => Promise.resolve(mailboxService(handle.db, { signingKey })),
    { signingKey: () => Promise.resolve(signingKey) },
  );
  const app = createOperatorApp({
    operations: local,
    log: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
    now,
  });
  remote = operatorClient((request) => Promise.resolve(app.request(request)));
});
afterAll(() => handle?.close());
beforeEach(async () => {
  logs = [];
  await clearHubTables(handle.db);
});

async function enrollment(byte: number, patch: Partial<EnrollmentInput> = {}) {
  return {
    ori: 'CA0194200',
    name: 'Example City Police Department',
    jurisdiction: 'local',
    state: 'CA',
    roles: ['reporter', 'checker'],
    jwk: (await keyFromByte(byte)).publicJwk,
    contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
    ...patch,
  };
}

/** The error `work` throws, as what a caller may branch on and print. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (e) {
    const { name, code, field, message, errors } = e as Record<string, unknown>;
    return { name, code, field, message, errors };
  }
  throw new Error('expected a refusal');
}

describe('the operator API', () => {
  it('carries out each command as on the database, and lists what it did', async () => {
    const entry = await remote.enroll(await enrollment(1));
    expect(await local.listAgencies()).toEqual([entry]);
    expect(await remote.listAgencies()).toEqual([entry]);
    expect((await remote.setStatus('CA0194200', 'suspended')).status).toBe('suspended');
    const rotated = await remote.rotateKey('CA0194200', (await keyFromByte(2)).publicJwk);
    expect(rotated.keys.map((k) => k.status)).toEqual(['retired', 'active']);
    expect(await remote.listAgencies()).toEqual(await local.listAgencies());
    expect(await remote.epochStanding()).toEqual(await local.epochStanding());
  });

  it('returns the audit as the database holds it, dates included', async () => {
    const record = {
      checkId: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
      requester: 'TX2270100',
      checkedAt: new Date(START),
      purpose: 'hiring' as const,
      consentRef: 'consent-1',
      epoch: 1,
      keyCount: 3,
      outcome: 'answered' as const,
      matchCount: 0,
      matchedAttestationIds: [],
    };
    await auditRepository(handle.db).record(record);
    const query = { requester: 'TX2270100', limit: 10 };
    expect(await remote.audit(query)).toEqual(await local.audit(query));
    expect(await remote.audit(query)).toEqual([record]);
    expect(await remote.audit({ requester: 'CA0194200', limit: 10 })).toEqual([]);
  });

  it('refuses with the same HubError as on the database', async () => {
    await local.enroll(await enrollment(1));
    const cases: [string, (ops: HubOperations) => Promise<unknown>][] = [
      [
        'an invalid enrollment names every member',
        async (ops) =>
          ops.enroll(
            await enrollment(3, { ori: 'CA0194201', jurisdiction: 'county', roles: ['admin'] }),
          ),
      ],
      ['an enrolled ORI', async (ops) => ops.enroll(await enrollment(4))],
      ['a key in use', async (ops) => ops.enroll(await enrollment(1, { ori: 'CA0194201' }))],
      ['an unknown agency', (ops) => ops.setStatus('CA9999999', 'suspended')],
      ['an unusable key', (ops) => ops.rotateKey('CA0194200', { kty: 'RSA' })],
      [
        'an unknown statement',
        (ops) =>
          ops.expunge({
            attestationId: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
            orderRef: 'o',
            by: 'b',
          }),
      ],
      [
        'an order reference with a control character',
        (ops) =>
          ops.expunge({
            attestationId: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
            orderRef: 'a\nb',
            by: 'b',
          }),
      ],
    ];
    for (const [what, work] of cases) {
      const direct = await refusal(work(local));
      expect(direct.name, what).toBe('HubError');
      expect(await refusal(work(remote)), what).toEqual(direct);
    }
    expect(await local.listAgencies()).toHaveLength(1);
  });

  it('logs each command by route pattern, never the values it carried', async () => {
    await remote.enroll(await enrollment(1));
    await remote.setStatus('CA0194200', 'suspended');
    expect(logs.map((l) => [l['event'], l['method'], l['route'], l['status']])).toEqual([
      ['operator_request', 'POST', '/v1/agencies', 201],
      ['operator_request', 'PUT', '/v1/agencies/:ori/status', 200],
    ]);
    expect(JSON.stringify(logs)).not.toContain('CA0194200');
  });
});

describe('operatorClient', () => {
  const answering = (status: number, body: unknown) =>
    operatorClient(() =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/problem+json' },
        }),
      ),
    );

  it('reports a server error of the hub as OPERATOR_CHANNEL_FAILED, pointing at its log', async () => {
    const failed = await refusal(
      answering(500, { status: 500, code: 'INTERNAL_ERROR', detail: 'x' }).listAgencies(),
    );
    expect(failed).toMatchObject({ code: 'OPERATOR_CHANNEL_FAILED' });
    expect(failed.message).toContain('unhandled_error');
  });

  it('does not pass off a refusal it does not know as a HubError of the same code', async () => {
    const refused = await refusal(
      answering(400, { status: 400, code: 'VALIDATION_FAILED', detail: 'bad' }).listAgencies(),
    );
    expect(refused).toMatchObject({ code: 'OPERATOR_CHANNEL_FAILED' });
  });

  it('refuses an answer that is not what it reads (a hub of another version)', async () => {
    const odd = await refusal(answering(200, { agencies: [{ ori: 1 }] }).listAgencies());
    expect(odd).toMatchObject({ code: 'OPERATOR_CHANNEL_FAILED' });
  });
});
