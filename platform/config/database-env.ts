/**
 * The database part of every service's configuration (docs/storage.md):
 *
 *   SPX_DATABASE_URL     postgres://… — use that PostgreSQL server
 *   SPX_DATABASE_SCHEMA  schema for the service's tables on that server (default public)
 *   SPX_DATA_DIR         PGlite data directory, when no URL is set; `:memory:` for none
 *
 * Compose it into a service's schema:
 *
 *   const HubEnv = z.object({ ...databaseEnvShape, SPX_HUB_PORT: envPort().default(8080) })
 *     .superRefine(refineDatabaseEnv)
 *     .transform((e) => ({ port: e.SPX_HUB_PORT, database: databaseConfigFromEnv(e, './data/hub') }));
 */
import { z } from 'zod';
import { SCHEMA_NAME, type DatabaseConfig } from '../db/database.js';
import { envUrl } from './config.js';

export const MEMORY_DATA_DIR = ':memory:';

export const databaseEnvShape = {
  SPX_DATABASE_URL: envUrl(['postgres', 'postgresql']).optional(),
  SPX_DATABASE_SCHEMA: z
    .string()
    .regex(SCHEMA_NAME, 'must be a lower-case unquoted identifier')
    .refine((s) => !s.startsWith('pg_'), 'names starting pg_ are reserved')
    .optional(),
  SPX_DATA_DIR: z.string().optional(),
};

type DatabaseEnv = {
  readonly SPX_DATABASE_URL?: string | undefined;
  readonly SPX_DATABASE_SCHEMA?: string | undefined;
  readonly SPX_DATA_DIR?: string | undefined;
};

/** Rules across the variables: one place for the data, and a schema only with a server. */
export function refineDatabaseEnv(env: DatabaseEnv, ctx: z.RefinementCtx): void {
  if (env.SPX_DATABASE_URL !== undefined && env.SPX_DATA_DIR !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['SPX_DATA_DIR'],
      message: 'set SPX_DATABASE_URL or SPX_DATA_DIR, not both',
    });
  }
  if (env.SPX_DATABASE_SCHEMA !== undefined && env.SPX_DATABASE_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['SPX_DATABASE_SCHEMA'],
      message: 'applies only with SPX_DATABASE_URL',
    });
  }
}

/**
 * PostgreSQL when a URL is set; otherwise PGlite in SPX_DATA_DIR, else in `defaultDataDir`,
 * else in memory. `:memory:` asks for memory explicitly (demos, throwaway runs).
 */
export function databaseConfigFromEnv(env: DatabaseEnv, defaultDataDir?: string): DatabaseConfig {
  if (env.SPX_DATABASE_URL !== undefined) {
    return env.SPX_DATABASE_SCHEMA === undefined
      ? { kind: 'postgres', url: env.SPX_DATABASE_URL }
      : { kind: 'postgres', url: env.SPX_DATABASE_URL, schema: env.SPX_DATABASE_SCHEMA };
  }
  const dataDir = env.SPX_DATA_DIR ?? defaultDataDir;
  return dataDir === undefined || dataDir === MEMORY_DATA_DIR
    ? { kind: 'pglite' }
    : { kind: 'pglite', dataDir };
}
