/**
 * The outbox sender against a hub that misbehaves: one drain is one bounded pass (a hub that
 * keeps timing out must not hold a publish for minutes), a refusal of the agency rather
 * than of a statement loses no statement, and a batch too large for the hub is split until it
 * passes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { ClientError, createHubClient, type HubClient } from '../clients/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import { importOfficers, importOutcomes } from '../import/index.js';
import type { LogView } from '../tlog/log-view.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { publishOutcomes } from '../publish/publish.js';
import { ATTESTATIONS_OUTBOX_KIND } from './attestations-item.js';
import { manualTimers } from '../../platform/lifecycle/test-support/manual-timers.js';
import type { LogFields } from '../../platform/logging/json-lines.js';
import {
  attestations,
  attestationsRepository,
  outbox,
  outboxRepository,
  outcomes,
  type NodeTables,
} from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { createKeyholderSet, pinnedKeySetOf } from '../tokenize/index.js';
import { AGENCY_REFUSAL_MIN_BACKOFF_MS } from './backoff.js';
import { createOutboxSender } from './sender.js';

const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10004,Nguyễn,Mai,,,1986-02-08,899-51-5915,,,Trần,2019-06-01,
`;
const OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
RPD-10004,IA-2024-0004,sustained_serious_misconduct,no,2024-09-28,2024-12-16,notice_sent,2025-01-07,yes,
`;
/** Raw identifier values of the files above, as a leak into the log would show them. */
const IDENTIFIERS = ['899-73-2759', '899732759', 'Ibáñez', 'Ramón', '1994-05-24', '700602'];

const POLICY = { baseBackoffMs: 2_000, maxBackoffMs: 3_600_000, leaseMs: 60_000 };
/** What the hub client's timeout costs each request (longer than DEFAULT_TIMEOUT_MS on purpose). */
const TIMEOUT_MS = 70_000;

let handle: DatabaseHandle<NodeTables>;
let world: World;

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
  expect((await importOutcomes(handle.db, OUTCOMES, options)).ok).toBe(true);
});

/** Moves the world's clock forward by `ms`. */
const advance = (ms: number) =>
  world.clock.set(new Date(world.clock.now().getTime() + ms).toISOString());

const noReceipts: Pick<LogView, 'verifyReceipt'> = {
  verifyReceipt: () => Promise.reject(new Error('no receipt was expected')),
};

/** `n` outbox items of one statement each (the hub below never reads the JWS). */
async function items(n: number): Promise<string[]> {
  const [outcome] = await handle.db.select().from(outcomes).limit(1);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `01956a00-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
    await attestationsRepository(handle.db).record(
      {
        id,
        outcomeId: outcome!.id,
        outcomeRevision: 1,
        statementStatus: 'final',
        epoch: 1,
        jws: `header.payload-${i}.signature`,
        supersedes: null,
      },
      world.clock.now(),
    );
    await outboxRepository(handle.db).enqueue(
      { kind: ATTESTATIONS_OUTBOX_KIND, payload: { attestationIds: [id] } },
      world.clock.now(),
    );
    ids.push(id);
  }
  return ids;
}

/** A hub that never answers: each request costs the client's whole timeout. */
function silentHub(options: { crashOnCall?: number } = {}) {
  const sent: string[] = [];
  const hub: Pick<HubClient, 'submitAttestations'> = {
    submitAttestations: async ({ attestations: batch }) => {
      sent.push(...(batch ?? []));
      if (sent.length === options.crashOnCall) throw new Error('the sender process died');
      advance(TIMEOUT_MS);
      throw new ClientError('TIMEOUT', `hub did not answer within ${TIMEOUT_MS} ms`, {
        service: 'hub',
        retryable: true,
      });
    },
  };
  return { hub, sent };
}

describe('one drain pass', () => {
  it('sends each item due when the pass started at most once, however long the hub takes', async () => {
    await items(8);
    const { hub, sent } = silentHub();
    const started = world.clock.now().getTime();
    const sender = createOutboxSender({
      db: handle.db,
      hub,
      now: world.clock.now,
      rng: seededRng('sender:timeouts'),
      policy: POLICY,
      receipts: noReceipts,
    });
    expect(await sender.drain()).toEqual({
      accepted: 0,
      duplicate: 0,
      rejected: 0,
      unverified: 0,
      retrying: 8,
    });
    expect(sent).toHaveLength(8);
    expect(new Set(sent).size).toBe(8);
    expect(world.clock.now().getTime() - started).toBe(8 * TIMEOUT_MS);
    const rows = await handle.db.select().from(outbox);
    expect(rows.map((r) => [r.state, r.attempts, r.lastError])).toEqual(
      Array.from({ length: 8 }, () => ['pending', 1, 'TIMEOUT']),
    );
    // The next pass takes up those whose backoff has run out, again each once.
    const before = sent.length;
    await sender.drain();
    const again = sent.slice(before);
    expect(again.length).toBeGreaterThan(0);
    expect(new Set(again).size).toBe(again.length);
  });

  it('leases the items it claims late in a pass from the moment it claims them', async () => {
    await items(8);
    // The fifth request never returns: its item and the three claimed with it stay leased.
    const { hub } = silentHub({ crashOnCall: 5 });
    const sender = createOutboxSender({
      db: handle.db,
      hub,
      now: world.clock.now,
      rng: seededRng('sender:lease'),
      policy: POLICY,
      receipts: noReceipts,
    });
    const started = world.clock.now().getTime();
    await expect(sender.drain()).rejects.toThrow('the sender process died');
    const claimedAt = started + 4 * TIMEOUT_MS;
    const rows = (await handle.db.select().from(outbox)).sort((a, b) => a.id - b.id);
    for (const row of rows.slice(4)) {
      expect(row.attempts).toBe(1);
      // Another replica must not take them while this one may still be sending.
      expect(row.nextAttemptAt.getTime()).toBe(claimedAt + POLICY.leaseMs);
    }
  });
});

/** Each entry answers one intake call instead of the hub: 'pass' forwards it. */
type Step = 'pass' | { status: number; code: string; field?: string; advanceMs?: number };

const problem = (status: number, code: string, field?: string) =>
  new Response(
    JSON.stringify({
      type: `tag:x:${code}`,
      title: code,
      status,
      detail: code,
      code,
      errors: field === undefined ? [] : [{ field, code: 'not_allowed', message: code }],
    }),
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

/** A hub (or proxy) that refuses with this answer any batch of more than `max` statements. */
interface SizeLimit {
  readonly max: number;
  readonly status: number;
  /** Without a code, an error page that is not a problem (a proxy's). */
  readonly code?: string;
  readonly field?: string;
}

/**
 * The node's outbox over the real hub client, with the hub's answers scripted; the batches the
 * hub was handed (the statements' JWS) are in `forwarded`.
 */
async function scriptedNode(script: Step[], limit?: SizeLimit) {
  let hubCalls = 0;
  const forwarded: string[][] = [];
  const scripted: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.pathname === '/v1/attestations') {
      hubCalls++;
      const step = script.shift() ?? 'pass';
      if (step !== 'pass') {
        advance(step.advanceMs ?? 0);
        return problem(step.status, step.code, step.field);
      }
      const body = JSON.parse(new TextDecoder().decode(init!.body as Uint8Array)) as {
        attestations: string[];
      };
      if (limit !== undefined && body.attestations.length > limit.max) {
        return limit.code === undefined
          ? new Response('<h1>Request Entity Too Large</h1>', {
              status: limit.status,
              headers: { 'content-type': 'text/html' },
            })
          : problem(limit.status, limit.code, limit.field);
      }
      forwarded.push(body.attestations);
    }
    return world.fetch(input, init);
  };
  const deps = clientDeps(world.city, scripted, world.clock.now);
  const keyholders = createKeyholderSet(
    { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
    deps,
  );
  const rng = seededRng('sender:scripted');
  const published = await publishOutcomes(
    {
      db: handle.db,
      keyholders,
      ori: world.city.entry.ori,
      key: world.city.key,
      now: world.clock.now,
      rng,
    },
    {},
  );
  const signed = (await handle.db.select().from(outcomes)).length;
  expect(published).toMatchObject({ signed, batches: 1 });
  const hub = createHubClient(HUB_URL, deps);
  const lines: { level: string; event: string; fields: LogFields }[] = [];
  const sender = createOutboxSender({
    db: handle.db,
    hub,
    now: world.clock.now,
    rng,
    policy: POLICY,
    receipts: testLogView(handle.db, hub, { now: world.clock.now }),
    log: (level, event, fields = {}) => lines.push({ level, event, fields }),
  });
  return { sender, lines, forwarded, hubCalls: () => hubCalls };
}

const statements = () => handle.db.select().from(attestations);

describe('a refusal that names no statement (the agency or the request)', () => {
  it.each([
    [401, 'AUTH_EXPIRED', undefined],
    [401, 'AUTH_UNKNOWN_KEY', undefined],
    [403, 'AGENCY_SUSPENDED', undefined],
    [403, 'ROLE_REQUIRED', undefined],
    [404, 'NOT_FOUND', undefined],
    [400, 'VALIDATION_FAILED', 'extra'],
  ])(
    'keeps every statement pending and retries after at least 15 minutes (%i %s)',
    async (status, code, field) => {
      const node = await scriptedNode([{ status, code, ...(field ? { field } : {}) }]);
      expect(await node.sender.drain()).toEqual({
        accepted: 0,
        duplicate: 0,
        rejected: 0,
        unverified: 0,
        retrying: 1,
      });
      expect((await statements()).map((s) => [s.delivery, s.rejectionCode])).toEqual([
        ['pending', null],
        ['pending', null],
      ]);
      const [item] = await handle.db.select().from(outbox);
      expect(item).toMatchObject({ state: 'pending', lastError: code, attempts: 1 });
      const wait = item!.nextAttemptAt.getTime() - world.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(AGENCY_REFUSAL_MIN_BACKOFF_MS);
      expect(wait).toBeLessThanOrEqual(POLICY.maxBackoffMs);

      const refused = node.lines.filter((l) => l.event === 'outbox_refused');
      expect(refused).toEqual([
        {
          level: 'warn',
          event: 'outbox_refused',
          fields: { item: item!.id, code, status, attempts: 1, delayMs: wait },
        },
      ]);
      const logged = JSON.stringify(node.lines).toLowerCase();
      for (const id of IDENTIFIERS) expect(logged).not.toContain(id.toLowerCase());

      // Not before its time; then, the cause fixed, the same statements go through.
      advance(AGENCY_REFUSAL_MIN_BACKOFF_MS - 1_000);
      expect(await node.sender.drain()).toMatchObject({ accepted: 0, retrying: 0 });
      expect(node.hubCalls()).toBe(1);
      world.clock.set(new Date(item!.nextAttemptAt.getTime()).toISOString());
      expect(await node.sender.drain()).toMatchObject({ accepted: 2, rejected: 0, retrying: 0 });
      expect((await statements()).map((s) => s.delivery)).toEqual(['accepted', 'accepted']);
      expect(world.hub.stored.size).toBe(2);
    },
  );

  it('backs off longer with each refusal, within the policy cap', async () => {
    const refusal = { status: 401, code: 'AUTH_EXPIRED' };
    const node = await scriptedNode([refusal, refusal, refusal, refusal, refusal]);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(await node.sender.drain()).toMatchObject({ retrying: 1, rejected: 0 });
      const [item] = await handle.db.select().from(outbox);
      waits.push(item!.nextAttemptAt.getTime() - world.clock.now().getTime());
      world.clock.set(item!.nextAttemptAt.toISOString());
    }
    expect(node.hubCalls()).toBe(5);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(AGENCY_REFUSAL_MIN_BACKOFF_MS);
    expect(Math.max(...waits)).toBeLessThanOrEqual(POLICY.maxBackoffMs);
    expect(waits.at(-1)!).toBeGreaterThan(waits[0]!);
    expect((await statements()).every((s) => s.delivery === 'pending')).toBe(true);
  });
});

describe('a refusal that names a statement', () => {
  it('rejects that statement for good and sends the others in the same pass, as time moves on', async () => {
    const node = await scriptedNode([
      {
        status: 422,
        code: 'EPOCH_UNKNOWN',
        field: 'attestations[1].tokens.epoch',
        advanceMs: 5_000,
      },
    ]);
    expect(await node.sender.drain()).toEqual({
      accepted: 1,
      duplicate: 0,
      rejected: 1,
      unverified: 0,
      retrying: 0,
    });
    expect(node.hubCalls()).toBe(2);
    const byDelivery = (await statements()).map((s) => [s.delivery, s.rejectionCode]).sort();
    expect(byDelivery).toEqual([
      ['accepted', null],
      ['rejected', 'EPOCH_UNKNOWN'],
    ]);
    expect(node.lines.filter((l) => l.event === 'outbox_refused')).toEqual([]);
  });
});

/** Six more outcomes of the officers above: with the two of OUTCOMES, a batch of eight. */
const MORE_OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
${Array.from({ length: 6 }, (_, i) => `RPD-1000${i % 2 === 0 ? 1 : 4},IA-2021-00${10 + i},sustained_serious_misconduct,no,2021-0${i + 1}-10,2021-0${i + 2}-20,final,2021-0${i + 3}-01,yes,`).join('\n')}
`;

describe('a refusal of the size of a batch', () => {
  it.each([
    { max: 3, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { max: 3, status: 400, code: 'VALIDATION_FAILED', field: 'attestations' },
    // A proxy's own error page, not a problem.
    { max: 1, status: 413 },
  ])(
    'splits a queued batch of 8 until the hub takes it, each statement accepted once (at most $max, else $status)',
    async (limit) => {
      expect((await importOutcomes(handle.db, MORE_OUTCOMES, { now: world.clock.now })).ok).toBe(
        true,
      );
      const node = await scriptedNode([], limit);
      const [queued] = await handle.db.select().from(outbox);
      expect((queued!.payload as { attestationIds: string[] }).attestationIds).toHaveLength(8);

      const totals = { accepted: 0, rejected: 0, retrying: 0 };
      for (let pass = 0; pass < 3; pass++) {
        const counts = await node.sender.drain();
        for (const k of ['accepted', 'rejected', 'retrying'] as const) totals[k] += counts[k];
      }
      // 8 → 4+4 → 2+2+2+2 (→ 1+1…): each split counted as an item retrying, none refused.
      const splits = limit.max === 1 ? 7 : 3;
      expect(totals).toEqual({ accepted: 8, rejected: 0, retrying: splits });
      const rows = await statements();
      expect(rows.map((s) => s.delivery)).toEqual(Array.from({ length: 8 }, () => 'accepted'));
      expect(world.hub.stored.size).toBe(8);
      // The hub was handed each statement exactly once, never more than it takes at a time.
      const sent = node.forwarded.flat();
      expect(sent.toSorted()).toEqual(rows.map((r) => r.jws).toSorted());
      expect(Math.max(...node.forwarded.map((b) => b.length))).toBeLessThanOrEqual(limit.max);
      // Nothing is left waiting; the split items are done, not dead.
      expect((await handle.db.select().from(outbox)).map((r) => r.state)).toEqual(
        Array.from({ length: 1 + 2 * splits }, () => 'done'),
      );

      const split = node.lines.filter((l) => l.event === 'outbox_split');
      expect(split).toHaveLength(splits);
      expect(split[0]).toEqual({
        level: 'warn',
        event: 'outbox_split',
        fields: {
          item: queued!.id,
          code: limit.code ?? 'HTTP_ERROR',
          statements: 8,
          into: [4, 4],
        },
      });
      expect(node.lines.filter((l) => l.event === 'outbox_refused')).toEqual([]);
      const logged = JSON.stringify(node.lines).toLowerCase();
      for (const id of IDENTIFIERS) expect(logged).not.toContain(id.toLowerCase());
    },
  );

  it('keeps a single statement too large pending with the long backoff: it cannot be split', async () => {
    const node = await scriptedNode([], { max: 0, status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await node.sender.drain()).toEqual({
      accepted: 0,
      duplicate: 0,
      rejected: 0,
      unverified: 0,
      retrying: 3,
    });
    expect(node.lines.filter((l) => l.event === 'outbox_split')).toHaveLength(1);
    expect((await statements()).map((s) => [s.delivery, s.rejectionCode])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    const waiting = (await handle.db.select().from(outbox)).filter((r) => r.state === 'pending');
    expect(waiting).toHaveLength(2);
    const refused = node.lines.filter((l) => l.event === 'outbox_refused');
    expect(refused.map((l) => l.fields.item).toSorted()).toEqual(
      waiting.map((r) => r.id).toSorted(),
    );
    for (const item of waiting) {
      expect((item.payload as { attestationIds: string[] }).attestationIds).toHaveLength(1);
      expect(item).toMatchObject({ lastError: 'PAYLOAD_TOO_LARGE', attempts: 1 });
      const wait = item.nextAttemptAt.getTime() - world.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(AGENCY_REFUSAL_MIN_BACKOFF_MS);
      expect(wait).toBeLessThanOrEqual(POLICY.maxBackoffMs);
    }
    // Not sent again before its time.
    advance(AGENCY_REFUSAL_MIN_BACKOFF_MS - 1_000);
    expect(await node.sender.drain()).toMatchObject({ accepted: 0, retrying: 0 });
    expect(node.hubCalls()).toBe(3);
    expect(world.hub.stored.size).toBe(0);
  });
});

describe('the sender loop', () => {
  it('drains at once, logs a drain that throws as outbox_failed, and drains again an interval later', async () => {
    await items(1);
    const { hub, sent } = silentHub({ crashOnCall: 1 });
    const lines: string[] = [];
    const t = manualTimers();
    const sender = createOutboxSender({
      db: handle.db,
      hub,
      now: world.clock.now,
      rng: seededRng('sender:loop'),
      policy: POLICY,
      receipts: noReceipts,
      log: (level, event, fields) => void lines.push(`${level} ${event} ${fields?.['error']}`),
      timers: t.timers,
    });
    const loop = sender.start(5_000);
    await vi.waitFor(() => expect([...t.pending.values()].map((p) => p.ms)).toEqual([5_000]));
    expect([sent.length, lines]).toEqual([1, ['error outbox_failed Error']]);
    // The crashed attempt's lease runs out; the next pass sends the item again.
    advance(POLICY.leaseMs + 1);
    t.fire();
    await vi.waitFor(() => expect(t.pending.size).toBe(1));
    expect(sent).toHaveLength(2);
    await loop.stop();
    expect(t.pending.size).toBe(0);
  });
});
