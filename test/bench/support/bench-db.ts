/**
 * Databases for the benchmarks, opened the way the services open theirs (platform/db
 * openDatabase, migrations applied at open) and thrown away afterwards:
 *
 * - PGlite in a fresh data directory under the OS temp folder (the services' default is a data
 *   directory, not memory, so writes go to files as in production); removed at close.
 * - PostgreSQL at SPX_BENCH_DATABASE_URL in a fresh schema `spx_bench_<time>_<random>`;
 *   dropped (CASCADE) at close, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../../platform/db/open.js';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { DbChoice } from './report.js';

export interface BenchDatabase<TSchema extends Record<string, unknown>> {
  readonly handle: DatabaseHandle<TSchema>;
  /** For the printed tables: `PGlite (data dir)` or `PostgreSQL 15.x`. */
  readonly label: string;
  close(): Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();
let interruptHandlerInstalled = false;

/** Ctrl-C still drops the schema and removes the data directory. */
function installInterruptHandler(): void {
  if (interruptHandlerInstalled) return;
  interruptHandlerInstalled = true;
  process.once('SIGINT', () => {
    console.error('\ninterrupted: cleaning up the benchmark databases');
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

export async function openBenchDatabase<TSchema extends Record<string, unknown>>(
  kind: DbChoice,
  options: { migrationsFolder: string; tables: TSchema; postgresUrl: string },
): Promise<BenchDatabase<TSchema>> {
  installInterruptHandler();
  if (kind === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-bench-'));
    const handle = await openDatabase(
      { kind: 'pglite', dataDir: dir },
      { migrationsFolder: options.migrationsFolder, tables: options.tables },
    ).catch(async (e: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw e;
    });
    const cleanup = async () => {
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    };
    cleanups.add(cleanup);
    return {
      handle,
      label: 'PGlite (data directory)',
      close: async () => {
        cleanups.delete(cleanup);
        await cleanup();
      },
    };
  }
  const schema = `spx_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const handle = await openDatabase(
    { kind: 'postgres', url: options.postgresUrl, schema },
    { migrationsFolder: options.migrationsFolder, tables: options.tables },
  );
  const cleanup = async () => {
    try {
      await handle.db.execute(sql`drop schema if exists ${sql.identifier(schema)} cascade`);
    } finally {
      await handle.close();
    }
  };
  cleanups.add(cleanup);
  const version = await serverVersion(handle);
  return {
    handle,
    label: `PostgreSQL ${version} (schema ${schema})`,
    close: async () => {
      cleanups.delete(cleanup);
      await cleanup();
    },
  };
}

async function serverVersion(handle: DatabaseHandle<Record<string, unknown>>): Promise<string> {
  // postgres.js returns rows as an array, PGlite as { rows } (docs/storage.md).
  const result = (await handle.db.execute(sql`show server_version`)) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  const row = rows[0] as { server_version?: string } | undefined;
  return row?.server_version?.split(' ')[0] ?? '?';
}

/** Whether a PostgreSQL server answers at `url` (to skip it when it was not asked for). */
export async function postgresReachable(url: string): Promise<boolean> {
  const { default: postgres } = await import('postgres');
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 2 }).catch(() => undefined);
  }
}
