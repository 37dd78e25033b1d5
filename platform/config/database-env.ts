/**
 * The database part of every service's settings (docs/storage.md): PostgreSQL at
 * SPX_DATABASE_URL (in SPX_DATABASE_SCHEMA), else PGlite in SPX_DATA_DIR. Compose it into a
 * service's table and rules:
 *
 *   const HUB_SETTINGS = defineSettings({ ...databaseSettings('./data/hub'), SPX_HUB_PORT: … });
 *   const values = parseSettings(HUB_SETTINGS, env, refineDatabaseEnv);
 *   const database = databaseConfigFromEnv(values, './data/hub');
 */
import { z } from 'zod';
import { SCHEMA_NAME, type DatabaseConfig } from '../db/database.js';
import { envUrl } from './config.js';
import { defineSettings } from './settings.js';

export const MEMORY_DATA_DIR = ':memory:';

/** The three database variables; `defaultDataDir` is the service's PGlite directory. */
export function databaseSettings(defaultDataDir: string) {
  return defineSettings({
    SPX_DATABASE_URL: {
      schema: envUrl(['postgres', 'postgresql']),
      doc: 'PostgreSQL server to use (`postgres://user:password@host:5432/db`); unset: PGlite',
      whenUnset: 'PGlite',
      secret: true,
    },
    SPX_DATABASE_SCHEMA: {
      schema: z
        .string()
        .regex(SCHEMA_NAME, 'must be a lower-case unquoted identifier')
        .refine((s) => !s.startsWith('pg_'), 'names starting pg_ are reserved'),
      doc: "with SPX_DATABASE_URL only: the schema holding this service's tables (lower-case identifier)",
      whenUnset: '`public`',
    },
    SPX_DATA_DIR: {
      schema: z.string(),
      doc: "without SPX_DATABASE_URL: PGlite's data directory, created if missing; `:memory:` keeps nothing",
      whenUnset: `\`${defaultDataDir}\``,
    },
  });
}

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
