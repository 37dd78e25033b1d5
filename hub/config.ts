/**
 * The hub's configuration (docs/hub.md, "Configuration"): environment variables parsed once by
 * `parseHubConfig(process.env)` in the composition root (the CLI's `hub serve`), then passed
 * down. Every bad variable is reported at once, by name, never with its value.
 */
import { z } from 'zod';
import { envInteger, envList, parseConfig, type Env } from '../platform/config/config.js';
import {
  databaseConfigFromEnv,
  databaseEnvShape,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import type { DatabaseConfig } from '../platform/db/database.js';
import { MAX_EPOCH } from '../protocol/common.js';
import { MAX_INTAKE_BATCH } from '../protocol/intake.js';
import { DEFAULT_MIN_CELL, MIN_CELL_RANGE } from './statistics/disclosure/index.js';
import {
  DEFAULT_STATISTICS_PERIOD,
  parseStatisticsPeriod,
  PERIOD_SECONDS_RANGE,
  type StatisticsPeriod,
} from './statistics/statistics-period.js';
import { isLogOrigin } from './tlog/checkpoint-note.js';

export const DEFAULT_HUB_PORT = 7300;
export const DEFAULT_HUB_HOST = '127.0.0.1';
export const DEFAULT_HUB_DATA_DIR = './data/hub';
export const DEFAULT_HUB_KEY_FILE = './data/hub-signing-key.json';
/** A full batch: 500 statements of at most 16 384 characters, with room for the JSON around. */
export const DEFAULT_MAX_INTAKE_BYTES = 9 * 1024 * 1024;
/** A check request with 64 keys and a full policy is about 8 KiB. */
export const DEFAULT_MAX_CHECK_BYTES = 64 * 1024;
/** Seconds between checks for tables due for ANALYZE (platform/db/analyze-maintenance.ts). */
export const DEFAULT_ANALYZE_INTERVAL_SECONDS = 60;

/** The transparency log's origin (checkpoint first line, note key name) unless configured. */
export const DEFAULT_LOG_ORIGIN = 'spx.invalid/hub-log';
/** Milliseconds between the checkpointer's passes (docs/transparency.md, "Checkpoints"). */
export const DEFAULT_LOG_CHECKPOINT_INTERVAL_MS = 10_000;

/** What the HTTP app needs (createHubApp); the rest of HubConfig is for the process. */
export interface HubAppConfig {
  /** OPRF key epochs whose attestations intake accepts (checks name their own epoch). */
  readonly epochs: readonly number[];
  readonly statsMinCell: number;
  /** SPX_STATS_PERIOD: how often the statistics are released (default `month`). */
  readonly statsPeriod?: StatisticsPeriod;
  readonly maxIntakeBytes: number;
  readonly maxCheckBytes: number;
  readonly maxBatch: number;
  /** SPX_HUB_LOG_ORIGIN: names the log in its checkpoints and signatures. */
  readonly logOrigin: string;
}

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly keyFile: string;
  readonly database: DatabaseConfig;
  readonly log: {
    /** Time between checkpointer passes. */
    readonly checkpointIntervalMs: number;
    /** SPX_HUB_KEYHOLDER_KEYSET: the keyholders' key set to log (JSON text or a file path). */
    readonly keyholderKeySet: string | undefined;
  };
  /** Seconds between ANALYZE checks; 0 turns the maintenance off (start-up pass included). */
  readonly analyzeIntervalSeconds: number;
  readonly app: HubAppConfig;
}

const epochList = envList().pipe(
  z
    .array(
      z
        .string()
        .regex(/^\d{1,10}$/, 'epochs are decimal integers')
        .transform(Number)
        .pipe(z.int().min(1).max(MAX_EPOCH)),
    )
    .min(1, 'at least one epoch'),
);

const statisticsPeriod = z.string().transform((text, ctx): StatisticsPeriod => {
  const period = parseStatisticsPeriod(text);
  if (period !== undefined) return period;
  ctx.addIssue({
    code: 'custom',
    message: `month, week, day, hour, or a whole number of seconds from ${PERIOD_SECONDS_RANGE.min} to ${PERIOD_SECONDS_RANGE.max}`,
  });
  return z.NEVER;
});

export const HubEnvSchema = z
  .object({
    ...databaseEnvShape,
    // 0 asks the OS for a free port (tests, throwaway runs); the bound URL is logged.
    SPX_HUB_PORT: envInteger({ min: 0, max: 65535 }).default(DEFAULT_HUB_PORT),
    SPX_HUB_HOST: z.string().min(1).default(DEFAULT_HUB_HOST),
    SPX_HUB_KEY_FILE: z.string().min(1).default(DEFAULT_HUB_KEY_FILE),
    SPX_HUB_EPOCHS: epochList.default([1]),
    SPX_STATS_MIN_CELL: envInteger(MIN_CELL_RANGE).default(DEFAULT_MIN_CELL),
    SPX_STATS_PERIOD: statisticsPeriod.default(DEFAULT_STATISTICS_PERIOD),
    SPX_HUB_MAX_INTAKE_BYTES: envInteger({ min: 1024, max: 64 * 1024 * 1024 }).default(
      DEFAULT_MAX_INTAKE_BYTES,
    ),
    SPX_HUB_MAX_CHECK_BYTES: envInteger({ min: 1024, max: 1024 * 1024 }).default(
      DEFAULT_MAX_CHECK_BYTES,
    ),
    SPX_HUB_MAX_BATCH: envInteger({ min: 1, max: MAX_INTAKE_BATCH }).default(MAX_INTAKE_BATCH),
    SPX_HUB_LOG_ORIGIN: z
      .string()
      .refine(isLogOrigin, 'a host name with an optional port and path, e.g. hub.example.gov/log')
      .default(DEFAULT_LOG_ORIGIN),
    SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS: envInteger({ min: 100, max: 3_600_000 }).default(
      DEFAULT_LOG_CHECKPOINT_INTERVAL_MS,
    ),
    SPX_HUB_KEYHOLDER_KEYSET: z.string().min(1).optional(),
    SPX_HUB_ANALYZE_INTERVAL: envInteger({ min: 0, max: 86_400 }).default(
      DEFAULT_ANALYZE_INTERVAL_SECONDS,
    ),
  })
  .superRefine(refineDatabaseEnv)
  .transform((e): HubConfig => ({
    host: e.SPX_HUB_HOST,
    port: e.SPX_HUB_PORT,
    keyFile: e.SPX_HUB_KEY_FILE,
    database: databaseConfigFromEnv(e, DEFAULT_HUB_DATA_DIR),
    log: {
      checkpointIntervalMs: e.SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS,
      keyholderKeySet: e.SPX_HUB_KEYHOLDER_KEYSET,
    },
    analyzeIntervalSeconds: e.SPX_HUB_ANALYZE_INTERVAL,
    app: {
      epochs: [...new Set(e.SPX_HUB_EPOCHS)].sort((a, b) => a - b),
      statsMinCell: e.SPX_STATS_MIN_CELL,
      statsPeriod: e.SPX_STATS_PERIOD,
      maxIntakeBytes: e.SPX_HUB_MAX_INTAKE_BYTES,
      maxCheckBytes: e.SPX_HUB_MAX_CHECK_BYTES,
      maxBatch: e.SPX_HUB_MAX_BATCH,
      logOrigin: e.SPX_HUB_LOG_ORIGIN,
    },
  }));

/** Throws ConfigError (CONFIG_INVALID) naming every bad variable. */
export function parseHubConfig(env: Env): HubConfig {
  return parseConfig(HubEnvSchema, env);
}
