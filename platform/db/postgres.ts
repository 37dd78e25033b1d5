/**
 * The production driver: a PostgreSQL server through postgres.js.
 *
 * With a `schema`, every pooled connection starts with `search_path` set to it (a startup
 * parameter, so it holds on every connection of the pool, not only the one a SET ran on), the
 * service's tables and drizzle's bookkeeping table both live in it, and two services can share
 * one database without seeing each other's tables or migrations.
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

export async function openPostgresDatabase<TSchema extends Record<string, unknown>>(
  url: string,
  schemaName: string | undefined,
  options: OpenDatabaseOptions<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  // `public` is the default search_path and drizzle's default layout: nothing to set up.
  const schema = schemaName === 'public' ? undefined : schemaName;
  const location = redactUrl(url) + (schema ? `?schema=${schema}` : '');
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    // Notices ("schema already exists, skipping") are not errors; keep them off stdout.
    onnotice: () => undefined,
    ...(schema ? { connection: { search_path: schema } } : {}),
  });
  const close = once(() => client.end({ timeout: 5 }));
  try {
    try {
      await client`select 1`;
    } catch (e) {
      throw new PlatformError(
        'DB_UNREACHABLE',
        `cannot connect to ${location}: ${(e as Error).message}`,
        { field: 'url', cause: e },
      );
    }
    const db: Database<TSchema> = drizzle({ client, schema: options.tables });
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
