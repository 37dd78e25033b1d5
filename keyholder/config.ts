/**
 * The keyholder's configuration: environment variables, parsed once (platform/config). Every
 * variable is listed in docs/keyholder.md. Library code takes the parsed `KeyholderConfig`; only
 * the CLI's composition reads an environment.
 */
import { z } from 'zod';
import type { DatabaseConfig } from '../platform/db/database.js';
import {
  databaseConfigFromEnv,
  databaseEnvShape,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import { envInteger, envUrl, parseConfig, type Env } from '../platform/config/config.js';

export const DEFAULT_KEYHOLDER_PORT = 7310;
export const DEFAULT_KEYHOLDER_HOST = '127.0.0.1';
/** The hub's default loopback address (issue 3 contract: hub 7300). */
export const DEFAULT_HUB_URL = 'http://127.0.0.1:7300';
export const DEFAULT_KEYHOLDER_AUDIENCE = 'spx-keyholder';
/** Elements per agency per UTC day: a few hundred records' worth of keys, checks included. */
export const DEFAULT_DAILY_QUOTA = 10_000;
export const DEFAULT_REGISTRY_TTL_SECONDS = 60;
export const DEFAULT_REGISTRY_MAX_STALENESS_SECONDS = 3600;
export const DEFAULT_REGISTRY_MIN_REFRESH_SECONDS = 10;
export const DEFAULT_KEYHOLDER_DATA_DIR = './data/keyholder';
/** Largest per-agency daily allowance an operator can set (fits the integer counter column). */
export const MAX_DAILY_QUOTA = 1_000_000_000;

export interface KeyholderConfig {
  readonly port: number;
  readonly host: string;
  readonly hubUrl: string;
  /** The `aud` request tokens must carry (docs/protocol.md §7.2). */
  readonly audience: string;
  /** Elements an agency may have evaluated per UTC day unless the operator set its own. */
  readonly dailyQuota: number;
  readonly registry: {
    readonly ttlSeconds: number;
    readonly maxStalenessSeconds: number;
    readonly minRefreshSeconds: number;
  };
  /** File holding the key-encryption key (base64url of 32 bytes); absent: secrets stored as-is. */
  readonly kekFile: string | undefined;
  readonly database: DatabaseConfig;
}

const seconds = (max: number) => envInteger({ min: 1, max });

export const KeyholderEnvSchema = z
  .object({
    ...databaseEnvShape,
    // 0 takes a free port (as SPX_HUB_PORT, SPX_NODE_PORT and `serve --port` do): tests and
    // the demo then read the bound address from the `started` log line.
    SPX_KEYHOLDER_PORT: envInteger({ min: 0, max: 65535 }).default(DEFAULT_KEYHOLDER_PORT),
    SPX_KEYHOLDER_HOST: z.string().min(1).default(DEFAULT_KEYHOLDER_HOST),
    SPX_HUB_URL: envUrl(['http', 'https']).default(DEFAULT_HUB_URL),
    SPX_KEYHOLDER_AUDIENCE: z.string().min(1).max(256).default(DEFAULT_KEYHOLDER_AUDIENCE),
    SPX_KEYHOLDER_DAILY_QUOTA: envInteger({ min: 0, max: MAX_DAILY_QUOTA }).default(
      DEFAULT_DAILY_QUOTA,
    ),
    SPX_KEYHOLDER_REGISTRY_TTL_SECONDS: seconds(86_400).default(DEFAULT_REGISTRY_TTL_SECONDS),
    SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS: seconds(7 * 86_400).default(
      DEFAULT_REGISTRY_MAX_STALENESS_SECONDS,
    ),
    SPX_KEYHOLDER_REGISTRY_MIN_REFRESH_SECONDS: seconds(3600).default(
      DEFAULT_REGISTRY_MIN_REFRESH_SECONDS,
    ),
    SPX_KEYHOLDER_KEK_FILE: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    refineDatabaseEnv(env, ctx);
    if (env.SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS < env.SPX_KEYHOLDER_REGISTRY_TTL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS'],
        message: 'must be at least SPX_KEYHOLDER_REGISTRY_TTL_SECONDS',
      });
    }
  })
  .transform((env): KeyholderConfig => ({
    port: env.SPX_KEYHOLDER_PORT,
    host: env.SPX_KEYHOLDER_HOST,
    // A trailing slash would double up when paths are appended.
    hubUrl: env.SPX_HUB_URL.replace(/\/+$/, ''),
    audience: env.SPX_KEYHOLDER_AUDIENCE,
    dailyQuota: env.SPX_KEYHOLDER_DAILY_QUOTA,
    registry: {
      ttlSeconds: env.SPX_KEYHOLDER_REGISTRY_TTL_SECONDS,
      maxStalenessSeconds: env.SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS,
      minRefreshSeconds: env.SPX_KEYHOLDER_REGISTRY_MIN_REFRESH_SECONDS,
    },
    kekFile: env.SPX_KEYHOLDER_KEK_FILE,
    database: databaseConfigFromEnv(env, DEFAULT_KEYHOLDER_DATA_DIR),
  }));

/** Parses the keyholder's variables from `env`; throws ConfigError (CONFIG_INVALID). */
export function parseKeyholderConfig(env: Env): KeyholderConfig {
  return parseConfig(KeyholderEnvSchema, env);
}
