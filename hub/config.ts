/**
 * The hub's configuration: environment variables declared once in HUB_SETTINGS (the source of
 * docs/configuration.md), parsed once by `parseHubConfig(process.env)` in the composition root
 * (the CLI), then passed down. Every bad variable is reported at once, by name, never with its
 * value.
 */
import { z } from 'zod';
import { envInteger, envList, type Env } from '../platform/config/config.js';
import {
  databaseConfigFromEnv,
  databaseSettings,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import {
  refineServerLimits,
  serverLimitSettings,
  serverLimitsFromEnv,
} from '../platform/config/server-limits-env.js';
import { defineSettings, parseSettings } from '../platform/config/settings.js';
import type { DatabaseConfig } from '../platform/db/database.js';
import type { ServerLimits } from '../platform/http/listen.js';
import { PERIOD_LENGTHS, type PeriodLength } from '../protocol/certification.js';
import { MAX_EPOCH, TimestampSchema } from '../protocol/common.js';
import type { PendingRule } from '../protocol/disclosure.js';
import { MAX_SERVED_EPOCHS } from '../protocol/served-epochs.js';
import { isUsJurisdictionCode } from '../crypto/us-jurisdictions.js';
import { MAX_INTAKE_BATCH } from '../protocol/intake.js';
import { DEFAULT_MIN_CELL, MIN_CELL_RANGE } from './statistics/disclosure/index.js';
import { EPSILON_RANGE } from './statistics/disclosure/noise.js';
import {
  DEFAULT_STATISTICS_PERIOD,
  parseStatisticsPeriod,
  PERIOD_SECONDS_RANGE,
  type StatisticsPeriod,
} from './statistics/statistics-period.js';
import { isLogOrigin } from './tlog/checkpoint-note.js';
import { DEFAULT_MAILBOX_RETENTION, type MailboxRetention } from './mailbox/mailbox.service.js';
import type { CheckRateLimit } from './checks/check-rate-limit.js';
import {
  DEFAULT_MONITORING_LIMITS,
  type MonitoringLimits,
} from './monitoring/monitoring.service.js';

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
/** How long registry entries and the latest checkpoint are reused (docs/performance.md). */
export const DEFAULT_READ_CACHE_MS = 1000;
/** Per-agency check limit (docs/api.md "Checks"): a busy agency's hiring, far below enumeration. */
export const DEFAULT_CHECK_RATE_LIMIT: CheckRateLimit = { perMinute: 120, burst: 60 };

/** What the HTTP app needs (createHubApp); the rest of HubConfig is for the process. */
export interface HubAppConfig {
  /** OPRF key epochs the hub serves: intake and checks under another epoch are refused. */
  readonly epochs: readonly number[];
  /**
   * SPX_HUB_EPOCH_WINDOW_END: from then on only the newest of `epochs` is served
   * (hub/epochs/epoch-window.ts). Undefined: every listed epoch until the list changes.
   */
  readonly epochWindowEnd?: Date | undefined;
  readonly statsMinCell: number;
  /** SPX_HUB_STATS_PERIOD: how often the statistics are released (default `month`). */
  readonly statsPeriod?: StatisticsPeriod;
  /** SPX_HUB_STATS_DP_EPSILON: ε of each release's noise; undefined, no noise. */
  readonly statsEpsilon?: number | undefined;
  /** SPX_HUB_CERTIFICATION_PERIOD: the reporting period of certifications (default quarter). */
  readonly certificationPeriod?: PeriodLength;
  readonly maxIntakeBytes: number;
  readonly maxCheckBytes: number;
  readonly maxBatch: number;
  /** SPX_HUB_LOG_ORIGIN: names the log in its checkpoints and signatures. */
  readonly logOrigin: string;
  /** SPX_HUB_PENDING_DISCLOSURE, SPX_HUB_WITHHOLD_PENDING_STATES (docs/protocol.md §5.8.4). */
  readonly pendingRule?: PendingRule;
  /** SPX_HUB_MAILBOX_*: how long mailbox messages are kept (docs/hub.md "Mailbox"). */
  readonly mailboxRetention?: MailboxRetention;
  /**
   * SPX_HUB_READ_CACHE_MS: how long registry entries (authentication, checks) and the latest
   * checkpoint with its cosignatures (check answers) are reused; undefined or 0: read each time.
   */
  readonly readCacheMs?: number;
  /** SPX_HUB_CHECK_RATE_PER_MINUTE, SPX_HUB_CHECK_BURST; undefined: no limit. */
  readonly checkRateLimit?: CheckRateLimit | undefined;
  /** SPX_HUB_MONITORING_*: the per-agency enrollment limit and term (docs/hub.md "Monitoring"). */
  readonly monitoring?: MonitoringLimits;
}

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  /** Timeouts and the connection cap of the HTTP server (docs/api.md "Server limits"). */
  readonly limits: ServerLimits;
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
    .min(1, 'at least one epoch')
    .max(MAX_SERVED_EPOCHS, `at most ${MAX_SERVED_EPOCHS} epochs`),
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

/** The hub's variables (docs/configuration.md is generated from this table). */
export const HUB_SETTINGS = defineSettings({
  SPX_HUB_HOST: {
    schema: z.string().min(1),
    default: DEFAULT_HUB_HOST,
    doc: 'address to listen on; put the hub behind a TLS-terminating proxy in production',
  },
  SPX_HUB_PORT: {
    // 0 asks the OS for a free port (tests, throwaway runs); the bound URL is logged.
    schema: envInteger({ min: 0, max: 65535 }),
    default: String(DEFAULT_HUB_PORT),
    doc: 'TCP port; `0` picks a free one (the bound URL is in the `started` log line)',
  },
  SPX_HUB_KEY_FILE: {
    schema: z.string().min(1),
    default: DEFAULT_HUB_KEY_FILE,
    doc: "the hub's private statement-signing key file (`spx hub keygen`); must exist, mode 0600",
  },
  SPX_HUB_EPOCHS: {
    schema: epochList,
    default: '1',
    doc: 'comma-separated OPRF key epochs the hub serves, e.g. `1,2` during a changeover: intake and checks under any other epoch are refused (`EPOCH_UNKNOWN`)',
  },
  SPX_HUB_EPOCH_WINDOW_END: {
    schema: TimestampSchema.transform((t) => new Date(t)),
    doc: 'end of a key changeover, e.g. `2026-09-01T00:00:00Z`: from then on only the newest of `SPX_HUB_EPOCHS` is served, without a restart (docs/hub.md "Epochs")',
  },
  SPX_HUB_STATS_MIN_CELL: {
    schema: envInteger(MIN_CELL_RANGE),
    default: String(DEFAULT_MIN_CELL),
    doc: `smallest count the statistics publish (${MIN_CELL_RANGE.min}–${MIN_CELL_RANGE.max}); non-zero cells below it are suppressed`,
    deprecatedNames: ['SPX_STATS_MIN_CELL'],
  },
  SPX_HUB_STATS_PERIOD: {
    schema: statisticsPeriod,
    default: String(DEFAULT_STATISTICS_PERIOD),
    doc: `release period of the statistics: \`month\`, \`week\`, \`day\`, \`hour\` (UTC) or whole seconds (${PERIOD_SECONDS_RANGE.min}–${PERIOD_SECONDS_RANGE.max}, for demos); docs/statistics.md "Releases"`,
    deprecatedNames: ['SPX_STATS_PERIOD'],
  },
  SPX_HUB_STATS_DP_EPSILON: {
    schema: z
      .string()
      .regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a decimal number, e.g. 0.5')
      .transform(Number)
      .pipe(z.number().min(EPSILON_RANGE.min).max(EPSILON_RANGE.max)),
    doc: `differential privacy of each statistics release: its budget ε (${EPSILON_RANGE.min}–${EPSILON_RANGE.max}); unset, no noise (the default). Discrete Laplace noise on every cell, beside suppression; docs/statistics.md "Noise"`,
  },
  SPX_HUB_CERTIFICATION_PERIOD: {
    schema: z.enum(PERIOD_LENGTHS),
    default: 'quarter',
    doc: 'reporting period of agency certifications: `quarter`, `month` or `year` (docs/protocol.md §5.15, docs/hub.md "Certifications")',
  },
  SPX_HUB_ANALYZE_INTERVAL_SECONDS: {
    schema: envInteger({ min: 0, max: 86_400 }),
    default: String(DEFAULT_ANALYZE_INTERVAL_SECONDS),
    unit: 'seconds',
    doc: 'time between checks for tables due for `ANALYZE` (docs/hub.md "Table statistics"), at most a day; `0` turns them off, start-up pass included',
    deprecatedNames: ['SPX_HUB_ANALYZE_INTERVAL'],
  },
  SPX_HUB_MAX_INTAKE_BYTES: {
    schema: envInteger({ min: 1024, max: 64 * 1024 * 1024 }),
    default: String(DEFAULT_MAX_INTAKE_BYTES),
    unit: 'bytes',
    doc: 'largest intake body (1 KiB–64 MiB); the default, 9 MiB, fits a full batch of 500 maximal statements',
  },
  SPX_HUB_MAX_CHECK_BYTES: {
    schema: envInteger({ min: 1024, max: 1024 * 1024 }),
    default: String(DEFAULT_MAX_CHECK_BYTES),
    unit: 'bytes',
    doc: 'largest check-request body (1 KiB–1 MiB); a request with 64 keys is about 8 KiB',
  },
  SPX_HUB_MAX_BATCH: {
    schema: envInteger({ min: 1, max: MAX_INTAKE_BATCH }),
    default: String(MAX_INTAKE_BATCH),
    doc: `most statements per intake batch (1–${MAX_INTAKE_BATCH}, the protocol's maximum)`,
  },
  SPX_HUB_LOG_ORIGIN: {
    schema: z
      .string()
      .refine(isLogOrigin, 'a host name with an optional port and path, e.g. hub.example.gov/log'),
    default: DEFAULT_LOG_ORIGIN,
    doc: "the transparency log's name in every checkpoint: the hub's public host and path, e.g. `hub.example.gov/log`; set it **before the first start** (docs/hub.md)",
  },
  SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS: {
    schema: envInteger({ min: 100, max: 3_600_000 }),
    default: String(DEFAULT_LOG_CHECKPOINT_INTERVAL_MS),
    unit: 'ms',
    doc: 'time between the checkpointer\'s passes (100 ms–1 h; docs/transparency.md "Checkpoints")',
  },
  SPX_HUB_PENDING_DISCLOSURE: {
    schema: z.enum(['show', 'withhold']),
    default: 'show',
    doc: 'whether checks list pending records (notice sent, pending appeal) as pending (`show`) or leave them out (`withhold`); retracted, overturned and expired records are never listed (docs/protocol.md §5.8.4)',
  },
  SPX_HUB_WITHHOLD_PENDING_STATES: {
    schema: envList().pipe(
      z.array(z.string().refine(isUsJurisdictionCode, 'a USPS state or territory code, e.g. CA')),
    ),
    doc: "comma-separated USPS codes of states whose law keeps open cases confidential: their reporting agencies' pending records are left out of checks",
  },
  SPX_HUB_MAILBOX_RETENTION_DAYS: {
    schema: envInteger({ min: 30, max: 3650 }),
    default: String(DEFAULT_MAILBOX_RETENTION.unacknowledgedDays),
    unit: 'days',
    doc: 'days a mailbox message waits for its agency to fetch and acknowledge it (30–3650) before it is deleted; the agency is then told how many it lost (docs/hub.md "Mailbox")',
  },
  SPX_HUB_MAILBOX_ACKNOWLEDGED_RETENTION_DAYS: {
    schema: envInteger({ min: 0, max: 3650 }),
    default: String(DEFAULT_MAILBOX_RETENTION.acknowledgedDays),
    unit: 'days',
    doc: 'days an acknowledged mailbox message is kept before it is deleted (0–3650)',
  },
  SPX_HUB_READ_CACHE_MS: {
    schema: envInteger({ min: 0, max: 60_000 }),
    default: String(DEFAULT_READ_CACHE_MS),
    unit: 'ms',
    doc: 'how long the hub reuses registry entries (request authentication, check answers) and the latest checkpoint with its cosignatures (check answers) before reading them again (0–60 000; `0` reads them for every request). A change made through this hub process applies at once; one made by another replica sharing the PostgreSQL, or by `spx hub` commands against it, within this time (docs/threat-model.md)',
  },
  SPX_HUB_CHECK_RATE_PER_MINUTE: {
    schema: envInteger({ min: 0, max: 1_000_000 }),
    default: String(DEFAULT_CHECK_RATE_LIMIT.perMinute),
    doc: 'checks an agency may make per minute, sustained (0–1 000 000; `0` turns the limit off); over it the hub answers `429 RATE_LIMITED` with `Retry-After`. Counted per hub process (docs/api.md "Checks")',
  },
  SPX_HUB_CHECK_BURST: {
    schema: envInteger({ min: 1, max: 1_000_000 }),
    default: String(DEFAULT_CHECK_RATE_LIMIT.burst),
    doc: 'checks an agency that has been idle may make at once, above the per-minute rate (1–1 000 000)',
  },
  SPX_HUB_MONITORING_MAX_ENROLLMENTS: {
    schema: envInteger({ min: 1, max: 10_000_000 }),
    default: String(DEFAULT_MONITORING_LIMITS.maxEnrollments),
    doc: 'most active monitoring enrollments (hub indexes) one agency may hold (1–10 000 000); a request beyond it is refused whole with `ENROLLMENT_LIMIT` (docs/hub.md "Monitoring")',
  },
  SPX_HUB_MONITORING_TERM_DAYS: {
    schema: envInteger({ min: 1, max: 3650 }),
    default: String(DEFAULT_MONITORING_LIMITS.termDays),
    unit: 'days',
    doc: 'days a monitoring enrollment lasts unless the agency renews it (1–3650); a lapsed one no longer brings notices',
  },
  SPX_HUB_KEYHOLDER_KEYSET: {
    schema: z.string().min(1),
    doc: "the keyholders' public key set to record in the log, inline JSON or a file: `spx keyholder keyset`'s output, as nodes pin it",
  },
  ...serverLimitSettings('SPX_HUB'),
  ...databaseSettings(DEFAULT_HUB_DATA_DIR),
});

/** Throws ConfigError (CONFIG_INVALID) naming every bad variable, never with its value. */
export function parseHubConfig(env: Env): HubConfig {
  const e = parseSettings(HUB_SETTINGS, env, (values, ctx) => {
    refineDatabaseEnv(values, ctx);
    refineServerLimits('SPX_HUB')(values, ctx);
    if (values.SPX_HUB_EPOCH_WINDOW_END !== undefined && new Set(values.SPX_HUB_EPOCHS).size < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_HUB_EPOCH_WINDOW_END'],
        message: 'a changeover needs two epochs or more in SPX_HUB_EPOCHS',
      });
    }
  });
  return {
    host: e.SPX_HUB_HOST,
    port: e.SPX_HUB_PORT,
    limits: serverLimitsFromEnv(e, 'SPX_HUB'),
    keyFile: e.SPX_HUB_KEY_FILE,
    database: databaseConfigFromEnv(e, DEFAULT_HUB_DATA_DIR),
    log: {
      checkpointIntervalMs: e.SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS,
      keyholderKeySet: e.SPX_HUB_KEYHOLDER_KEYSET,
    },
    analyzeIntervalSeconds: e.SPX_HUB_ANALYZE_INTERVAL_SECONDS,
    app: {
      epochs: [...new Set(e.SPX_HUB_EPOCHS)].sort((a, b) => a - b),
      epochWindowEnd: e.SPX_HUB_EPOCH_WINDOW_END,
      statsMinCell: e.SPX_HUB_STATS_MIN_CELL,
      statsPeriod: e.SPX_HUB_STATS_PERIOD,
      statsEpsilon: e.SPX_HUB_STATS_DP_EPSILON,
      certificationPeriod: e.SPX_HUB_CERTIFICATION_PERIOD,
      maxIntakeBytes: e.SPX_HUB_MAX_INTAKE_BYTES,
      maxCheckBytes: e.SPX_HUB_MAX_CHECK_BYTES,
      maxBatch: e.SPX_HUB_MAX_BATCH,
      logOrigin: e.SPX_HUB_LOG_ORIGIN,
      pendingRule: {
        pending: e.SPX_HUB_PENDING_DISCLOSURE,
        withholdPendingStates: e.SPX_HUB_WITHHOLD_PENDING_STATES ?? [],
      },
      mailboxRetention: {
        unacknowledgedDays: e.SPX_HUB_MAILBOX_RETENTION_DAYS,
        acknowledgedDays: e.SPX_HUB_MAILBOX_ACKNOWLEDGED_RETENTION_DAYS,
      },
      readCacheMs: e.SPX_HUB_READ_CACHE_MS,
      checkRateLimit:
        e.SPX_HUB_CHECK_RATE_PER_MINUTE === 0
          ? undefined
          : { perMinute: e.SPX_HUB_CHECK_RATE_PER_MINUTE, burst: e.SPX_HUB_CHECK_BURST },
      monitoring: {
        maxEnrollments: e.SPX_HUB_MONITORING_MAX_ENROLLMENTS,
        termDays: e.SPX_HUB_MONITORING_TERM_DAYS,
      },
    },
  };
}
