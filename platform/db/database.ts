/**
 * One schema, two drivers (design brief §9): a service opens its database with
 * `openDatabase(config, { migrationsFolder })` and gets a drizzle instance typed as the common
 * base of the PGlite and postgres.js drivers. Repositories are written once against
 * `Database<TSchema>` and run on both (docs/storage.md).
 */
import type { PGliteOptions } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { PlatformError } from '../errors.js';

export type DatabaseConfig =
  /** Embedded PostgreSQL in WASM; in memory when `dataDir` is absent. */
  | { readonly kind: 'pglite'; readonly dataDir?: string }
  /** A PostgreSQL server; `schema` (default `public`) holds the service's tables. */
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };

export type DatabaseKind = DatabaseConfig['kind'];

/**
 * What repositories take: drizzle's PostgreSQL database over *any* driver's result type. Both
 * `PgliteDatabase` and `PostgresJsDatabase` extend it, and so does a transaction (`tx` in
 * `db.transaction(async (tx) => …)`), so one repository function serves all of them. Raw
 * `db.execute()` results differ between drivers (postgres.js returns an array, PGlite an
 * object with `rows`); use the query builder, which returns the same rows on both.
 */
export type Database<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<
  PgQueryResultHKT,
  TSchema
>;

export interface DatabaseHandle<TSchema extends Record<string, unknown> = Record<string, never>> {
  readonly kind: DatabaseKind;
  readonly db: Database<TSchema>;
  /** Where the data lives, for logs: never contains a password. */
  readonly location: string;
  /** Migrations applied while opening (0 when the database was up to date). */
  readonly migrationsApplied: number;
  /** Closes the connection(s), and for PGlite releases the data-directory lock. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** The service's drizzle-kit output folder (`out` in its drizzle config). */
  readonly migrationsFolder: string;
  /** drizzle's `schema` option (tables and relations), needed for `db.query.*`. */
  readonly tables?: TSchema;
  /** postgres.js pool size (default 10). */
  readonly maxConnections?: number;
  /**
   * PGlite for a long-running service that should stay small (platform/db/pglite.ts): lean
   * PostgreSQL settings, initdb of a new data directory in a child process, no runtime shared
   * with other instances. Ignored for PostgreSQL.
   */
  readonly lean?: boolean;
  /** Extra PGlite options (tests use `loadDataDir`); never `dataDir`, which comes from config. */
  readonly pglite?: Omit<PGliteOptions, 'dataDir'>;
}

/**
 * An unquoted PostgreSQL identifier, lower case (PostgreSQL §4.1.1; 63 bytes is NAMEDATALEN-1).
 * Restricting schema names to this form lets them be placed in search_path and in rewritten
 * migration SQL without any quoting questions.
 */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

export function checkDatabaseConfig(config: DatabaseConfig): void {
  if (config.kind === 'postgres') {
    if (!isPostgresUrl(config.url)) {
      // The URL is not echoed: it may hold a password.
      throw new PlatformError('DB_CONFIG_INVALID', 'database URL is not a postgres:// URL', {
        field: 'url',
      });
    }
    if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) {
      throw new PlatformError(
        'DB_CONFIG_INVALID',
        `schema name ${JSON.stringify(config.schema)} is not a lower-case unquoted identifier`,
        { field: 'schema' },
      );
    }
    if (config.schema?.startsWith('pg_')) {
      throw new PlatformError('DB_CONFIG_INVALID', 'schema names starting pg_ are reserved', {
        field: 'schema',
      });
    }
  } else if (config.dataDir !== undefined && config.dataDir.trim() === '') {
    throw new PlatformError('DB_CONFIG_INVALID', 'PGlite data directory is empty', {
      field: 'dataDir',
    });
  }
}

/** `postgres://user:secret@db.example:5432/hub` → `postgres://db.example:5432/hub`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparsable database URL)';
  }
}

/** Runs `fn` once; later calls get the first call's promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
