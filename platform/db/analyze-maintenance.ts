/**
 * Keeping the planner's table statistics current where nothing else does (docs/performance.md,
 * "ANALYZE").
 *
 * PostgreSQL's planner chooses between an index and a full scan from the statistics ANALYZE
 * gathers (PostgreSQL manual §24.1.3, "Updating Planner Statistics"); on a server the
 * autovacuum daemon runs it. PGlite has no autovacuum daemon (a single backend in WASM, no
 * background workers), and its modification counters are lost when it closes. Without this, a
 * PGlite hub that has taken in 100 000 attestations plans its matching query as a full scan of
 * `attestations`: about a second per check instead of milliseconds.
 *
 * So a service runs ANALYZE itself: on every watched table at start-up (the counters may be
 * gone), and then every `intervalMs` on the tables that autovacuum's own rule would pick
 * (§24.1.6, "The Autovacuum Daemon"): more than `baseThreshold + scaleFactor × reltuples` rows
 * inserted, updated or deleted since their last ANALYZE, read from the cumulative statistics
 * (`pg_stat_get_mod_since_analyze`, the function behind pg_stat_user_tables.n_mod_since_analyze).
 * On PostgreSQL with autovacuum on, autovacuum usually gets there first and resets the counter,
 * so a pass costs one catalog query; with autovacuum off, this does its job.
 *
 * A pass never throws: a failure is one log line (`analyze_failed`) and the next pass tries
 * again. The clock and the timers are injected.
 */
import { getTableName, is, sql } from 'drizzle-orm';
import { integer, PgTable, pgTable, real, text } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { connectionErrorCode, failureLevel } from './connection-loss.js';
import { sqlErrorOf } from './sql-error.js';
import { startPeriodic } from '../lifecycle/periodic.js';
import type { Timers } from '../lifecycle/timers.js';
import type { Logger } from '../logging/json-lines.js';

/** When a table is due (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor). */
export interface AnalyzeRule {
  readonly baseThreshold: number;
  readonly scaleFactor: number;
}

/** PostgreSQL's defaults for the two autovacuum settings (runtime-config-autovacuum). */
export const DEFAULT_ANALYZE_RULE: AnalyzeRule = { baseThreshold: 50, scaleFactor: 0.1 };

export interface TableActivity {
  readonly table: string;
  /** pg_class.reltuples: rows counted by the last ANALYZE or VACUUM; −1 if never analyzed. */
  readonly reltuples: number;
  /** Rows inserted, updated or deleted since the last ANALYZE (0 after a restart of PGlite). */
  readonly modifiedSinceAnalyze: number;
}

export function needsAnalyze(activity: TableActivity, rule = DEFAULT_ANALYZE_RULE): boolean {
  const rows = Math.max(0, activity.reltuples);
  return activity.modifiedSinceAnalyze > rule.baseThreshold + rule.scaleFactor * rows;
}

/** The names of the tables in a drizzle schema module (`import * as schema`). */
export function schemaTableNames(schema: Record<string, unknown>): string[] {
  return Object.values(schema)
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableName(table))
    .sort();
}

/** pg_catalog is searched first whatever search_path says; only these columns are read. */
const pgClass = pgTable('pg_class', {
  oid: integer('oid').notNull(),
  relname: text('relname').notNull(),
  reltuples: real('reltuples').notNull(),
});

/**
 * Activity of the named tables, resolved through search_path as the service's queries resolve
 * them (to_regclass); a table that does not exist is left out. One catalog query.
 */
export async function tableActivity(
  db: Database<Record<string, unknown>>,
  tables: readonly string[],
): Promise<TableActivity[]> {
  if (tables.length === 0) return [];
  const oids = sql.join(
    tables.map((t) => sql`to_regclass(quote_ident(${t}))`),
    sql`, `,
  );
  const rows = await db
    .select({
      table: pgClass.relname,
      reltuples: sql<number>`${pgClass.reltuples}`.mapWith(Number),
      modifiedSinceAnalyze: sql<number>`pg_stat_get_mod_since_analyze(${pgClass.oid})`.mapWith(
        Number,
      ),
    })
    .from(pgClass)
    .where(sql`${pgClass.oid} in (${oids})`);
  return rows.sort((a, b) => (a.table < b.table ? -1 : 1));
}

/**
 * ANALYZE the tables in one statement. SKIP_LOCKED (PostgreSQL 12+): a table another session
 * is analyzing or vacuuming — autovacuum, another replica — is skipped rather than waited for.
 */
export async function analyzeTables(
  db: Database<Record<string, unknown>>,
  tables: readonly string[],
): Promise<void> {
  if (tables.length === 0) return;
  const list = sql.join(
    tables.map((t) => sql.identifier(t)),
    sql`, `,
  );
  await db.execute(sql`analyze (skip_locked) ${list}`);
}

/** Analyzes the tables the rule picks; returns their names (empty when none was due). */
export async function analyzeWhenGrown(
  db: Database<Record<string, unknown>>,
  tables: readonly string[],
  rule = DEFAULT_ANALYZE_RULE,
): Promise<string[]> {
  const due = (await tableActivity(db, tables))
    .filter((a) => needsAnalyze(a, rule))
    .map((a) => a.table);
  await analyzeTables(db, due);
  return due;
}

export interface AnalyzeMaintenanceOptions {
  /** Tables to watch (e.g. `schemaTableNames(schema)`). */
  readonly tables: readonly string[];
  /** Time between checks, from the end of one pass to the start of the next. */
  readonly intervalMs: number;
  readonly now: () => Date;
  /** Events `tables_analyzed`, `analyze_failed`. */
  readonly log: Logger;
  readonly timers?: Timers;
  readonly rule?: AnalyzeRule;
}

export interface AnalyzeMaintenance {
  /** One periodic pass now (what the timer runs); never throws; the tables it analyzed. */
  runOnce(): Promise<readonly string[]>;
  /** Stops the timer and waits for a pass in progress. Idempotent. */
  stop(): Promise<void>;
}

export type AnalyzeReason = 'startup' | 'grown';

/**
 * ANALYZEs every watched table now (start-up), then checks every `intervalMs`. Resolves when
 * the start-up pass is done, failed or not. Register `stop` with the service's shutdown
 * before the database closes under it.
 */
export async function startAnalyzeMaintenance(
  db: Database<Record<string, unknown>>,
  options: AnalyzeMaintenanceOptions,
): Promise<AnalyzeMaintenance> {
  const { log } = options;
  const rule = options.rule ?? DEFAULT_ANALYZE_RULE;

  async function pass(reason: AnalyzeReason): Promise<readonly string[]> {
    const started = options.now().getTime();
    let analyzed: string[];
    if (reason === 'startup') {
      analyzed = (await tableActivity(db, options.tables)).map((a) => a.table);
      await analyzeTables(db, analyzed);
    } else {
      analyzed = await analyzeWhenGrown(db, options.tables, rule);
    }
    if (analyzed.length > 0) {
      const durationMs = options.now().getTime() - started;
      log('info', 'tables_analyzed', { reason, tables: analyzed, durationMs });
    }
    return analyzed;
  }

  // The class and SQLSTATE only: a driver message may quote query text.
  // Warn only while the database is unavailable (a restart): the next pass will do.
  const failed = (reason: AnalyzeReason) => (e: unknown) =>
    log(failureLevel(e), 'analyze_failed', {
      reason,
      error: e instanceof Error ? e.constructor.name : typeof e,
      sqlState: sqlErrorOf(e)?.code ?? null,
      code: connectionErrorCode(e) ?? null,
    });

  // The start-up pass, before the loop: nothing else runs meanwhile.
  await pass('startup').catch(failed('startup'));
  const loop = startPeriodic(() => pass('grown'), {
    intervalMs: options.intervalMs,
    ...(options.timers ? { timers: options.timers } : {}),
    onError: failed('grown'),
  });
  return {
    runOnce: async () => (await loop.runOnce()) ?? [],
    stop: loop.stop,
  };
}
