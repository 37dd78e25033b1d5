/**
 * Credentialing end to end in process, against the real hub app (hub/credentials):
 * - a node's "in process" affirmation (node/credentials/affirm.ts, what `spx node credential
 *   affirm` asks the node for) signed with the agency key, authenticated and checked by the hub,
 *   making the agency `in_process`;
 * - a credentialing body's `spx body` commands (body/cli.ts) issuing a credential to a file and
 *   to the hub, sending a file later with `spx body submit`, and revoking — each reflected in
 *   the hub's standing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { CliIo } from '../../platform/cli/cli-io.js';
import {
  enrollAgency,
  keyFromByte,
  useHubFixture,
  type TestAgency,
} from '../../hub/test-support.js';
import { bodiesService } from '../../hub/credentials/bodies.service.js';
import { credentialStandingSource } from '../../hub/credentials/credential-standing.js';
import { registryService } from '../../hub/registry/registry.service.js';
import { registerBodyCommands } from '../../body/cli.js';
import { affirmInProcess } from '../../node/credentials/affirm.js';
import { createHubClient, type HubClient } from '../../node/clients/hub-client.js';
import { seededRng } from '../../node/clients/test-support/deterministic.js';
import type { NodeTables } from '../../node/store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../../node/store/testing.js';
import { settingsRepository } from '../../node/store/settings.repository.js';
import { readKeyFile } from '../../platform/fs/key-file.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import { createNodeApp } from '../../node/service/app.js';
import { DEFAULT_CHECK_POLICY } from '../../node/config.js';

const fx = useHubFixture();
let node: DatabaseHandle<NodeTables>;
let agency: TestAgency;
let hub: HubClient;
let dir: string;

const fetchToHub: typeof fetch = async (input, init) =>
  fx.app.request(input instanceof Request ? input : new Request(input, init));

beforeAll(async () => {
  node = await openNodeTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'spx-credentials-'));
});
afterAll(async () => {
  await node?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await clearNodeStore(node.db);
  agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  hub = createHubClient('http://hub.test', {
    identity: { ori: agency.ori, key: agency.key },
    fetch: fetchToHub,
    now: () => fx.clock.now(),
    rng: seededRng('credentials-hub'),
  });
});

const standing = async (day: string) =>
  (await credentialStandingSource(fx.db, registryService(fx.db))([agency.ori], day)).get(
    agency.ori,
  );

describe("the chief's affirmation, node to hub", () => {
  const deps = () => ({
    db: node.db,
    hub,
    ori: agency.ori,
    key: agency.key,
    now: () => fx.clock.now(),
    rng: fx.rng,
  });

  it('is signed by the node, accepted by the hub, kept, and makes the agency in process', async () => {
    // The fixture's clock: 2026-05-01.
    expect((await standing('2026-05-01'))?.standing).toBe('none');
    const result = await affirmInProcess(deps(), {});
    expect(result).toMatchObject({
      affirmation: { issuer: agency.ori, affirmedOn: '2026-05-01' },
      validUntil: '2027-05-01',
      receipt: { status: 'accepted', validUntil: '2027-05-01' },
    });
    const kept = await settingsRepository(node.db).get('credential-affirmation:2026-05-01');
    expect(kept).toMatchObject({ receipt: { id: result.receipt.id } });
    expect(await standing('2026-05-01')).toMatchObject({
      standing: 'in_process',
      id: result.affirmation.id,
    });
    expect((await standing('2027-05-02'))?.standing).toBe('none');
    // A second affirmation of the same day: the hub's CONFLICT reaches the caller.
    await expect(affirmInProcess(deps(), {})).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it("is the node's POST /v1/credentials/affirmations route, refusals passed on", async () => {
    // Only what the route uses is real: the agency, its key, the hub client, the store.
    const app = createNodeApp({
      ...deps(),
      adminToken: 'admin-token-0123456789abcdef',
      keyholders: {} as never,
      outbox: {} as never,
      hubKeys: async () => [],
      policy: DEFAULT_CHECK_POLICY,
      log: createLogger(
        () => undefined,
        () => fx.clock.now(),
      ),
    });
    const post = (body: unknown) =>
      app.request('/v1/credentials/affirmations', {
        method: 'POST',
        headers: {
          authorization: 'Bearer admin-token-0123456789abcdef',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const ok = await post({ affirmedOn: '2026-04-15' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      affirmation: { affirmedOn: '2026-04-15' },
      validUntil: '2027-04-15',
      receipt: { status: 'accepted' },
    });
    const future = await post({ affirmedOn: '2026-05-02' });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({
      code: 'AFFIRMATION_DATE_INVALID',
      errors: [{ field: 'affirmedOn' }],
    });
    const bad = await post({ affirmedOn: 'yesterday' });
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const again = await post({ affirmedOn: '2026-04-15' });
    expect(again.status).toBe(502);
    expect(await again.json()).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a day in the future before signing anything', async () => {
    await expect(affirmInProcess(deps(), { affirmedOn: '2026-05-02' })).rejects.toMatchObject({
      code: 'AFFIRMATION_DATE_INVALID',
    });
  });
});

describe('spx body, against the hub', () => {
  // One sequence for the whole suite: each statement gets its own id.
  const rng = seededRng('spx-body');
  async function spx(args: string[]) {
    const out: string[] = [];
    const io: CliIo = {
      stdout: (t) => void out.push(t),
      stderr: () => undefined,
      now: () => fx.clock.now(),
    };
    const program = new Command('spx').exitOverride();
    registerBodyCommands(program, io, { rng, fetch: fetchToHub });
    await program.parseAsync(args, { from: 'user' });
    return out.join('');
  }

  it('issues, sends, submits a file later, and revokes', async () => {
    const keyFile = path.join(dir, `body-${Date.now()}.json`);
    const keygen = JSON.parse(await spx(['body', 'keygen', '--out', keyFile, '--json'])) as {
      publicJwk: unknown;
    };
    await bodiesService(fx.db).enroll(
      {
        id: 'calea',
        name: 'Example Accreditation Commission',
        jwk: keygen.publicJwk,
        contact: { name: 'Office', email: 'office@example.org', phone: '+15405550100' },
      },
      fx.clock.now(),
    );
    const common = ['--key', keyFile, '--body', 'calea', '--hub-url', 'http://hub.test'];
    const issued = JSON.parse(
      await spx([
        'body',
        'credential',
        'issue',
        ...common,
        '--ori',
        agency.ori,
        '--assessed-on',
        '2026-04-20',
        '--met',
        'use_of_force_policy_lawful,chokehold_ban,de_escalation_training',
        '--not-met',
        'early_warning_system',
        '--json',
      ]),
    ) as { id: string; receipt: { status: string; validUntil: string } };
    expect(issued.receipt).toMatchObject({ status: 'accepted', validUntil: '2029-04-20' });
    expect(await standing('2026-05-01')).toMatchObject({ standing: 'credentialed', id: issued.id });

    // Signed to a file on one machine, sent later.
    const file = path.join(dir, `credential-${Date.now()}.jws`);
    const offline = ['--key', keyFile, '--body', 'calea'];
    await spx([
      'body',
      'credential',
      'issue',
      ...offline,
      '--ori',
      agency.ori,
      '--assessed-on',
      '2026-04-25',
      '--met',
      'use_of_force_policy_lawful,chokehold_ban',
      '--out',
      file,
    ]);
    expect((await readFile(file, 'utf8')).trim().split('.')).toHaveLength(3);
    expect(
      await spx(['body', 'submit', ...offline, '--file', file, '--hub-url', 'http://hub.test']),
    ).toMatch(/^hub: accepted /);
    // The same file again: the hub's first receipt.
    expect(
      await spx(['body', 'submit', ...offline, '--file', file, '--hub-url', 'http://hub.test']),
    ).toMatch(/^hub: duplicate /);

    const revoked = await spx([
      'body',
      'credential',
      'revoke',
      ...common,
      '--credential',
      issued.id,
      '--reason',
      'standards_not_met',
    ]);
    expect(revoked).toContain('hub: accepted');
    // Revoked the earlier credential; the later one (2026-04-25) still counts.
    expect((await standing('2026-05-01'))?.standing).toBe('credentialed');
    expect((await standing('2026-05-01'))?.assessedOn).toBe('2026-04-25');
  });

  it('names a mistake before signing, and passes the hub’s refusal on with its code', async () => {
    const keyFile = path.join(dir, `body2-${Date.now()}.json`);
    await spx(['body', 'keygen', '--out', keyFile]);
    const base = [
      'body',
      'credential',
      'issue',
      '--key',
      keyFile,
      '--body',
      'calea',
      '--ori',
      agency.ori,
    ];
    await expect(
      spx([...base, '--assessed-on', '2026-04-20', '--met', 'use_of_force_policy_lawful']),
    ).rejects.toMatchObject({
      code: 'MANDATORY_STANDARD_MISSING',
      message: expect.stringContaining('credential.standards.chokehold_ban: required'),
    });
    await expect(
      spx([
        ...base,
        '--assessed-on',
        '2023-01-01',
        '--met',
        'use_of_force_policy_lawful,chokehold_ban',
      ]),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_EXPIRED' });
    // Not enrolled at the hub: the hub says only bodies issue credentials.
    await expect(
      spx([
        ...base,
        '--assessed-on',
        '2026-04-20',
        '--met',
        'use_of_force_policy_lawful,chokehold_ban',
        '--hub-url',
        'http://hub.test',
      ]),
    ).rejects.toMatchObject({ code: 'BODY_REQUIRED' });
    expect((await readKeyFile(keyFile)).kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
