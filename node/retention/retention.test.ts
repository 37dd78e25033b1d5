/**
 * The node's retention pass (docs/node.md "Retention") against an in-process hub and keyholder
 * set, with an injected clock: an outcome whose final decision is seven years old becomes
 * `expired` on its due day, only that statement is published, and the local detail is kept,
 * archived or deleted as configured — and a later import of the same case does not bring it
 * back.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createHubClient } from '../clients/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import type { RetentionAction } from '../config.js';
import { importOfficers, importOutcomes } from '../import/index.js';
import { createOutboxSender } from '../outbox/sender.js';
import { publishOutcomes } from '../publish/index.js';
import {
  attestations,
  outcomes,
  outcomesRepository,
  retentionRepository,
  retiredOutcomes,
  type NodeTables,
} from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { createKeyholderSet, pinnedKeySetOf } from '../tokenize/index.js';
import { registeredJurisdiction } from './jurisdiction.js';
import { runRetention } from './run-retention.js';

const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10004,Nguyễn,Mai,,,1986-02-08,899-51-5915,,,Trần,2019-06-01,
`;
const outcomesCsv = (secondStatus = 'notice_sent', secondDate = '2025-01-07') =>
  `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
RPD-10004,IA-2024-0004,sustained_serious_misconduct,no,2024-09-28,2024-12-16,${secondStatus},${secondDate},yes,
`;

let handle: DatabaseHandle<NodeTables>;
let world: World;
let runs = 0;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  const options = { now: world.clock.now };
  expect((await importOfficers(handle.db, OFFICERS, options)).ok).toBe(true);
  expect((await importOutcomes(handle.db, outcomesCsv(), options)).ok).toBe(true);
  const { publish, sender } = node('keep');
  expect(await publish({})).toMatchObject({ signed: 2 });
  expect(await sender.drain()).toMatchObject({ accepted: 2 });
});

function node(action: RetentionAction) {
  const deps = clientDeps(world.city, world.fetch, world.clock.now);
  const keyholders = createKeyholderSet(
    { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
    deps,
  );
  const rng = seededRng(`retention-test:${runs++}`);
  const hub = createHubClient(HUB_URL, deps);
  const ori = world.city.entry.ori;
  const publish = (options: Parameters<typeof publishOutcomes>[1]) =>
    publishOutcomes(
      { db: handle.db, keyholders, ori, key: world.city.key, now: world.clock.now, rng },
      options,
    );
  const sender = createOutboxSender({
    db: handle.db,
    hub,
    now: world.clock.now,
    rng,
    policy: { baseBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 60_000 },
    receipts: testLogView(handle.db, hub, { now: world.clock.now }),
  });
  const retention = () =>
    runRetention({
      db: handle.db,
      jurisdiction: () => registeredJurisdiction(hub, ori),
      action,
      publish,
      now: world.clock.now,
    });
  return { publish, sender, retention };
}

const statuses = async () =>
  (await handle.db.select().from(outcomes).orderBy(outcomes.id)).map((o) => [
    o.localRef,
    o.status,
    o.statusDate,
  ]);
const stored = (status: string) =>
  [...world.hub.stored.values()].filter((s) => s.payload.status === status);

describe('the retention pass', () => {
  it('leaves a final record alone the day before it is due', async () => {
    world.clock.set('2030-03-06T23:59:59Z');
    const { retention } = node('keep');
    expect(await retention()).toEqual({ expired: 0, published: 0, retired: 0, failed: [] });
    expect(stored('expired')).toEqual([]);
  });

  it('publishes the expired statement, dated on the due day, when the node runs late', async () => {
    world.clock.set('2030-05-20T08:00:00Z');
    const { retention, sender } = node('keep');
    expect(await retention()).toMatchObject({ expired: 1, published: 1, retired: 0 });
    await sender.drain();
    const [expired] = stored('expired');
    const final = stored('final')[0]!;
    expect(expired?.payload).toMatchObject({
      status: 'expired',
      statusDate: '2030-03-07',
      supersedes: final.payload.id,
      category: 'termination',
      tokens: final.payload.tokens,
    });
    expect(await statuses()).toEqual([
      ['IA-2022-0001', 'expired', '2030-03-07'],
      ['IA-2024-0004', 'notice_sent', '2025-01-07'],
    ]);
    // keep: nothing leaves; a second pass has nothing to do.
    expect(await retention()).toEqual({ expired: 0, published: 0, retired: 0, failed: [] });
    expect(await handle.db.select().from(retiredOutcomes)).toEqual([]);
    expect(await outcomesRepository(handle.db).countByStatus('expired')).toBe(1);
  });

  it('publishes only expired statements, not what an operator imported and has not published', async () => {
    world.clock.set('2030-03-07T12:00:00Z');
    const changed = await importOutcomes(handle.db, outcomesCsv('pending_appeal', '2025-02-01'), {
      now: world.clock.now,
    });
    expect(changed.ok && changed.summary.updated).toBe(1);
    const { retention, sender } = node('keep');
    expect(await retention()).toMatchObject({ expired: 1, published: 1 });
    await sender.drain();
    expect(stored('pending_appeal')).toEqual([]);
    expect(stored('expired')).toHaveLength(1);
  });

  it('archives the detail once the hub accepted the expired statement, and a re-import does not revive it', async () => {
    world.clock.set('2030-03-07T12:00:00Z');
    const { retention, sender, publish } = node('archive');
    // Not yet accepted: nothing is retired in the pass that publishes.
    expect(await retention()).toMatchObject({ expired: 1, published: 1, retired: 0 });
    await sender.drain();
    expect(await retention()).toMatchObject({ expired: 0, published: 0, retired: 1 });

    expect((await statuses()).map((s) => s[0])).toEqual(['IA-2024-0004']);
    const left = await handle.db.select().from(attestations);
    expect(left.map((a) => a.statementStatus)).toEqual(['notice_sent']);
    const [archived] = await retentionRepository(handle.db).archived();
    expect(archived).toMatchObject({ action: 'archive', expiredOn: '2030-03-07' });
    expect(archived!.archive).toMatchObject({
      employeeId: 'RPD-10001',
      outcome: { localRef: 'IA-2022-0001', category: 'termination', status: 'expired' },
      statements: [
        { status: 'final', delivery: 'accepted' },
        { status: 'expired', delivery: 'accepted' },
      ],
    });

    world.clock.set('2030-03-08T12:00:00Z');
    const again = await importOutcomes(handle.db, outcomesCsv(), { now: world.clock.now });
    expect(again).toMatchObject({ ok: true, summary: { inserted: 0, updated: 0, unchanged: 2 } });
    expect(await publish({})).toMatchObject({ considered: 0, signed: 0 });
  });

  it('deletes the detail, keeping only a digest of the case', async () => {
    world.clock.set('2030-03-07T12:00:00Z');
    const { retention, sender } = node('delete');
    await retention();
    await sender.drain();
    expect(await retention()).toMatchObject({ retired: 1 });
    const rows = await handle.db.select().from(retiredOutcomes);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'delete', archive: null, expiredOn: '2030-03-07' });
    const text = JSON.stringify(rows);
    for (const leak of ['RPD-10001', 'IA-2022-0001', 'termination'])
      expect(text).not.toContain(leak);
    expect(await retentionRepository(handle.db).countRetired()).toEqual({
      deleted: 1,
      archived: 0,
    });
    const again = await importOutcomes(handle.db, outcomesCsv(), { now: world.clock.now });
    expect(again).toMatchObject({ ok: true, summary: { inserted: 0, unchanged: 2 } });
  });

  it('keeps an expired outcome expired when the records system still lists it as final', async () => {
    world.clock.set('2030-03-07T12:00:00Z');
    const { retention, sender } = node('keep');
    await retention();
    await sender.drain();
    const again = await importOutcomes(handle.db, outcomesCsv(), { now: world.clock.now });
    expect(again).toMatchObject({ ok: true, summary: { updated: 0, unchanged: 2 } });
    const [expired] = await handle.db
      .select()
      .from(outcomes)
      .where(eq(outcomes.localRef, 'IA-2022-0001'));
    expect(expired).toMatchObject({ status: 'expired', attestedStatus: 'expired' });
  });

  it('does not run the clock of a record reopened by an appeal', async () => {
    const reopened = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,pending_appeal,2024-01-10,yes,
`;
    world.clock.set('2024-01-11T12:00:00Z');
    expect((await importOutcomes(handle.db, reopened, { now: world.clock.now })).ok).toBe(true);
    const { publish, sender, retention } = node('keep');
    await publish({});
    await sender.drain();
    world.clock.set('2040-01-01T00:00:00Z');
    expect(await retention()).toMatchObject({ expired: 0, published: 0 });
  });

  it('refuses to guess a rule when the hub does not list the agency', async () => {
    const hub = { agency: () => Promise.resolve(undefined) };
    await expect(registeredJurisdiction(hub, 'CA0194200')).rejects.toMatchObject({
      code: 'AGENCY_NOT_REGISTERED',
    });
  });
});
