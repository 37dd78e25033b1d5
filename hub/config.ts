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
import { DEFAULT_MIN_CELL, MIN_CELL_RANGE } from './statistics/index.js';

export const DEFAULT_HUB_PORT = 7300;
export const DEFAULT_HUB_HOST = '127.0.0.1';
export const DEFAULT_HUB_DATA_DIR = './data/hub';
export const DEFAULT_HUB_KEY_FILE = './data/hub-signing-key.json';
/** A full batch: 500 statements of at most 16 384 characters, with room for the JSON around. */
export const DEFAULT_MAX_INTAKE_BYTES = 9 * 1024 * 1024;
/** A check request with 64 keys and a full policy is about 8 KiB. */
export const DEFAULT_MAX_CHECK_BYTES = 64 * 1024;

/** What the HTTP app needs (createHubApp); the rest of HubConfig is for the process. */
export interface HubAppConfig {
  /** OPRF key epochs whose attestations intake accepts (checks name their own epoch). */
  readonly epochs: readonly number[];
  readonly statsMinCell: number;
  readonly maxIntakeBytes: number;
  readonly maxCheckBytes: number;
  readonly maxBatch: number;
}

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly keyFile: string;
  readonly database: DatabaseConfig;
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

export const HubEnvSchema = z
  .object({
    ...databaseEnvShape,
    // 0 asks the OS for a free port (tests, throwaway runs); the bound URL is logged.
    SPX_HUB_PORT: envInteger({ min: 0, max: 65535 }).default(DEFAULT_HUB_PORT),
    SPX_HUB_HOST: z.string().min(1).default(DEFAULT_HUB_HOST),
    SPX_HUB_KEY_FILE: z.string().min(1).default(DEFAULT_HUB_KEY_FILE),
    SPX_HUB_EPOCHS: epochList.default([1]),
    SPX_STATS_MIN_CELL: envInteger(MIN_CELL_RANGE).default(DEFAULT_MIN_CELL),
    SPX_HUB_MAX_INTAKE_BYTES: envInteger({ min: 1024, max: 64 * 1024 * 1024 }).default(
      DEFAULT_MAX_INTAKE_BYTES,
    ),
    SPX_HUB_MAX_CHECK_BYTES: envInteger({ min: 1024, max: 1024 * 1024 }).default(
      DEFAULT_MAX_CHECK_BYTES,
    ),
    SPX_HUB_MAX_BATCH: envInteger({ min: 1, max: MAX_INTAKE_BATCH }).default(MAX_INTAKE_BATCH),
  })
  .superRefine(refineDatabaseEnv)
  .transform((e): HubConfig => ({
    host: e.SPX_HUB_HOST,
    port: e.SPX_HUB_PORT,
    keyFile: e.SPX_HUB_KEY_FILE,
    database: databaseConfigFromEnv(e, DEFAULT_HUB_DATA_DIR),
    app: {
      epochs: [...new Set(e.SPX_HUB_EPOCHS)].sort((a, b) => a - b),
      statsMinCell: e.SPX_STATS_MIN_CELL,
      maxIntakeBytes: e.SPX_HUB_MAX_INTAKE_BYTES,
      maxCheckBytes: e.SPX_HUB_MAX_CHECK_BYTES,
      maxBatch: e.SPX_HUB_MAX_BATCH,
    },
  }));

/** Throws ConfigError (CONFIG_INVALID) naming every bad variable. */
export function parseHubConfig(env: Env): HubConfig {
  return parseConfig(HubEnvSchema, env);
}
