/**
 * Applies a service's drizzle-kit SQL migrations at start-up (docs/storage.md).
 *
 * Files are read and hashed by drizzle's own `readMigrationFiles`, and the bookkeeping table is
 * drizzle's (`<schema>.__drizzle_migrations`: id, hash, created_at = the journal's `when`), with
 * drizzle's rule: a migration is applied when it is newer than the newest one recorded. So a
 * database migrated here and one migrated by drizzle's `migrate()` or `drizzle-kit migrate`
 * are interchangeable. We run that loop ourselves rather than through drizzle's migrator for
 * two reasons drizzle's does not cover:
 *
 * 1. Replicas starting at once. drizzle reads the last applied migration *outside* its
 *    transaction, so two replicas can both decide to apply the same migration. Here the whole
 *    run is one transaction that first takes a transaction-scoped advisory lock
 *    (`pg_advisory_xact_lock`, PostgreSQL manual "Advisory Lock Functions"), and only then reads what was applied; the
 *    second replica waits, then sees the first one's rows and applies nothing. The lock is
 *    released by COMMIT or ROLLBACK, so a crashed replica cannot leave it held.
 * 2. A non-`public` schema. drizzle-kit qualifies enum types and foreign-key targets with
 *    `"public".`; when the service lives in another schema those qualifiers are rewritten to it.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { bigint, pgSchema, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { PlatformError, isPlatformError } from '../errors.js';
import type { Database } from './database.js';

/** drizzle's default bookkeeping table and schema (drizzle-orm pg-core dialect). */
export const MIGRATIONS_TABLE = '__drizzle_migrations';
export const DEFAULT_MIGRATIONS_SCHEMA = 'drizzle';

/** First key of the advisory lock ("SPXM"); the second is hashtext(migrations schema). */
const MIGRATION_LOCK_CLASS = 0x5350584d;

export interface MigrateOptions {
  readonly migrationsFolder: string;
  /** Schema the service's tables live in; `public` (the default) needs no rewriting. */
  readonly schema?: string;
  /** Where the bookkeeping table lives; defaults to `drizzle`, as drizzle-kit expects. */
  readonly migrationsSchema?: string;
}

export interface MigrateResult {
  /** Migrations applied by this call (0 when the database was already up to date). */
  readonly applied: number;
  /** Migrations in the folder's journal. */
  readonly total: number;
}

/** `"public".` → `"<schema>".` in a drizzle-kit statement (schema names are pre-validated). */
export function requalify(statement: string, schema: string): string {
  return schema === 'public' ? statement : statement.replaceAll('"public".', `"${schema}".`);
}

/** drizzle wraps driver errors ("Failed query: …"); the driver's message says what went wrong. */
function rootMessage(e: unknown): string {
  let current = e;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function loadMigrations(migrationsFolder: string): MigrationMeta[] {
  try {
    return readMigrationFiles({ migrationsFolder });
  } catch (e) {
    throw new PlatformError(
      'DB_MIGRATIONS_MISSING',
      `no drizzle-kit migrations (meta/_journal.json and its .sql files) in ${migrationsFolder}`,
      { field: 'migrationsFolder', cause: e },
    );
  }
}

/** The catalog of schemas; pg_catalog is always searched first, whatever search_path says. */
const pgNamespace = pgTable('pg_namespace', { nspname: text('nspname').notNull() });

/**
 * Creates `name` only when it is missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE right on
 * the database even when the schema exists, and a production role often lacks it for a schema
 * a DBA created for the service.
 */
async function ensureSchema(tx: Database<Record<string, unknown>>, name: string): Promise<void> {
  const found = await tx
    .select({ name: pgNamespace.nspname })
    .from(pgNamespace)
    .where(eq(pgNamespace.nspname, name));
  if (found.length === 0) await tx.execute(sql`create schema ${sql.identifier(name)}`);
}

export async function applyMigrations(
  db: Database<Record<string, unknown>>,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const migrations = loadMigrations(options.migrationsFolder);
  const schema = options.schema ?? 'public';
  const migrationsSchema = options.migrationsSchema ?? DEFAULT_MIGRATIONS_SCHEMA;
  const journal = pgSchema(migrationsSchema).table(MIGRATIONS_TABLE, {
    id: serial('id').primaryKey(),
    hash: text('hash').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }),
  });
  let applied = 0;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(${sql.raw(String(MIGRATION_LOCK_CLASS))}, hashtext(${migrationsSchema}))`,
      );
      if (schema !== 'public') await ensureSchema(tx, schema);
      await ensureSchema(tx, migrationsSchema);
      await tx.execute(sql`create table if not exists ${journal} (
        id serial primary key, hash text not null, created_at bigint)`);
      const [last] = await tx
        .select({ createdAt: journal.createdAt })
        .from(journal)
        .orderBy(desc(journal.createdAt))
        .limit(1);
      for (const migration of migrations) {
        if (last?.createdAt != null && last.createdAt >= migration.folderMillis) continue;
        for (const statement of migration.sql) {
          if (statement.trim() === '') continue;
          await tx.execute(sql.raw(requalify(statement, schema)));
        }
        await tx
          .insert(journal)
          .values({ hash: migration.hash, createdAt: migration.folderMillis });
        applied++;
      }
    });
  } catch (e) {
    if (isPlatformError(e)) throw e;
    throw new PlatformError(
      'DB_MIGRATION_FAILED',
      `migrations from ${options.migrationsFolder} failed and were rolled back: ${rootMessage(e)}`,
      { field: 'migrationsFolder', cause: e },
    );
  }
  return { applied, total: migrations.length };
}
