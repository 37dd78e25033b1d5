/**
 * Keeping planner statistics current (analyze-maintenance.ts), on the driver this vitest
 * project selects. The plan test loads a pair of tables shaped like the hub's `attestations`
 * and `attestation_keys` (the same columns, the same indexes) and EXPLAINs the hub's matching
 * query: before any ANALYZE PGlite plans a full scan of the statements, afterwards an index
 * lookup of the keys.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timers } from '../lifecycle/timers.js';
import { createLogger } from '../logging/json-lines.js';
import {
  analyzeWhenGrown,
  needsAnalyze,
  schemaTableNames,
  startAnalyzeMaintenance,
  tableActivity,
} from './analyze-maintenance.js';
import type { Database, DatabaseHandle } from './database.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import * as fixtureSchema from './fixtures/schema.js';
import { openTestDatabase } from './test-db.js';

const STATEMENTS = 20_000;
const at = new Date('2026-05-01T12:00:00Z');

let handle: DatabaseHandle;
let db: Database<Record<string, unknown>>;

/** The two drivers return raw results differently (database.ts); EXPLAIN needs raw SQL. */
async function plan(query: string): Promise<string> {
  const result = (await db.execute(sql.raw(`explain ${query}`))) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows.map((r) => (r as { 'QUERY PLAN': string })['QUERY PLAN']).join('\n');
}

/** What checks.repository.ts's matchingIds sends, with three absent hub indexes (a miss). */
const MATCHING = `select distinct s.id from probe_keys k join probe_statements s on s.id = k.statement_id
  where k.hub_index in ('miss-a', 'miss-b', 'miss-c') and s.epoch = 1 and s.superseded_by is null
  and s.status not in ('retracted', 'expired') limit 21`;

/** Inserts modify the cumulative statistics lazily; this makes the backend report them now. */
async function insertReported(statement: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(statement));
    await tx.execute(sql`select pg_stat_force_next_flush()`);
  });
}

function fakeTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  /** Fires the one pending timer and waits for the pass it starts. */
  async function fire(settle: () => Promise<unknown>): Promise<void> {
    expect(pending.size).toBe(1);
    const [id, timer] = [...pending.entries()][0]!;
    pending.delete(id);
    timer.callback();
    await settle();
  }
  return { timers, pending, fire };
}

beforeAll(async () => {
  handle = await openTestDatabase(FIXTURE_MIGRATIONS);
  db = handle.db as unknown as Database<Record<string, unknown>>;
  // autovacuum_enabled = false: a PostgreSQL server's autovacuum must not analyze behind the
  // test's back (PGlite has none anyway).
  await db.execute(
    sql.raw(`create table probe_statements (
      id text primary key, issuer text not null, kid text not null, epoch integer not null,
      category_list integer not null, category text not null, use_of_force boolean not null,
      event_date text not null, outcome_date text not null, status text not null,
      status_date text not null, disputed_since text, supersedes text, superseded_by text,
      issued_at text not null, received_at timestamptz not null, jws text not null
    ) with (autovacuum_enabled = false)`),
  );
  await db.execute(
    sql.raw(`create table probe_keys (
      statement_id text not null references probe_statements (id), hub_index text not null,
      kind text not null, primary key (statement_id, hub_index)
    ) with (autovacuum_enabled = false)`),
  );
  await db.execute(sql.raw(`create index probe_keys_hub_index_idx on probe_keys (hub_index)`));
});
afterAll(() => handle?.close());

describe('when a table is due for ANALYZE', () => {
  it("follows autovacuum's rule: more than 50 + 10 % of reltuples rows changed", () => {
    const due = (reltuples: number, modifiedSinceAnalyze: number) =>
      needsAnalyze({ table: 't', reltuples, modifiedSinceAnalyze });
    expect(due(-1, 50)).toBe(false); // never analyzed counts as empty
    expect(due(-1, 51)).toBe(true);
    expect(due(100_000, 10_050)).toBe(false);
    expect(due(100_000, 10_051)).toBe(true);
    expect(
      needsAnalyze(
        { table: 't', reltuples: 1000, modifiedSinceAnalyze: 5 },
        { baseThreshold: 0, scaleFactor: 0.001 },
      ),
    ).toBe(true);
  });

  it('lists the tables of a drizzle schema module, and nothing else in it', () => {
    expect(schemaTableNames(fixtureSchema)).toEqual(['authors', 'notes']);
  });
});

describe(`ANALYZE maintenance on ${process.env['SPX_TEST_DATABASE_URL'] ? 'postgres' : 'pglite'}`, () => {
  it('turns a full scan of a freshly loaded table into an index lookup', async () => {
    await insertReported(`insert into probe_statements
      select 'stmt-' || i, 'CA0194200', 'kid', 1, 1, 'termination', false, '2020-01-01',
        '2020-01-02', 'final', '2020-01-02', null, null, null, '2020-01-02T00:00:00Z', now(),
        (select string_agg(md5(i::text || '/' || j::text), '') from generate_series(1, 30) j)
      from generate_series(1, ${STATEMENTS}) i`);
    await insertReported(`insert into probe_keys
      select 'stmt-' || i, encode(sha256((i || '/' || k)::bytea), 'base64'), 'ssn'
      from generate_series(1, ${STATEMENTS}) i, generate_series(1, 3) k`);
    const [statements, keys] = await tableActivity(db, ['probe_keys', 'probe_statements']).then(
      (a) => [
        a.find((t) => t.table === 'probe_statements'),
        a.find((t) => t.table === 'probe_keys'),
      ],
    );
    expect(statements).toEqual({
      table: 'probe_statements',
      reltuples: -1,
      modifiedSinceAnalyze: STATEMENTS,
    });
    expect(keys?.modifiedSinceAnalyze).toBe(3 * STATEMENTS);

    const before = await plan(MATCHING);
    // The defect, as measured: PGlite without statistics scans every statement. PostgreSQL 15
    // estimates differently; what matters there is the plan after.
    if (handle.kind === 'pglite') expect(before).toMatch(/Seq Scan on probe_statements/);

    const logs: string[] = [];
    const { timers, pending, fire } = fakeTimers();
    const maintenance = await startAnalyzeMaintenance(db, {
      tables: ['probe_statements', 'probe_keys', 'no_such_table'],
      intervalMs: 60_000,
      now: () => at,
      log: createLogger(
        (line) => void logs.push(line),
        () => at,
      ),
      timers,
    });
    // Start-up analyzes every watched table that exists, grown or not.
    expect(logs.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        time: at.toISOString(),
        level: 'info',
        event: 'tables_analyzed',
        reason: 'startup',
        tables: ['probe_keys', 'probe_statements'],
        durationMs: 0,
      },
    ]);
    const after = await plan(MATCHING);
    expect(after).toMatch(/Index (Only )?Scan (using|on) probe_keys_hub_index_idx/);
    expect(after).not.toMatch(/Seq Scan/);
    const analyzed = await tableActivity(db, ['probe_statements']);
    expect(analyzed[0]).toMatchObject({ reltuples: STATEMENTS, modifiedSinceAnalyze: 0 });

    // Then every interval: nothing is due until a table grows by more than the rule's share.
    expect([...pending.values()].map((t) => t.ms)).toEqual([60_000]);
    await fire(() => maintenance.runOnce());
    expect(logs).toHaveLength(1);
    await insertReported(`insert into probe_statements
      select 'late-' || i, 'CA0194200', 'kid', 1, 1, 'termination', false, '2020-01-01',
        '2020-01-02', 'final', '2020-01-02', null, null, null, '2020-01-02T00:00:00Z', now(), 'x'
      from generate_series(1, ${STATEMENTS / 10 + 51}) i`);
    expect(await analyzeWhenGrown(db, ['probe_keys', 'probe_statements'])).toEqual([
      'probe_statements',
    ]);
    expect(await analyzeWhenGrown(db, ['probe_keys', 'probe_statements'])).toEqual([]);

    await maintenance.stop();
    expect(pending.size).toBe(0);
  });

  it('runs a periodic pass on each timer tick, and schedules no more once stopped', async () => {
    const logs: string[] = [];
    const { timers, pending, fire } = fakeTimers();
    const maintenance = await startAnalyzeMaintenance(db, {
      tables: ['authors'],
      intervalMs: 5_000,
      now: () => at,
      log: createLogger(
        (line) => void logs.push(line),
        () => at,
      ),
      timers,
    });
    expect(logs.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual(['startup']);
    await insertReported(
      `insert into authors (name) select 'author ' || i from generate_series(1, 60) i`,
    );
    await fire(() => maintenance.runOnce());
    expect(JSON.parse(logs[1]!)).toMatchObject({
      event: 'tables_analyzed',
      reason: 'grown',
      tables: ['authors'],
    });
    expect(pending.size).toBe(1); // the tick scheduled the next one
    await maintenance.stop();
    expect(pending.size).toBe(0);
    await maintenance.stop(); // idempotent
  });

  it('logs a failed pass as analyze_failed and never throws', async () => {
    const closed = await openTestDatabase(FIXTURE_MIGRATIONS);
    await closed.close();
    const logs: string[] = [];
    const { timers, pending, fire } = fakeTimers();
    const maintenance = await startAnalyzeMaintenance(
      closed.db as unknown as Database<Record<string, unknown>>,
      {
        tables: ['authors'],
        intervalMs: 1_000,
        now: () => at,
        log: createLogger(
          (l) => void logs.push(l),
          () => at,
        ),
        timers,
      },
    );
    await fire(() => maintenance.runOnce());
    expect(logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'error', event: 'analyze_failed', reason: 'startup' }),
      expect.objectContaining({ level: 'error', event: 'analyze_failed', reason: 'grown' }),
    ]);
    // The class name only: never a driver message, which may quote SQL.
    expect(logs.join('\n')).not.toMatch(/pg_class|closed|ended/i);
    expect(pending.size).toBe(1); // it keeps trying
    await maintenance.stop();
  });
});
