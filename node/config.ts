/**
 * The agency node's configuration: environment variables, parsed once (platform/config) and
 * documented in docs/node.md. Library code takes the parsed `NodeConfig`; only the CLI's
 * composition reads an environment. Files named here (key, policy, pinned keys) are read at
 * start-up by `loadNodeFiles` (node/service/node-files.ts), not by the parser: parsing is pure.
 */
import { z } from 'zod';
import {
  databaseConfigFromEnv,
  databaseEnvShape,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import {
  envBoolean,
  envInteger,
  envList,
  envUrl,
  parseConfig,
  type Env,
} from '../platform/config/config.js';
import {
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  type NoteVerifierKey,
} from '../crypto/note/index.js';
import { bytesEqual } from '../crypto/encoding.js';
import type { DatabaseConfig } from '../platform/db/database.js';
import { MAX_INTAKE_BATCH } from '../protocol/intake.js';
import type { CheckPolicy } from '../protocol/check-request.js';
import { OriSchema } from '../protocol/common.js';
import { LOG_ORIGIN_TEXT } from '../protocol/tlog.js';

export const DEFAULT_NODE_PORT = 7320;
export const DEFAULT_NODE_HOST = '127.0.0.1';
export const DEFAULT_NODE_URL = `http://${DEFAULT_NODE_HOST}:${DEFAULT_NODE_PORT}`;
export const DEFAULT_HUB_URL = 'http://127.0.0.1:7300';
export const DEFAULT_KEYHOLDER_URL = 'http://127.0.0.1:7310';
export const DEFAULT_NODE_DATA_DIR = './data/node';
/** 32 characters: a guessable admin token would open the agency's raw records. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * The default hiring policy (docs/node.md "Policy"): the four EO 13929 sec. 3 outcomes that
 * speak for themselves disqualify; separations under investigation, suspensions and sustained
 * serious misconduct call for a person's review; use of force is at least a review. Only a
 * strong key (SSN, licence) may make a finding: a name and date of birth can be shared by two
 * people, so such a match is a review until the reporting agency confirms the person.
 */
export const DEFAULT_CHECK_POLICY: CheckPolicy = {
  categoryList: 1,
  disqualifying: [
    'termination',
    'decertification',
    'criminal_conviction_on_duty',
    'civil_judgment_use_of_force',
  ],
  review: [
    'resignation_under_investigation',
    'retirement_under_investigation',
    'suspension',
    'sustained_serious_misconduct',
  ],
  otherCategories: 'review',
  useOfForce: 'at_least_review',
  findingStrength: 'strong',
  lookbackYears: null,
  disputed: 'review',
};

export interface OutboxConfig {
  /** How often `serve` looks for due outbox items. */
  readonly intervalMs: number;
  /** Attestations per intake request (≤ MAX_INTAKE_BATCH). */
  readonly batchSize: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** An item claimed by a sender that died comes due again after this. */
  readonly leaseMs: number;
}

/** The node as a monitor and witness of the hub's transparency log (docs/node.md "Monitor"). */
export interface LogConfig {
  /** SPX_NODE_LOG_ORIGIN: the log's origin; absent: trusted on first use. */
  readonly origin: string | undefined;
  /** SPX_NODE_LOG_WITNESSES: witnesses whose cosignatures count (C2SP verifier keys). */
  readonly witnesses: readonly NoteVerifierKey[];
  /** SPX_NODE_LOG_WITNESS_QUORUM: cosignatures a checkpoint needs before the monitor stores it. */
  readonly quorum: number;
  /** SPX_NODE_WITNESS: cosign the checkpoints this node verified. */
  readonly witness: boolean;
  readonly monitorIntervalMs: number;
}

export interface NodeConfig {
  readonly ori: string;
  readonly keyFile: string;
  readonly port: number;
  readonly host: string;
  readonly adminToken: string;
  readonly hubUrl: string;
  readonly keyholderUrls: readonly string[];
  /** Pinned keyholder key set: JSON text or a file path (node/tokenize PinnedKeySet). */
  readonly keyholderKeySet: string | undefined;
  /** Pinned hub signing keys: JWKS JSON text or a file path. Absent: fetched once (TOFU). */
  readonly hubKeys: string | undefined;
  /** JSON file of the agency's CheckPolicy; absent: DEFAULT_CHECK_POLICY. */
  readonly policyFile: string | undefined;
  readonly outbox: OutboxConfig;
  readonly log: LogConfig;
  readonly database: DatabaseConfig;
}

const ms = (min: number, max: number) => envInteger({ min, max });

/** Comma-separated C2SP verifier keys of witnesses (type 0x04), each its own key. */
const witnessKeys = envList().transform((items, ctx): NoteVerifierKey[] => {
  const keys: NoteVerifierKey[] = [];
  items.forEach((item, i) => {
    let key: NoteVerifierKey;
    try {
      key = parseVerifierKey(item);
    } catch {
      ctx.addIssue({ code: 'custom', message: `item ${i + 1} is not a C2SP verifier key` });
      return;
    }
    if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
      ctx.addIssue({ code: 'custom', message: `item ${i + 1} is not a cosignature (0x04) key` });
    } else if (keys.some((k) => bytesEqual(k.publicKey, key.publicKey))) {
      ctx.addIssue({ code: 'custom', message: `item ${i + 1} repeats a witness key` });
    } else {
      keys.push(key);
    }
  });
  return keys;
});

export const NodeEnvSchema = z
  .object({
    ...databaseEnvShape,
    SPX_NODE_ORI: OriSchema,
    SPX_NODE_KEY_FILE: z.string().min(1),
    SPX_NODE_PORT: envInteger({ min: 0, max: 65535 }).default(DEFAULT_NODE_PORT),
    SPX_NODE_HOST: z.string().min(1).default(DEFAULT_NODE_HOST),
    SPX_NODE_ADMIN_TOKEN: z
      .string()
      .min(MIN_ADMIN_TOKEN_LENGTH, `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`)
      .max(512),
    SPX_HUB_URL: envUrl(['http', 'https']).default(DEFAULT_HUB_URL),
    SPX_KEYHOLDER_URLS: envList()
      .pipe(z.array(envUrl(['http', 'https'])).min(1, 'needs at least one URL'))
      .default([DEFAULT_KEYHOLDER_URL]),
    SPX_KEYHOLDER_KEYSET: z.string().min(1).optional(),
    SPX_NODE_HUB_KEYS: z.string().min(1).optional(),
    SPX_NODE_POLICY: z.string().min(1).optional(),
    SPX_NODE_OUTBOX_INTERVAL_MS: ms(100, 3_600_000).default(5_000),
    SPX_NODE_OUTBOX_BATCH: envInteger({ min: 1, max: MAX_INTAKE_BATCH }).default(200),
    SPX_NODE_OUTBOX_BASE_BACKOFF_MS: ms(10, 3_600_000).default(2_000),
    SPX_NODE_OUTBOX_MAX_BACKOFF_MS: ms(10, 86_400_000).default(3_600_000),
    SPX_NODE_LOG_ORIGIN: z
      .string()
      .regex(LOG_ORIGIN_TEXT, 'must be 1 to 255 printable ASCII characters without space or "+"')
      .optional(),
    SPX_NODE_LOG_WITNESSES: witnessKeys.default([]),
    SPX_NODE_LOG_WITNESS_QUORUM: envInteger({ min: 0, max: 100 }).optional(),
    SPX_NODE_WITNESS: envBoolean().default(false),
    SPX_NODE_MONITOR_INTERVAL_MS: ms(1_000, 86_400_000).default(300_000),
  })
  .superRefine((env, ctx) => {
    refineDatabaseEnv(env, ctx);
    if (env.SPX_NODE_OUTBOX_MAX_BACKOFF_MS < env.SPX_NODE_OUTBOX_BASE_BACKOFF_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_NODE_OUTBOX_MAX_BACKOFF_MS'],
        message: 'must be at least SPX_NODE_OUTBOX_BASE_BACKOFF_MS',
      });
    }
    if ((env.SPX_NODE_LOG_WITNESS_QUORUM ?? 0) > env.SPX_NODE_LOG_WITNESSES.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_NODE_LOG_WITNESS_QUORUM'],
        message: 'must not exceed the number of SPX_NODE_LOG_WITNESSES',
      });
    }
  })
  .transform((env): NodeConfig => ({
    ori: env.SPX_NODE_ORI,
    keyFile: env.SPX_NODE_KEY_FILE,
    port: env.SPX_NODE_PORT,
    host: env.SPX_NODE_HOST,
    adminToken: env.SPX_NODE_ADMIN_TOKEN,
    hubUrl: env.SPX_HUB_URL,
    keyholderUrls: env.SPX_KEYHOLDER_URLS,
    keyholderKeySet: env.SPX_KEYHOLDER_KEYSET,
    hubKeys: env.SPX_NODE_HUB_KEYS,
    policyFile: env.SPX_NODE_POLICY,
    outbox: {
      intervalMs: env.SPX_NODE_OUTBOX_INTERVAL_MS,
      batchSize: env.SPX_NODE_OUTBOX_BATCH,
      baseBackoffMs: env.SPX_NODE_OUTBOX_BASE_BACKOFF_MS,
      maxBackoffMs: env.SPX_NODE_OUTBOX_MAX_BACKOFF_MS,
      // Longer than the client's whole-exchange timeout, so a slow send is not taken twice.
      leaseMs: 60_000,
    },
    log: {
      origin: env.SPX_NODE_LOG_ORIGIN,
      witnesses: env.SPX_NODE_LOG_WITNESSES,
      // Listing witnesses means wanting at least one of them, unless a quorum is given.
      quorum: env.SPX_NODE_LOG_WITNESS_QUORUM ?? Math.min(1, env.SPX_NODE_LOG_WITNESSES.length),
      witness: env.SPX_NODE_WITNESS,
      monitorIntervalMs: env.SPX_NODE_MONITOR_INTERVAL_MS,
    },
    database: databaseConfigFromEnv(env, DEFAULT_NODE_DATA_DIR),
  }));

/** Throws ConfigError (CONFIG_INVALID) naming every bad variable, never echoing a value. */
export function parseNodeConfig(env: Env): NodeConfig {
  return parseConfig(NodeEnvSchema, env);
}
