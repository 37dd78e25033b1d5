/**
 * Several hub replicas on one PostgreSQL (docs/transparency.md, "One writer, and crashes";
 * docs/hub.md; deploy/README.md): three `spx hub serve` processes share one database schema,
 * the signing key file and the log origin, each on its own port, each with its checkpointer
 * running every 300 ms. Two reporting agencies enrolled with `spx hub enroll` send concurrent
 * intake batches to all three (three clients per replica); meanwhile the same batch is sent
 * to two replicas at once a few times, and the operator enrolls, suspends and reinstates a
 * third agency with the CLI. One replica is SIGKILLed with batches in flight; the others keep
 * taking batches. Then, from the public endpoints of each surviving replica and the pinned key
 * only: one latest checkpoint, a log that verifies, each index handed out once, every receipt
 * re-proved at the final size, one checkpoint note per size whichever replica is asked, every
 * receipt checkpoint consistent with every other, and each statement in the log exactly once.
 *
 * Runs where SPX_E2E_POSTGRES_URL names a server (vitest.e2e.config.ts passes SPX_TEST_DATABASE_URL
 * on); the replicas use a fresh schema named like the test databases' (platform/db/test-db.ts,
 * so a killed run's schema is swept a day later), dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { DEFAULT_READ_CACHE_MS } from '../../hub/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import { rootFromLeaves } from '../../crypto/merkle/index.js';
import { ClientError } from '../../node/clients/client-error.js';
import { createHubClient } from '../../node/clients/hub-client.js';
import {
  statementLeafHash,
  verifyReceiptEvidence,
  type SentStatement,
} from '../../node/tlog/index.js';
import { testSchemaName } from '../../platform/db/test-db.js';
import type { IntakeReceipt } from '../../protocol/intake.js';
import { spx, type ServiceProcess } from '../../bin/demo/processes.js';
import {
  type AuditedLog,
  auditLog,
  type CrashHub,
  enrollReporter,
  expectDuplicatesAsAcknowledged,
  freshStatements,
  latestCheckpoint,
  logTrust,
  prepareHub,
  proveConsistency,
  proveInclusion,
  randomInt,
  type Reporter,
  reporterClient,
  resubmitAll,
  type Resubmitted,
  rng,
  type SentBatch,
  verifiedHead,
  expectEachStatementOnce,
} from './crash-support.js';

const POSTGRES_URL = process.env['SPX_E2E_POSTGRES_URL'];
const ORIGIN = 'replica-test.spx.invalid/hub-log';
const REPLICAS = 3;
/** The replica that is SIGKILLed; the others survive. */
const VICTIM = 2;
const CLIENTS_PER_REPLICA = 3;
const MAX_BATCH = 8;
/** A client's pause between batches, at most: the load spans the CLI's registry changes. */
const MAX_PAUSE_MS = 100;
/** Kill once this many batches were acknowledged in all… */
const KILL_AFTER_RECEIPTS = 60;
/** …and go on until the survivors acknowledged this many more. */
const RECEIPTS_AFTER_KILL = 20;
/** Rounds of one batch sent to two replicas at once. */
const RACE_ROUNDS = 4;
const LOAD_DEADLINE_MS = 40_000;
/** Parallel proof requests per replica while auditing. */
const PROOF_CONCURRENCY = 6;
const THIRD_AGENCY = { ori: 'NM0029900', name: 'Replica Test County Sheriff' };

interface Replica {
  readonly n: number;
  readonly service: ServiceProcess;
  readonly logFile: string;
  /** Requests waiting for this replica's answer. */
  inFlight: number;
  killed: boolean;
}

let dir: string;
let schema: string;
let hub: CrashHub;
const replicas: Replica[] = [];
const survivors = (): Replica[] => replicas.filter((r) => r.n !== VICTIM);

/** Load batches; `run` is the replica that received the batch. */
const loadBatches: SentBatch[] = [];
/** Each round: one batch, sent to every survivor at the same moment. */
const raceRounds: SentBatch[][] = [];
/** The third agency's batches while suspended (one per survivor), then once reinstated. */
const suspendedBatches: SentBatch[] = [];
const reinstatedBatches: SentBatch[] = [];
/** The batch whose signed request is replayed to another replica. */
const probeBatches: SentBatch[] = [];
let thirdAgency: Reporter | undefined;
/** The settled checkpoint's size after the reinstatement, before any more intake. */
let afterReinstatement = 0;
const kill = { inFlight: 0, exitCode: null as number | null, receiptsAfter: 0 };
/** The most replicas that had a request in flight at one moment. */
let peakBusyReplicas = 0;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(2);
}

async function send(
  replica: Replica,
  reporter: Reporter,
  statements: readonly SentStatement[],
  into: SentBatch[],
): Promise<SentBatch> {
  const batch: SentBatch = {
    run: replica.n,
    ori: reporter.ori,
    statements,
    outcome: { kind: 'pending' },
  };
  into.push(batch);
  replica.inFlight++;
  peakBusyReplicas = Math.max(peakBusyReplicas, replicas.filter((r) => r.inFlight > 0).length);
  try {
    const receipt = await reporterClient(reporter, replica.service.url).submitAttestations({
      attestations: statements.map((s) => s.jws),
    });
    batch.outcome = { kind: 'acknowledged', receipt };
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    batch.outcome = { kind: 'failed', code: e.code, status: e.status };
  } finally {
    replica.inFlight--;
  }
  return batch;
}

/** Load on every replica, the races, the registry changes and the kill, all at once. */
async function runScenario(): Promise<void> {
  let stop = false;
  let acknowledged = 0;
  const victim = replicas[VICTIM]!;
  const deadline = setTimeout(() => (stop = true), LOAD_DEADLINE_MS);

  const client = async (replica: Replica, reporter: Reporter) => {
    while (!stop && !replica.killed) {
      const statements = await freshStatements(reporter, randomInt(1, MAX_BATCH));
      const batch = await send(replica, reporter, statements, loadBatches);
      if (batch.outcome.kind === 'acknowledged') {
        acknowledged++;
        if (victim.killed && replica !== victim) kill.receiptsAfter++;
      } else if (!replica.killed) {
        stop = true; // a refusal the kill does not explain: the tests report it
      }
      await sleep(randomInt(0, MAX_PAUSE_MS));
    }
  };

  const killVictim = async () => {
    await until(() => acknowledged >= KILL_AFTER_RECEIPTS || stop);
    await until(() => victim.inFlight > 0 || stop);
    victim.killed = true;
    kill.inFlight = victim.inFlight;
    process.kill(victim.service.pid!, 'SIGKILL');
    kill.exitCode = await victim.service.stop();
  };

  const race = async () => {
    for (let round = 0; round < RACE_ROUNDS && !stop; round++) {
      await sleep(randomInt(100, 600));
      const reporter = hub.reporters[round % hub.reporters.length]!;
      const statements = await freshStatements(reporter, randomInt(2, MAX_BATCH));
      const copies: SentBatch[] = [];
      raceRounds.push(copies);
      await Promise.all(survivors().map((r) => send(r, reporter, statements, copies)));
    }
  };

  const changeRegistry = async () => {
    await until(() => acknowledged >= 3 || stop);
    const third = await enrollReporter(dir, hub.databaseEnv, THIRD_AGENCY);
    thirdAgency = third;
    await spx(['hub', 'suspend', '--ori', third.ori], hub.databaseEnv);
    for (const r of survivors()) {
      await send(r, third, await freshStatements(third, 2), suspendedBatches);
    }
  };

  const clients = replicas.flatMap((replica) =>
    Array.from({ length: CLIENTS_PER_REPLICA }, (_, c) =>
      client(replica, hub.reporters[(replica.n + c) % hub.reporters.length]!),
    ),
  );
  try {
    await Promise.all([
      ...clients,
      (async () => {
        await Promise.all([killVictim(), race(), changeRegistry()]);
        await until(() => kill.receiptsAfter >= RECEIPTS_AFTER_KILL || stop);
        stop = true;
      })(),
    ]);
  } finally {
    stop = true;
    clearTimeout(deadline);
  }

  // With no intake running, only a checkpointer can checkpoint the reinstatement.
  if (thirdAgency === undefined) return;
  await spx(['hub', 'reinstate', '--ori', thirdAgency.ori], hub.databaseEnv);
  // A replica reuses a registry entry it read for up to SPX_HUB_READ_CACHE_MS: a change made
  // by the CLI reaches every replica within that time (docs/threat-model.md), not at once.
  await new Promise((resolve) => setTimeout(resolve, DEFAULT_READ_CACHE_MS + 100));
  afterReinstatement = verifiedHead(await settledCheckpoint(), hub).size;
  for (const r of survivors()) {
    await send(r, thirdAgency, await freshStatements(thirdAgency, 3), reinstatedBatches);
  }
}

/**
 * The latest checkpoint, once every survivor serves the same note and it has not changed for
 * longer than three checkpointer intervals (so the head is no longer ahead of it).
 */
async function settledCheckpoint(): Promise<string> {
  let previous: string | undefined;
  for (let attempt = 0; attempt < 30; attempt++) {
    const notes = await Promise.all(survivors().map((r) => latestCheckpoint(r.service.url)));
    const same = notes.every((n) => n === notes[0]);
    if (same && previous !== undefined && notes[0] === previous) return previous;
    previous = same ? notes[0] : undefined;
    await sleep(1_000);
  }
  throw new Error('the surviving replicas did not settle on one latest checkpoint');
}

async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: PROOF_CONCURRENCY }, lane));
}

beforeAll(async () => {
  if (!POSTGRES_URL) return;
  dir = await mkdtemp(path.join(tmpdir(), 'hub-replicas-'));
  schema = testSchemaName(Date.now(), randomBytes(6));
  hub = await prepareHub(dir, ORIGIN, {
    database: { SPX_DATABASE_URL: POSTGRES_URL, SPX_DATABASE_SCHEMA: schema },
  });
  const started = await Promise.all(
    Array.from({ length: REPLICAS }, async (_, n) => {
      const logFile = path.join(dir, `hub-${n}.log`);
      return { n, logFile, service: await hub.start(logFile) };
    }),
  );
  replicas.push(...started.map((s) => ({ ...s, inFlight: 0, killed: false })));
  await runScenario();
}, 120_000);

afterAll(async () => {
  for (const r of replicas) await r.service.stop();
  if (schema !== undefined && POSTGRES_URL) {
    const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => undefined });
    try {
      await sql`drop schema if exists ${sql(schema)} cascade`;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 60_000);

type Acknowledged = { batch: SentBatch; receipt: IntakeReceipt };
const acknowledgedOf = (batches: readonly SentBatch[]): Acknowledged[] =>
  batches.flatMap((batch) =>
    batch.outcome.kind === 'acknowledged' ? [{ batch, receipt: batch.outcome.receipt }] : [],
  );
/** Every acknowledged batch, whichever replica answered. */
const acknowledged = (): Acknowledged[] =>
  acknowledgedOf([...loadBatches, ...raceRounds.flat(), ...reinstatedBatches, ...probeBatches]);

/** The log as each survivor served it once they settled, before resubmissions. */
const settled: AuditedLog[] = [];

describe.skipIf(!POSTGRES_URL)('three hub replicas on one PostgreSQL', () => {
  it('took concurrent batches on every replica, and lost only the killed one’s requests in flight', () => {
    expect(peakBusyReplicas).toBe(REPLICAS);
    for (const replica of replicas) {
      const own = loadBatches.filter((b) => b.run === replica.n);
      expect(own.filter((b) => b.outcome.kind === 'pending')).toEqual([]);
      const failed = own.flatMap((b) => (b.outcome.kind === 'failed' ? [b.outcome] : []));
      if (replica.n === VICTIM) {
        expect(failed.filter((o) => o.code !== 'NETWORK_ERROR')).toEqual([]);
        expect(failed.length).toBeGreaterThan(0);
      } else {
        expect(failed).toEqual([]);
      }
      expect(acknowledgedOf(own).length).toBeGreaterThanOrEqual(3);
    }
    // SIGKILL (startService reports a death by signal as 128) with requests waiting on it.
    expect(kill.exitCode).toBe(128);
    expect(kill.inFlight).toBeGreaterThan(0);
    expect(kill.receiptsAfter).toBeGreaterThanOrEqual(RECEIPTS_AFTER_KILL);
  });

  it('serves one latest checkpoint from every survivor, over a log that verifies from each', async () => {
    const note = await settledCheckpoint();
    for (const r of survivors()) settled.push(await auditLog(r.service.url, hub));
    const [first, ...others] = settled;
    expect(first!.note).toBe(note);
    for (const other of others) {
      expect(other.note).toBe(first!.note);
      expect(other.leaves.map(toBase64url)).toEqual(first!.leaves.map(toBase64url));
    }
    const sizes = acknowledged().map((a) => verifiedHead(a.receipt.log.checkpoint, hub).size);
    expect(first!.size).toBeGreaterThanOrEqual(Math.max(...sizes));
  }, 60_000);

  it('hands out each index once: every receipt, from any replica, verifies and re-proves at the final size on each', async () => {
    const final = settled[0]!;
    const statementAt = new Map<number, string>();
    const indexOf = new Map<string, { index: number; salt: string }>();
    const proofs: { index: number; leaf: Uint8Array }[] = [];
    for (const { batch, receipt } of acknowledged()) {
      const verified = verifyReceiptEvidence(batch.statements, receipt, logTrust(hub));
      expect(verified.ok).toBe(true);
      if (verified.ok) expect(verified.items.filter((i) => !i.ok)).toEqual([]);
      for (const [i, statement] of batch.statements.entries()) {
        const { index, salt } = receipt.receipts[i]!.log;
        // One statement per index and one index per statement, across every replica's receipts.
        expect(statementAt.get(index) ?? statement.id).toBe(statement.id);
        expect(indexOf.get(statement.id) ?? { index, salt }).toEqual({ index, salt });
        statementAt.set(index, statement.id);
        indexOf.set(statement.id, { index, salt });
        const leaf = statementLeafHash(fromBase64url(salt)!, statement.jws);
        expect(toBase64url(final.leaves[index]!)).toBe(toBase64url(leaf));
        proofs.push({ index, leaf });
      }
    }
    expect(statementAt.size).toBe(indexOf.size);
    for (const r of survivors()) {
      await eachLimited(proofs, (p) => proveInclusion(r.service.url, final, p.index, p.leaf));
    }
  }, 120_000);

  it('issues one checkpoint per size, byte-identical from every replica, every one consistent with every other', async () => {
    const final = settled[0]!;
    const notes = new Map<number, string>();
    for (const { receipt } of acknowledged()) {
      const { size } = verifiedHead(receipt.log.checkpoint, hub);
      expect(notes.get(size) ?? receipt.log.checkpoint).toBe(receipt.log.checkpoint);
      notes.set(size, receipt.log.checkpoint);
    }
    const sizes = [...notes.keys()].sort((a, b) => a - b);
    expect(sizes.length).toBeGreaterThan(10);
    for (const r of survivors()) {
      await eachLimited(sizes, async (size) => {
        const response = await fetch(`${r.service.url}/v1/log/checkpoints/${size}`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe(notes.get(size));
      });
    }
    // Every receipt checkpoint is the root of a prefix of the one audited log, so any two are
    // consistent; the replicas' own proofs are checked along the chain and up to the final size.
    const heads = sizes.map((size) => verifiedHead(notes.get(size)!, hub));
    for (const head of heads) {
      expect(toBase64url(rootFromLeaves(final.leaves.slice(0, head.size)))).toBe(
        toBase64url(head.root),
      );
    }
    for (const r of survivors()) {
      await eachLimited(heads, async (head) => {
        const next = heads[heads.indexOf(head) + 1] ?? final;
        await proveConsistency(r.service.url, head, next);
        await proveConsistency(r.service.url, head, final);
      });
    }
  }, 60_000);

  it('accepts a batch sent to two replicas at once on one of them, and answers duplicate with the same leaves on the other', () => {
    expect(raceRounds).toHaveLength(RACE_ROUNDS);
    for (const copies of raceRounds) {
      expect(copies).toHaveLength(survivors().length);
      const receipts = copies.map((c) =>
        c.outcome.kind === 'acknowledged' ? c.outcome.receipt : undefined,
      );
      expect(receipts.every((r) => r !== undefined)).toBe(true);
      const statuses = receipts.map((r) => [...new Set(r!.receipts.map((i) => i.status))]);
      expect(statuses.filter((s) => s.length === 1 && s[0] === 'accepted')).toHaveLength(1);
      expect(statuses.filter((s) => s.length === 1 && s[0] === 'duplicate')).toHaveLength(
        copies.length - 1,
      );
      const leaves = receipts.map((r) => r!.receipts.map((i) => [i.log.index, i.log.salt]));
      for (const other of leaves.slice(1)) expect(other).toEqual(leaves[0]);
    }
  });

  it('applies the operator’s registry changes on every replica at once, and logs each once', () => {
    expect(thirdAgency).toBeDefined();
    expect(suspendedBatches.map((b) => b.outcome)).toEqual(
      survivors().map(() => ({ kind: 'failed', code: 'AGENCY_SUSPENDED', status: 403 })),
    );
    expect(reinstatedBatches.map((b) => b.outcome.kind)).toEqual(
      survivors().map(() => 'acknowledged'),
    );
    const events = settled[0]!.entries.flatMap((e) =>
      e.kind === 'agency' ? [`${e.event} ${e.ori}`] : [],
    );
    const [a, b] = hub.reporters.map((r) => r.ori);
    const c = THIRD_AGENCY.ori;
    expect(events).toEqual([
      `enrolled ${a}`,
      `enrolled ${b}`,
      `enrolled ${c}`,
      `suspended ${c}`,
      `reinstated ${c}`,
    ]);
    // The reinstatement, appended by the CLI with no intake after it, was checkpointed.
    const reinstated = settled[0]!.entries.findIndex(
      (e) => e.kind === 'agency' && e.event === 'reinstated',
    );
    expect(reinstated).toBeGreaterThanOrEqual(0);
    expect(reinstated).toBeLessThan(afterReinstatement);
  });

  it('refuses a request token replayed to another replica (one replay cache for all)', async () => {
    const reporter = hub.reporters[0]!;
    const [first, second] = survivors();
    let sent: { url: string; init: RequestInit } | undefined;
    const capture: typeof fetch = (input, init) => {
      sent = { url: String(input), init: init! };
      return fetch(input, init);
    };
    const statements = await freshStatements(reporter, 1);
    const client = createHubClient(first!.service.url, {
      identity: { ori: reporter.ori, key: reporter.key },
      fetch: capture,
      now: () => new Date(),
      rng,
      timeoutMs: 60_000,
    });
    const receipt = await client.submitAttestations({ attestations: statements.map((s) => s.jws) });
    probeBatches.push({
      run: first!.n,
      ori: reporter.ori,
      statements,
      outcome: { kind: 'acknowledged', receipt },
    });
    const replayed = await fetch(sent!.url.replace(first!.service.url, second!.service.url), {
      method: sent!.init.method!,
      headers: sent!.init.headers!,
      body: sent!.init.body!,
    });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('AUTH_REPLAYED');
  });
});

/** Every statement sent, its resubmission receipt item, and the batch it was first sent in. */
describe.skipIf(!POSTGRES_URL)('every statement sent to any replica, sent again', () => {
  let resubmitted: Resubmitted[] = [];
  /** One entry per statement: the first batch it went out in (race copies share statements). */
  const sentOnce = (): SentBatch[] => [
    ...loadBatches,
    ...raceRounds.map((copies) => copies[0]!),
    ...reinstatedBatches,
    ...probeBatches,
  ];

  it('answers duplicate at the same index for every acknowledged one, all or nothing for the others', async () => {
    const [target] = survivors();
    const resent = await resubmitAll(
      sentOnce(),
      [...hub.reporters, thirdAgency!],
      target!.service.url,
      hub,
    );
    resubmitted = resent.resubmitted;
    const { again } = resent;
    expectDuplicatesAsAcknowledged(acknowledged(), again);
    // A batch the killed replica did not acknowledge was stored whole or not at all.
    const unacknowledged = sentOnce().filter((b) => b.outcome.kind !== 'acknowledged');
    expect(unacknowledged.length).toBeGreaterThan(0);
    for (const batch of unacknowledged) {
      expect(new Set(batch.statements.map((s) => again.get(s.id)!.status)).size).toBe(1);
    }
  }, 60_000);

  it('leaves a log that holds each statement sent exactly once, the same from every survivor', async () => {
    const finals = await Promise.all(survivors().map((r) => auditLog(r.service.url, hub)));
    const final = finals[0]!;
    for (const other of finals.slice(1)) expect(other.note).toBe(final.note);
    for (const r of survivors()) await proveConsistency(r.service.url, settled[0]!, final);
    expectEachStatementOnce(final, resubmitted);
  }, 60_000);

  it('stops the survivors cleanly on SIGTERM; no replica logged an error, nor issued a checkpoint another one did', async () => {
    for (const r of survivors()) expect(await r.service.stop()).toBe(0);
    const issued: number[] = [];
    for (const r of replicas) {
      const lines = (await readFile(r.logFile, 'utf8'))
        .split('\n')
        .filter((l) => l.startsWith('{'));
      const events = lines.map(
        (l) => JSON.parse(l) as { level?: string; event?: string; size?: number },
      );
      expect(events.filter((e) => e.event === 'started')).toHaveLength(1);
      expect(events.filter((e) => e.level !== undefined && e.level !== 'info')).toEqual([]);
      issued.push(...events.flatMap((e) => (e.event === 'checkpoint_issued' ? [e.size!] : [])));
    }
    // The checkpointers ran (one checkpointed the reinstatement), each size by one of them.
    expect(issued).toContain(afterReinstatement);
    expect(new Set(issued).size).toBe(issued.length);
  });
});
