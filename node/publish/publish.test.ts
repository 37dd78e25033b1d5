import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { AttestationPayloadSchema } from '../../protocol/attestation.js';
import { decodeMessage } from '../../protocol/decode.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { createHubClient } from '../clients/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import { importOfficers, importOutcomes } from '../import/index.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { createOutboxSender } from '../outbox/sender.js';
import { attestations, outbox, officersRepository, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { createKeyholderSet, pinnedKeySetOf } from '../tokenize/index.js';
import { publishOutcomes } from './publish.js';

const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10004,Nguyễn,Mai,,,1986-02-08,899-51-5915,,,Trần,2019-06-01,
`;
const outcomesCsv = (status = 'final', statusDate = '2023-03-07') =>
  `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,${status},${statusDate},yes,
RPD-10004,IA-2024-0004,sustained_serious_misconduct,no,2024-09-28,2024-12-16,notice_sent,2025-01-07,yes,
`;
/** Raw identifier values of the file above, in the spellings a leak would show. */
const IDENTIFIERS = [
  '899-73-2759',
  '899732759',
  '899515915',
  'Ibáñez',
  'IBANEZ',
  'Nguy',
  'RAMON',
  'Ramón',
  '1994-05-24',
  '700602',
  'RPD-10001',
];

let handle: DatabaseHandle<NodeTables>;
let world: World;
let hubCalls: number;
let runs = 0;
/** Each entry answers one intake call instead of the hub: 'pass' forwards it. */
let script: ('pass' | 'unavailable' | 'lost' | 'reject-second' | 'forbidden')[];

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  hubCalls = 0;
  script = [];
  const options = { now: world.clock.now };
  expect((await importOfficers(handle.db, OFFICERS, options)).ok).toBe(true);
  expect((await importOutcomes(handle.db, outcomesCsv(), options)).ok).toBe(true);
});

const problem = (status: number, code: string, errors: unknown[] = [], headers = {}) =>
  new Response(
    JSON.stringify({ type: `tag:x:${code}`, title: code, status, detail: code, code, errors }),
    {
      status,
      headers: { 'content-type': 'application/problem+json', ...headers },
    },
  );

function node() {
  const scripted: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.pathname === '/v1/attestations') {
      hubCalls++;
      const step = script.shift() ?? 'pass';
      if (step === 'unavailable') return problem(503, 'UNAVAILABLE', [], { 'retry-after': '30' });
      if (step === 'reject-second') {
        const errors = [
          { field: 'attestations[1].tokens.epoch', code: 'not_allowed', message: 'epoch' },
        ];
        return problem(422, 'EPOCH_UNKNOWN', errors);
      }
      if (step === 'forbidden') return problem(403, 'ROLE_REQUIRED');
      if (step === 'lost') {
        await world.fetch(input, init); // the hub stores the batch, the answer never arrives
        throw new TypeError('fetch failed: socket hang up');
      }
    }
    return world.fetch(input, init);
  };
  const deps = clientDeps(world.city, scripted, world.clock.now);
  const keyholders = createKeyholderSet(
    { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
    deps,
  );
  const rng = seededRng(`publish-test:${runs++}`);
  const publish = (retryRejected = false) =>
    publishOutcomes(
      {
        db: handle.db,
        keyholders,
        ori: world.city.entry.ori,
        key: world.city.key,
        now: world.clock.now,
        rng,
      },
      { retryRejected },
    );
  const hub = createHubClient(HUB_URL, deps);
  const sender = createOutboxSender({
    db: handle.db,
    hub,
    now: world.clock.now,
    rng,
    policy: { baseBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 60_000 },
    receipts: testLogView(handle.db, hub, { now: world.clock.now }),
  });
  return { publish, sender };
}

const rows = () => handle.db.select().from(attestations);

describe('publish and outbox', () => {
  it('sends signed attestations that verify against the agency key and carry no identifier', async () => {
    const { publish, sender } = node();
    const result = await publish();
    expect(result).toMatchObject({ considered: 2, signed: 2, batches: 1, failed: [] });
    expect(await sender.drain()).toEqual({
      accepted: 2,
      duplicate: 0,
      rejected: 0,
      unverified: 0,
      retrying: 0,
    });
    expect(world.hub.stored.size).toBe(2);
    for (const { jws } of world.hub.stored.values()) {
      const verified = await verifyStatement(jws, {
        typ: STATEMENT_TYPES.attestation,
        resolveKey: (kid) => (kid === world.city.key.kid ? world.city.key.publicJwk : undefined),
      });
      expect(verified.ok).toBe(true);
      const payload = decodeMessage(
        AttestationPayloadSchema,
        verified.ok ? verified.value.payload : {},
      );
      expect(payload.issuer).toBe(world.city.entry.ori);
      expect(payload.localRef).toMatch(/^IA-20\d\d-000\d$/);
      const text = JSON.stringify(payload);
      for (const id of IDENTIFIERS) expect(text.toLowerCase()).not.toContain(id.toLowerCase());
    }
    const stored = await rows();
    expect(stored.map((r) => r.delivery)).toEqual(['accepted', 'accepted']);
    expect(stored.every((r) => (r.receipt as { status: string }).status === 'accepted')).toBe(true);
  });

  it('publishes nothing new when run again without changes', async () => {
    const { publish, sender } = node();
    await publish();
    await sender.drain();
    world.clock.set('2025-03-01T13:00:00Z');
    expect(await publish()).toMatchObject({ considered: 0, signed: 0 });
    expect(await sender.drain()).toMatchObject({ accepted: 0 });
    expect(world.hub.stored.size).toBe(2);
  });

  it('attests a status change as a new statement superseding the accepted one', async () => {
    const { publish, sender } = node();
    await publish();
    await sender.drain();
    const first = (await rows()).find((r) => r.statementStatus === 'final')!;
    world.clock.set('2025-03-02T12:00:00Z');
    const changed = await importOutcomes(handle.db, outcomesCsv('pending_appeal', '2025-03-02'), {
      now: world.clock.now,
    });
    expect(changed.ok && changed.summary.outcomesToAttest).toBe(1);
    expect(await publish()).toMatchObject({ signed: 1 });
    await sender.drain();
    const next = (await rows()).find((r) => r.statementStatus === 'pending_appeal')!;
    expect(next.supersedes).toBe(first.id);
    expect(world.hub.stored.get(next.id)?.payload.supersedes).toBe(first.id);
    expect(next.delivery).toBe('accepted');
  });

  it('reports an officer whose identifiers do not tokenize and publishes the others', async () => {
    const officers = officersRepository(handle.db);
    const bad = (await officers.findByEmployeeId('RPD-10004'))!;
    // Written around the importer, which would have refused the SSN: area 000 (§2.4).
    await officers.update(bad.id, { ...bad, ssn: '000-12-3456' }, world.clock.now());
    const { publish } = node();
    const result = await publish();
    expect(result.signed).toBe(1);
    expect(result.failed).toEqual([
      {
        outcomeId: expect.any(Number),
        employeeId: 'RPD-10004',
        caseNumber: 'IA-2024-0004',
        errors: [{ code: 'SSN_INVALID_AREA', field: 'ssn' }],
      },
    ]);
  });

  it('backs off on retryable failures, honouring Retry-After, then delivers each statement once', async () => {
    const { publish, sender } = node();
    await publish();
    script = ['unavailable', 'lost'];
    expect(await sender.drain()).toMatchObject({ accepted: 0, retrying: 1 });
    const [item] = await handle.db.select().from(outbox);
    expect(item!.nextAttemptAt.getTime() - world.clock.now().getTime()).toBeGreaterThanOrEqual(
      30_000,
    );
    expect(await sender.drain()).toMatchObject({ retrying: 0, accepted: 0 }); // not due yet
    world.clock.set('2025-03-01T12:01:00Z');
    expect(await sender.drain()).toMatchObject({ retrying: 1 }); // stored at the hub, answer lost
    world.clock.set('2025-03-01T12:10:00Z');
    expect(await sender.drain()).toEqual({
      accepted: 0,
      duplicate: 2,
      rejected: 0,
      unverified: 0,
      retrying: 0,
    });
    expect(hubCalls).toBe(3);
    expect(world.hub.stored.size).toBe(2);
    const [done] = await handle.db.select().from(outbox);
    expect(done).toMatchObject({ state: 'done', attempts: 3 });
    expect((await rows()).every((r) => r.delivery === 'accepted')).toBe(true);
  });

  it('rejects the statement a refusal names, keeps its field errors and resends the others', async () => {
    const { publish, sender } = node();
    await publish();
    script = ['reject-second'];
    expect(await sender.drain()).toEqual({
      accepted: 1,
      duplicate: 0,
      rejected: 1,
      unverified: 0,
      retrying: 0,
    });
    const byStatus = await rows();
    const rejected = byStatus.filter((r) => r.delivery === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.rejectionCode).toBe('EPOCH_UNKNOWN');
    expect(rejected[0]!.receipt).toMatchObject({
      problem: {
        code: 'EPOCH_UNKNOWN',
        status: 422,
        errors: [{ field: 'attestations[1].tokens.epoch' }],
      },
    });
    expect(world.hub.stored.size).toBe(1);
    // A refused revision is not signed again on every run, only when the operator asks.
    expect(await publish()).toMatchObject({ signed: 0, rejectedBefore: 1 });
    expect(await publish(true)).toMatchObject({ signed: 1 });
    expect(await sender.drain()).toMatchObject({ accepted: 1 });
    expect(world.hub.stored.size).toBe(2);
  });

  it('keeps every statement pending and retries the batch later when the agency itself is refused', async () => {
    const { publish, sender } = node();
    await publish();
    script = ['forbidden'];
    expect(await sender.drain()).toMatchObject({ rejected: 0, retrying: 1 });
    expect((await rows()).map((r) => [r.delivery, r.rejectionCode])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    const [item] = await handle.db.select().from(outbox);
    expect(item).toMatchObject({ state: 'pending', lastError: 'ROLE_REQUIRED' });
    // Nothing is signed again meanwhile: the statements still cover their outcomes.
    expect(await publish()).toMatchObject({ considered: 0, signed: 0 });
  });
});
