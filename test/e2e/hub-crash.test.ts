/**
 * The hub killed during an append, then restarted (docs/transparency.md, "One writer, and
 * crashes"), as real processes: `spx hub serve` on its own PGlite data directory takes
 * concurrent intake batches from two reporting agencies and is killed with SIGKILL while
 * batches are in flight — at least four times, restarted on the same data each time, and at
 * least once between an append's COMMIT and its receipt. Then, from the public endpoints and
 * the pinned key only, the log must verify, every acknowledged statement must be in it where
 * its receipt said, and sending every statement again must show that nothing acknowledged was
 * lost, nothing was logged twice, and each batch was stored whole or not at all.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import { statementLeafHash, verifyReceiptEvidence } from '../../node/tlog/index.js';
import type { ServiceProcess } from '../../bin/demo/processes.js';
import {
  type AuditedLog,
  auditLog,
  type CrashHub,
  expectDuplicatesAsAcknowledged,
  latestCheckpoint,
  type LoadResult,
  loadUntilKilled,
  logTrust,
  prepareHub,
  proveConsistency,
  proveInclusion,
  randomInt,
  resubmitAll,
  type Resubmitted,
  type SentBatch,
  verifiedHead,
  expectEachStatementOnce,
} from './crash-support.js';

const KILLS = 4;
/** More kills only while none has yet landed between a COMMIT and its receipt. */
const MAX_KILLS = KILLS + 3;
const ORIGIN = 'crash-test.spx.invalid/hub-log';
let dir: string;
let hub: CrashHub;
let running: ServiceProcess | undefined;
let starts = 0;
const runs: LoadResult[] = [];
/** The verified tree size when each hub process started ([0]: the two enrollments). */
const headAtStart: number[] = [];
/**
 * Per run: leaves appended while that process ran beyond the statements it acknowledged —
 * batches committed whose receipt never arrived (no other writer runs meanwhile).
 */
const committedUnacknowledged: number[] = [];

async function startHub(): Promise<ServiceProcess> {
  running = await hub.start();
  starts++;
  headAtStart.push(verifiedHead(await latestCheckpoint(running.url), hub).size);
  return running;
}

const acknowledgedStatements = (run: LoadResult): number =>
  run.batches.reduce(
    (n, b) => n + (b.outcome.kind === 'acknowledged' ? b.statements.length : 0),
    0,
  );

/** The largest tree size proved by a receipt of `run`. */
function largestReceiptSize(run: LoadResult): number {
  return Math.max(
    0,
    ...run.batches.map((b) =>
      b.outcome.kind === 'acknowledged'
        ? verifiedHead(b.outcome.receipt.log.checkpoint, hub).size
        : 0,
    ),
  );
}

beforeAll(async () => {
  // mkdtemp creates the folder with mode 0700: the hub's key and data live below.
  dir = await mkdtemp(path.join(tmpdir(), 'hub-crash-'));
  hub = await prepareHub(dir, ORIGIN);
  try {
    await killAndRestart();
  } catch (e) {
    // The folder goes at the end: say here what the hub wrote before it failed to restart.
    const log = await readFile(hub.logFile, 'utf8').catch(() => '');
    throw new Error(
      `${String(e)}\nlast lines of the hub's log:\n${log.split('\n').slice(-30).join('\n')}`,
      {
        cause: e,
      },
    );
  }
}, 240_000);

/** Load, SIGKILL and restart, KILLS times or more (see MAX_KILLS). */
async function killAndRestart(): Promise<void> {
  let service = await startHub();
  for (let run = 0; ; run++) {
    const result = await loadUntilKilled({
      run,
      hub: service,
      reporters: hub.reporters,
      concurrency: 6,
      maxBatch: 20,
      killAfterReceipts: randomInt(2, 10),
      // Alternately: wherever the hub is after a short delay (validating, or inside an
      // append's transaction), and right after a COMMIT whose receipt has not come back;
      // only the latter once KILLS kills are done (the extra ones are there to reach it).
      killAt:
        run % 2 === 0 && run < KILLS
          ? { after: 'delay', ms: randomInt(0, 40) }
          : { after: 'unacknowledged-commit' },
      deadlineMs: 30_000,
    });
    runs.push(result);
    running = undefined;
    service = await startHub();
    const appended = headAtStart[run + 1]! - headAtStart[run]!;
    committedUnacknowledged.push(appended - acknowledgedStatements(result));
    const landedAfterCommit = committedUnacknowledged.some((n) => n > 0);
    if (run + 1 >= MAX_KILLS || (run + 1 >= KILLS && landedAfterCommit)) return;
  }
}

afterAll(async () => {
  await running?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const batches = (): SentBatch[] => runs.flatMap((r) => r.batches);
const acknowledged = () =>
  batches().flatMap((b) =>
    b.outcome.kind === 'acknowledged' ? [{ batch: b, receipt: b.outcome.receipt }] : [],
  );
const unacknowledged = () => batches().filter((b) => b.outcome.kind !== 'acknowledged');

/** The recovered log as the auditor saw it after the last restart, before any new intake. */
let recovered: AuditedLog;

describe('the hub killed during appends, then restarted', () => {
  it('was killed with batches in flight each time, once after a COMMIT, and starts again on the same data', async () => {
    expect(runs.length).toBeGreaterThanOrEqual(KILLS);
    for (const run of runs) {
      // SIGKILL: startService reports a death by signal as 128.
      expect(run.exitCode).toBe(128);
      const outcomes = run.batches.map((b) => b.outcome);
      expect(outcomes.filter((o) => o.kind === 'acknowledged').length).toBeGreaterThanOrEqual(2);
      expect(outcomes.filter((o) => o.kind === 'pending')).toEqual([]);
      // Only the kill made requests fail, and it did make some fail: it hit mid-flight.
      const failed = outcomes.filter((o) => o.kind === 'failed');
      expect(run.inFlightAtKill).toBeGreaterThan(0);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.filter((o) => o.code !== 'NETWORK_ERROR')).toEqual([]);
    }
    // Every restarted log covers the receipts of the run before it and holds at least the
    // statements acknowledged (fewer is a lost append); at least one kill fell between an
    // append's COMMIT and its answer.
    runs.forEach((run, i) => {
      expect(headAtStart[i + 1]).toBeGreaterThanOrEqual(largestReceiptSize(run));
    });
    expect(committedUnacknowledged.filter((n) => n < 0)).toEqual([]);
    expect(committedUnacknowledged.some((n) => n > 0)).toBe(true);
    const health = await fetch(`${running!.url}/v1/health`);
    expect(health.status).toBe(200);
  });

  it("proves every acknowledged batch in its receipt's own checkpoint", () => {
    const acks = acknowledged();
    expect(acks.length).toBeGreaterThanOrEqual(2 * KILLS);
    for (const { batch, receipt } of acks) {
      const verified = verifyReceiptEvidence(batch.statements, receipt, logTrust(hub));
      expect(verified.ok).toBe(true);
      if (verified.ok) expect(verified.items.filter((i) => !i.ok)).toEqual([]);
      expect(receipt.receipts.map((r) => r.status)).toEqual(batch.statements.map(() => 'accepted'));
    }
  });

  it('serves a log that verifies from the public endpoints and extends every receipt checkpoint', async () => {
    const keys = (await (await fetch(`${running!.url}/v1/hub/keys`)).json()) as {
      keys: { x: string }[];
    };
    expect(keys.keys.map((k) => k.x)).toEqual([hub.publicJwk.x]);
    recovered = await auditLog(running!.url, hub);
    const heads = new Map<number, ReturnType<typeof verifiedHead>>();
    for (const { receipt } of acknowledged()) {
      const head = verifiedHead(receipt.log.checkpoint, hub);
      heads.set(head.size, head);
    }
    expect(heads.size).toBeGreaterThan(0);
    for (const head of heads.values()) {
      expect(head.size).toBeLessThanOrEqual(recovered.size);
      await proveConsistency(running!.url, head, recovered);
    }
  });

  it('still holds every acknowledged statement at its receipt index, proved at the new size', async () => {
    let proved = 0;
    for (const { batch, receipt } of acknowledged()) {
      for (const [i, statement] of batch.statements.entries()) {
        const { index, salt } = receipt.receipts[i]!.log;
        const leaf = statementLeafHash(fromBase64url(salt)!, statement.jws);
        expect(index).toBeLessThan(recovered.size);
        expect(toBase64url(recovered.leaves[index]!)).toBe(toBase64url(leaf));
        await proveInclusion(running!.url, recovered, index, leaf);
        proved++;
      }
    }
    expect(proved).toBeGreaterThan(0);
  });
});

let resubmitted: Resubmitted[] = [];

describe('every statement sent, sent again', () => {
  it('answers duplicate at the same index for every acknowledged one, all or nothing for the others', async () => {
    const resent = await resubmitAll(batches(), hub.reporters, running!.url, hub);
    resubmitted = resent.resubmitted;
    const { again } = resent;
    expectDuplicatesAsAcknowledged(acknowledged(), again);
    // A batch the hub did not acknowledge was stored whole (COMMIT before the kill, receipt
    // lost) or not at all; the ones stored whole account for every leaf past the receipts.
    const storedUnacknowledged: number[] = runs.map(() => 0);
    for (const batch of unacknowledged()) {
      const statuses = new Set(batch.statements.map((s) => again.get(s.id)!.status));
      expect(statuses.size).toBe(1);
      if (statuses.has('duplicate')) storedUnacknowledged[batch.run]! += batch.statements.length;
    }
    expect(storedUnacknowledged).toEqual(committedUnacknowledged);
  });

  it('leaves a log that holds each statement sent exactly once and nothing else', async () => {
    const final = await auditLog(running!.url, hub);
    await proveConsistency(running!.url, recovered, final);
    expectEachStatementOnce(final, resubmitted);
  });

  it('stops cleanly on SIGTERM, and its log shows a clean start after every kill and no error', async () => {
    const service = running!;
    running = undefined;
    expect(await service.stop()).toBe(0);
    const lines = (await readFile(hub.logFile, 'utf8')).split('\n').filter((l) => l !== '');
    const events = lines.map((line) => {
      if (line.startsWith('hub listening on ')) return { event: 'listening' };
      return JSON.parse(line) as { level?: string; event?: string };
    });
    expect(events.filter((e) => e.event === 'started')).toHaveLength(starts);
    expect(events.filter((e) => e.event === 'listening')).toHaveLength(starts);
    // Every start had the pause after COMMIT that lets a kill land before the receipt.
    expect(events.filter((e) => e.event === 'fault_injection')).toHaveLength(starts);
    expect(events.filter((e) => 'level' in e && e.level !== 'info')).toEqual([]);
  });
});
