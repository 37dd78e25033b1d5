/**
 * A PostgreSQL restart under load (docs/hub.md, "When the database restarts"): the real
 * `spx hub serve` on a cluster of the test's own (test/support/private-postgres.ts; never the
 * shared server), paced checks, intake batches and log reads for 20 s, and `pg_ctl restart -m
 * fast` half-way. The hub must live through it, answer every request either with a 200 or with
 * a clean 503 (problem+json UNAVAILABLE with Retry-After) and those only around the restart,
 * serve every kind of request again afterwards, and keep every statement it acknowledged.
 *
 * Before the fix the hub answered 500 while the server was down and, under intake load, died of
 * an uncaught TypeError in postgres.js (platform/db/postgres-transactions.ts). The ten-minute
 * version with figures is test/bench/sustained-load.ts. Skipped without PostgreSQL's binaries.
 */
import { describe, expect, it } from 'vitest';
import { runSustained } from '../bench/support/sustained-run.js';
import { findPostgresBin } from '../support/private-postgres.js';

/** After PostgreSQL is back, how long 503s may still come (a client's request under way). */
const SETTLE_MS = 10_000;

describe.runIf(findPostgresBin() !== undefined)('the hub across a PostgreSQL restart', () => {
  it('answers 200 or a clean 503, recovers by itself, and loses nothing it acknowledged', async () => {
    const r = await runSustained({
      durationMs: 20_000,
      officers: 300,
      reporters: 3,
      rates: { check: 8, intake: 2, log: 6 },
      lanes: { check: 2, intake: 2, log: 2 },
      batchSize: 20,
      restartAt: 0.4,
    });
    expect(r.hubDied).toBe(false);
    expect(r.hubExitCode).toBe(0);
    expect(r.restart).toBeDefined();
    const { from, to } = r.restart!;

    const notOk = r.samples.filter((s) => s.status !== '200');
    expect(notOk.filter((s) => s.status !== '503' || s.clean503 !== true)).toEqual([]);
    for (const s of notOk) {
      expect(s.start + s.ms).toBeGreaterThanOrEqual(from);
      expect(s.start).toBeLessThanOrEqual(to + SETTLE_MS);
    }
    for (const kind of ['check', 'intake', 'log'] as const) {
      expect(
        r.samples.some((s) => s.kind === kind && s.status === '200' && s.start > to),
        `a ${kind} answered 200 after the restart`,
      ).toBe(true);
    }

    const v = r.verification;
    expect(v.acknowledged).toBeGreaterThan(0);
    expect([v.stored, v.logged, v.misplaced]).toEqual([v.acknowledged, v.acknowledged, 0]);
    expect(r.unacknowledged).toBe(0);
    // What the operator saw: warnings about the database, no error line.
    expect([...r.hubLog.keys()].filter((k) => k.startsWith('error'))).toEqual([]);
  });
});
