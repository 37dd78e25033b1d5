/**
 * A new OPRF key epoch at the node (docs/protocol.md §4.8, docs/node.md "A new key epoch"):
 * publish re-states every current statement under the new epoch — the same content, the
 * officer's hub indexes under the new key — once, resumably, and leaves terminal records alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { isRestatement } from '../../protocol/attestation-lifecycle.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { createHubClient } from '../clients/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { clientDeps, routedFetch } from '../clients/test-support/federation.js';
import {
  keyholderFederation,
  type KeyholderFederation,
} from '../clients/test-support/keyholder-federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import { importOfficers, importOutcomes } from '../import/index.js';
import { createOutboxSender } from '../outbox/sender.js';
import { attestations, outcomes, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { createKeyholderSet, isTokenizeError, pinnedKeySetOf } from '../tokenize/index.js';
import { publishOutcomes, type PublishOptions } from './publish.js';

const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10004,Nguyễn,Mai,,,1986-02-08,899-51-5915,,,Trần,2019-06-01,
RPD-10007,Okafor,Chidi,,,1990-10-10,899-44-1234,,,,2018-01-08,2024-06-30
`;
const OUTCOMES_HEADER =
  'employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since\n';
const outcomesCsv = (lastStatus = 'final', lastDate = '2024-07-20') =>
  OUTCOMES_HEADER +
  'RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,\n' +
  'RPD-10004,IA-2024-0004,sustained_serious_misconduct,no,2024-09-28,2024-12-16,notice_sent,2025-01-07,yes,\n' +
  `RPD-10007,IA-2024-0007,termination,no,2024-05-02,2024-06-30,${lastStatus},${lastDate},yes,\n`;

let handle: DatabaseHandle<NodeTables>;
let world: World;
let epoch2: KeyholderFederation;
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
  // The keyholders open epoch 2: a new key, dealt 2-of-3 like epoch 1.
  epoch2 = keyholderFederation({
    threshold: 2,
    total: 3,
    registry: () => world.registry,
    now: world.clock.now,
    epoch: 2,
    seedLabel: 'oprf-seed-epoch-2',
    hostPrefix: 'keyholder-e2',
  });
  const options = { now: world.clock.now };
  expect((await importOfficers(handle.db, OFFICERS, options)).ok).toBe(true);
  expect((await importOutcomes(handle.db, outcomesCsv(), options)).ok).toBe(true);
});

/** The city's node, tokenizing under `keyholders`' epoch (its pinned key set). */
function node(keyholders: KeyholderFederation) {
  const fetch = routedFetch({ ...keyholders.apps, [HUB_URL]: world.hub.app });
  const deps = clientDeps(world.city, fetch, world.clock.now);
  const set = createKeyholderSet(
    { urls: keyholders.urls, pinned: pinnedKeySetOf(keyholders.keySet) },
    deps,
  );
  const rng = seededRng(`epoch-change:${runs++}`);
  const publish = (options: PublishOptions = {}) =>
    publishOutcomes(
      {
        db: handle.db,
        keyholders: set,
        ori: world.city.entry.ori,
        key: world.city.key,
        now: world.clock.now,
        rng,
      },
      options,
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
  return { publish, drain: () => sender.drain() };
}

/** Publishes everything under epoch 1 and lets the hub accept it; then the hub serves 1 and 2. */
async function publishedUnderEpoch1(): Promise<void> {
  const first = node(world.keyholders);
  expect(await first.publish()).toMatchObject({ epoch: 1, signed: 3, restated: 0 });
  expect(await first.drain()).toMatchObject({ accepted: 3 });
  world.hub.epochs = [1, 2];
  world.clock.set('2025-03-02T12:00:00Z');
}

const stored = () => [...world.hub.stored.values()].map((s) => s.payload);
const headsAt = (epoch: number) => {
  const superseded = new Set(stored().map((p) => p.supersedes));
  return stored().filter((p) => p.tokens.epoch === epoch && !superseded.has(p.id));
};

describe('publish after a new key epoch', () => {
  it('re-states every current statement under the new epoch: same content, new hub indexes', async () => {
    await publishedUnderEpoch1();
    const before = stored();
    const n = node(epoch2);
    expect(await n.publish()).toMatchObject({
      epoch: 2,
      considered: 3,
      signed: 3,
      restated: 3,
      failed: [],
    });
    expect(await n.drain()).toMatchObject({ accepted: 3, rejected: 0 });

    const restated = headsAt(2);
    expect(restated).toHaveLength(3);
    for (const next of restated) {
      const previous = before.find((p) => p.id === next.supersedes)!;
      expect(isRestatement(previous, next)).toBe(true);
      // Under the new key: the same kinds, none of the old indexes.
      expect(next.tokens.keys.map((k) => k.kind)).toEqual(previous.tokens.keys.map((k) => k.kind));
      const old = new Set(previous.tokens.keys.map((k) => k.index));
      expect(next.tokens.keys.some((k) => old.has(k.index))).toBe(false);
    }
    // The SSN key of the first officer is exactly what epoch 2's whole key gives.
    const ssn = epoch2.expectedIndex('SPX1|ssn|899732759');
    expect(restated.some((p) => p.tokens.keys.some((k) => k.index === ssn))).toBe(true);

    // Nothing left: a second run signs nothing.
    world.clock.set('2025-03-02T13:00:00Z');
    expect(await n.publish()).toMatchObject({ considered: 0, signed: 0, restated: 0 });
    expect(world.hub.stored.size).toBe(6);
  });

  it('resumes a run stopped half-way, re-stating each outcome once', async () => {
    await publishedUnderEpoch1();
    const n = node(epoch2);
    // The keyholders go down after the first page (one outcome per page).
    const stopped = await n
      .publish({
        pageSize: 1,
        onProgress: () => {
          for (const k of epoch2.keyholders) k.behaviour = 'unavailable';
        },
      })
      .catch((e: unknown) => e);
    expect(isTokenizeError(stopped)).toBe(true);
    const pending = await handle.db.select().from(attestations);
    expect(pending.filter((a) => a.epoch === 2).map((a) => a.delivery)).toEqual(['pending']);

    for (const k of epoch2.keyholders) k.behaviour = 'ok';
    expect(await n.publish()).toMatchObject({ considered: 2, signed: 2, restated: 2 });
    expect(await n.drain()).toMatchObject({ accepted: 3, rejected: 0 });
    expect(await n.publish()).toMatchObject({ considered: 0, signed: 0 });

    // One statement per outcome under epoch 2, each superseding that outcome's epoch-1 one.
    const rows = await handle.db.select().from(attestations);
    const underTwo = rows.filter((a) => a.epoch === 2);
    expect(underTwo).toHaveLength(3);
    expect(new Set(underTwo.map((a) => a.outcomeId)).size).toBe(3);
    expect(underTwo.every((a) => a.delivery === 'accepted')).toBe(true);
    const current = await handle.db.select().from(outcomes);
    expect(current.map((o) => o.currentAttestationId).sort()).toEqual(
      underTwo.map((a) => a.id).sort(),
    );
  });

  it('leaves a retracted record alone, and states a change together with the new tokens', async () => {
    await publishedUnderEpoch1();
    // Retracted before the changeover (under epoch 1): nothing supersedes a retraction.
    await importOutcomes(handle.db, outcomesCsv('retracted', '2025-03-02'), {
      now: world.clock.now,
    });
    const old = node(world.keyholders);
    expect(await old.publish()).toMatchObject({ epoch: 1, signed: 1, restated: 0 });
    expect(await old.drain()).toMatchObject({ accepted: 1 });

    // A change of status comes in with the changeover: one statement says both.
    world.clock.set('2025-03-03T12:00:00Z');
    const changed = outcomesCsv('retracted', '2025-03-02').replace(
      'notice_sent,2025-01-07',
      'final,2025-03-03',
    );
    await importOutcomes(handle.db, changed, { now: world.clock.now });
    const n = node(epoch2);
    expect(await n.publish()).toMatchObject({ considered: 2, signed: 2, restated: 1 });
    expect(await n.drain()).toMatchObject({ accepted: 2, rejected: 0 });
    expect(headsAt(2).map((p: AttestationPayload) => p.status)).toEqual(['final', 'final']);
    expect(headsAt(1).map((p) => p.status)).toEqual(['retracted']);
    expect(await n.publish()).toMatchObject({ considered: 0, signed: 0 });
  });

  it('publishes under the old epoch as before when the key set did not change', async () => {
    await publishedUnderEpoch1();
    expect(await node(world.keyholders).publish()).toMatchObject({ considered: 0, signed: 0 });
  });
});
