import {
  checkDatabaseConfig,
  type DatabaseConfig,
  type DatabaseHandle,
  type OpenDatabaseOptions,
} from './database.js';
import { openPgliteDatabase } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';

/**
 * Opens the service's database and brings its schema up to date (design brief §9): PGlite in
 * `dataDir` (locked against a second process) or in memory, or PostgreSQL at `url`. Throws
 * PlatformError: DB_CONFIG_INVALID, DB_LOCKED, DB_UNREACHABLE, DB_MIGRATIONS_MISSING or
 * DB_MIGRATION_FAILED.
 */
export async function openDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  config: DatabaseConfig,
  options: OpenDatabaseOptions<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  checkDatabaseConfig(config);
  return config.kind === 'pglite'
    ? openPgliteDatabase(config.dataDir, options)
    : openPostgresDatabase(config.url, config.schema, options);
}
