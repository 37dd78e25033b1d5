/**
 * The production driver: a PostgreSQL server through postgres.js.
 *
 * With a `schema`, every pooled connection starts with `search_path` set to it (a startup
 * parameter, so it holds on every connection of the pool, not only the one a SET ran on), the
 * service's tables and drizzle's bookkeeping table both live in it, and two services can share
 * one database without seeing each other's tables or migrations.
 *
 * A server restart (or failover) must cost a few failed requests, never the process or a pool
 * that stays broken (docs/storage.md, "When PostgreSQL restarts"; test/e2e/hub-db-restart):
 * - transactions go through guardTransactions (postgres-transactions.ts), so a connection lost
 *   mid-transaction cannot make postgres.js write to a dropped socket and crash the process;
 * - `fetch_types: false`: postgres.js reads the server's array types on every new connection
 *   and leaves that query's failure unhandled — an unhandled rejection, which ends a Node.js
 *   process — when the connection drops meanwhile. drizzle encodes and decodes the one array
 *   column type we use (text[]) itself, so the query is not needed;
 * - reconnection backs off from 50 ms up to 1 s: postgres.js's default grows to 20 s with the
 *   failed attempts of an outage and does not shrink until one succeeds, so a pool could sit
 *   idle for many seconds after the server came back while requests waited;
 * - a connection attempt gives up after 10 s (default 30 s), so an unreachable server fails a
 *   request rather than holding it.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { PlatformError } from '../errors.js';
import {
  once,
  redactUrl,
  type Database,
  type DatabaseHandle,
  type OpenDatabaseOptions,
} from './database.js';
import { applyMigrations } from './migrate.js';
import { pingDatabase } from './ping.js';
import { guardTransactions } from './postgres-transactions.js';

/** Seconds before reconnection attempt `retries` (postgres.js `backoff`): 50 ms doubling to 1 s. */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1);
}

export interface PostgresConnection<TSchema extends Record<string, unknown>> {
  readonly db: Database<TSchema>;
  /** Ends the pool (waits up to 5 s for queries under way). Idempotent. */
  readonly close: () => Promise<void>;
}

/**
 * The pool and its drizzle instance, configured as above; connects lazily (nothing is sent until
 * the first query). `schema`: the search_path of every connection.
 */
export function connectPostgres<TSchema extends Record<string, unknown>>(
  url: string,
  options: { schema?: string | undefined; maxConnections?: number; tables?: TSchema } = {},
): PostgresConnection<TSchema> {
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    // Notices ("schema already exists, skipping") are not errors; keep them off stdout.
    onnotice: () => undefined,
    fetch_types: false,
    backoff: reconnectDelaySeconds,
    connect_timeout: 10,
    ...(options.schema ? { connection: { search_path: options.schema } } : {}),
  });
  const db: Database<TSchema> = drizzle({
    client: guardTransactions(client),
    ...(options.tables ? { schema: options.tables } : {}),
  });
  return { db, close: once(() => client.end({ timeout: 5 })) };
}

export async function openPostgresDatabase<TSchema extends Record<string, unknown>>(
  url: string,
  schemaName: string | undefined,
  options: OpenDatabaseOptions<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  // `public` is the default search_path and drizzle's default layout: nothing to set up.
  const schema = schemaName === 'public' ? undefined : schemaName;
  const location = redactUrl(url) + (schema ? `?schema=${schema}` : '');
  const { db, close } = connectPostgres(url, {
    schema,
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    ...(options.tables ? { tables: options.tables } : {}),
  });
  try {
    try {
      await pingDatabase(db as Database<Record<string, unknown>>);
    } catch (e) {
      // drizzle's message quotes the query; the driver's (its cause) says why.
      const reason = (e as { cause?: unknown }).cause ?? e;
      throw new PlatformError(
        'DB_UNREACHABLE',
        `cannot connect to ${location}: ${(reason as Error).message}`,
        { field: 'url', cause: reason },
      );
    }
    const { applied } = await applyMigrations(db as Database<Record<string, unknown>>, {
      migrationsFolder: options.migrationsFolder,
      ...(schema ? { schema, migrationsSchema: schema } : {}),
    });
    return { kind: 'postgres', db, location, migrationsApplied: applied, close };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
