/**
 * The agency node's configuration: environment variables declared once in NODE_SETTINGS (the
 * source of docs/configuration.md) and parsed once (platform/config). Library code takes the parsed `NodeConfig`; only the CLI's
 * composition reads an environment. Files named here (key, policy, pinned keys) are read at
 * start-up by `loadNodeFiles` (node/service/node-files.ts), not by the parser: parsing is pure.
 */
import { DEFAULT_MONITORING_SETTINGS, type MonitoringSettings } from './monitoring/settings.js';
import { z } from 'zod';
import {
  databaseConfigFromEnv,
  databaseSettings,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import { envBoolean, envInteger, envList, envUrl, type Env } from '../platform/config/config.js';
import {
  refineServerLimits,
  serverLimitSettings,
  serverLimitsFromEnv,
} from '../platform/config/server-limits-env.js';
import { defineSettings, parseSettings } from '../platform/config/settings.js';
import type { ServerLimits } from '../platform/http/listen.js';
import {
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  type NoteVerifierKey,
} from '../crypto/note/index.js';
import { bytesEqual } from '../crypto/encoding.js';
import { GROUP_BACKEND_CHOICES, type GroupBackendChoice } from '../crypto/oprf/index.js';
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
/** The node's request timeout: a 64 MiB import over a slow link still arrives in time. */
export const NODE_REQUEST_TIMEOUT_MS = 300_000;
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

/**
 * What the node does with an outcome's local detail once the hub has accepted its `expired`
 * statement (docs/node.md "Retention"): `keep` it as an expired outcome, `archive` it (out of
 * the working tables into one archive document) or `delete` it (only a digest of the case
 * stays, so a later import does not bring it back).
 */
export const RETENTION_ACTIONS = ['keep', 'archive', 'delete'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/**
 * How browsers reach the console (docs/node.md "Console"): the node's own TLS, or a reverse
 * proxy that terminates TLS in front of it. Without either the node stays on loopback.
 */
export interface ConsoleConfig {
  /** SPX_NODE_TLS_CERT_FILE / SPX_NODE_TLS_KEY_FILE: PEM files; both or neither. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** SPX_NODE_BEHIND_PROXY. */
  readonly behindProxy: boolean;
  /** SPX_NODE_PUBLIC_ORIGIN: the origin browsers use (the proxy's), for the CSRF check. */
  readonly publicOrigin: string | undefined;
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/** Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export interface NodeConfig {
  readonly ori: string;
  /** The console's TLS, proxy and sessions. */
  readonly console: ConsoleConfig;
  /** SPX_NODE_RETENTION_ACTION. */
  readonly retentionAction: RetentionAction;
  readonly keyFile: string;
  readonly port: number;
  readonly host: string;
  /** Timeouts and the connection cap of the HTTP server (docs/api.md "Server limits"). */
  readonly limits: ServerLimits;
  readonly adminToken: string;
  readonly hubUrl: string;
  readonly keyholderUrls: readonly string[];
  /** The ristretto255 backend of the node's side of the OPRF (crypto/oprf/backends.ts). */
  readonly oprfBackend: GroupBackendChoice;
  /** Pinned keyholder key set: JSON text or a file path (node/tokenize PinnedKeySet). */
  readonly keyholderKeySet: string | undefined;
  /** Pinned hub signing keys: JWKS JSON text or a file path. Absent: fetched once (TOFU). */
  readonly hubKeys: string | undefined;
  /** JSON file of the agency's CheckPolicy; absent: DEFAULT_CHECK_POLICY. */
  readonly policyFile: string | undefined;
  readonly outbox: OutboxConfig;
  readonly log: LogConfig;
  /** SPX_NODE_MONITORING, SPX_NODE_MONITORING_RENEW_DAYS (node/monitoring/sync.ts). */
  readonly monitoring: MonitoringSettings;
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

/** The node's variables (docs/configuration.md is generated from this table). */
export const NODE_SETTINGS = defineSettings({
  SPX_NODE_ORI: {
    schema: OriSchema,
    required: true,
    doc: "the agency's ORI (9 characters)",
  },
  SPX_NODE_KEY_FILE: {
    schema: z.string().min(1),
    required: true,
    doc: "the agency's private signing key file (`spx node keygen`), mode 0600",
  },
  SPX_NODE_ADMIN_TOKEN: {
    schema: z
      .string()
      .min(MIN_ADMIN_TOKEN_LENGTH, `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`)
      .max(512),
    required: true,
    secret: true,
    doc: `bearer token of the local API, ${MIN_ADMIN_TOKEN_LENGTH}–512 characters; the CLI's client commands send it too`,
  },
  SPX_NODE_HOST: {
    schema: z.string().min(1),
    default: DEFAULT_NODE_HOST,
    doc: 'address of the local API and the console; beyond loopback only with TLS (`SPX_NODE_TLS_CERT_FILE` and `SPX_NODE_TLS_KEY_FILE`) or `SPX_NODE_BEHIND_PROXY=true`, else the node refuses to start',
  },
  SPX_NODE_TLS_CERT_FILE: {
    schema: z.string().min(1),
    doc: 'PEM certificate (chain) the node serves HTTPS with, for the console on the agency network; with `SPX_NODE_TLS_KEY_FILE`',
    whenUnset: 'plain HTTP',
  },
  SPX_NODE_TLS_KEY_FILE: {
    schema: z.string().min(1),
    doc: 'PEM private key of `SPX_NODE_TLS_CERT_FILE` (keep it mode 0600)',
    whenUnset: 'plain HTTP',
  },
  SPX_NODE_BEHIND_PROXY: {
    schema: envBoolean(),
    default: 'false',
    doc: 'a reverse proxy terminates TLS in front of the node (docs/node.md "Console behind a reverse proxy"): the node may bind beyond loopback over plain HTTP, marks session cookies Secure and takes the client address from the last `X-Forwarded-For` entry; `true`/`false`',
  },
  SPX_NODE_PUBLIC_ORIGIN: {
    schema: envUrl(['https', 'http']).transform((u) => new URL(u).origin),
    doc: "the origin browsers reach the console at (e.g. `https://spx.agency.example`), accepted by the CSRF origin check besides the request's own; set it behind a proxy",
    whenUnset: "the request's own origin only",
  },
  SPX_NODE_CONSOLE_IDLE_MINUTES: {
    schema: envInteger({ min: 5, max: 480 }),
    default: '30',
    unit: 'minutes',
    doc: 'a console session ends after this long without a request (5–480)',
  },
  SPX_NODE_CONSOLE_SESSION_HOURS: {
    schema: envInteger({ min: 1, max: 24 }),
    default: '12',
    unit: 'hours',
    doc: 'a console session ends this long after sign-in, however active (1–24)',
  },
  SPX_NODE_PORT: {
    schema: envInteger({ min: 0, max: 65535 }),
    default: String(DEFAULT_NODE_PORT),
    doc: 'TCP port of the local API; `0` picks a free one',
  },
  SPX_NODE_HUB_URL: {
    schema: envUrl(['http', 'https']),
    default: DEFAULT_HUB_URL,
    doc: 'the hub',
    deprecatedNames: ['SPX_HUB_URL'],
  },
  SPX_NODE_KEYHOLDER_URLS: {
    schema: envList().pipe(z.array(envUrl(['http', 'https'])).min(1, 'needs at least one URL')),
    default: DEFAULT_KEYHOLDER_URL,
    doc: "comma-separated keyholder base URLs (t-of-n: at least t); each request token names its keyholder's URL, which must be one of that keyholder's `SPX_KEYHOLDER_PUBLIC_URLS`",
    deprecatedNames: ['SPX_KEYHOLDER_URLS'],
  },
  SPX_NODE_KEYHOLDER_KEYSET: {
    schema: z.string().min(1),
    doc: "RECOMMENDED: pinned keyholder key set, inline JSON (starting `{`) or a file: `spx keyholder keyset`'s output",
    whenUnset: 'fetched once (TOFU)',
    deprecatedNames: ['SPX_KEYHOLDER_KEYSET'],
  },
  SPX_NODE_HUB_KEYS: {
    schema: z.string().min(1),
    doc: 'RECOMMENDED: pinned hub signing keys, a JWK Set inline (starting `{`) or in a file (a copy of `GET /v1/hub/keys`)',
    whenUnset: 'fetched once (TOFU)',
  },
  SPX_NODE_POLICY_FILE: {
    schema: z.string().min(1),
    doc: "JSON file of the agency's CheckPolicy (docs/protocol.md §5.7)",
    whenUnset: 'docs/node.md "Default policy"',
    deprecatedNames: ['SPX_NODE_POLICY'],
  },
  SPX_NODE_OUTBOX_INTERVAL_MS: {
    schema: ms(100, 3_600_000),
    default: '5000',
    unit: 'ms',
    doc: 'how often `serve` delivers due outbox items (100 ms–1 h)',
  },
  SPX_NODE_OUTBOX_BATCH: {
    schema: envInteger({ min: 1, max: MAX_INTAKE_BATCH }),
    default: '200',
    doc: `attestations per intake request (1–${MAX_INTAKE_BATCH})`,
  },
  SPX_NODE_OUTBOX_BASE_BACKOFF_MS: {
    schema: ms(10, 3_600_000),
    default: '2000',
    unit: 'ms',
    doc: 'first retry delay of an outbox item; it doubles per attempt (10 ms–1 h)',
  },
  SPX_NODE_OUTBOX_MAX_BACKOFF_MS: {
    schema: ms(10, 86_400_000),
    default: '3600000',
    unit: 'ms',
    doc: 'longest retry delay (at least the base backoff, at most a day)',
  },
  SPX_NODE_LOG_ORIGIN: {
    schema: z
      .string()
      .regex(LOG_ORIGIN_TEXT, 'must be 1 to 255 printable ASCII characters without space or "+"'),
    doc: "RECOMMENDED: the hub log's origin (its checkpoints' first line, e.g. `hub.example.gov/log`); printable ASCII, no space or `+`",
    whenUnset: 'first seen (TOFU)',
  },
  SPX_NODE_LOG_WITNESSES: {
    schema: witnessKeys,
    doc: 'comma-separated C2SP verifier keys (type 0x04, each its own key) of witnesses whose cosignatures count',
    whenUnset: 'none',
  },
  SPX_NODE_LOG_WITNESS_QUORUM: {
    schema: envInteger({ min: 0, max: 100 }),
    doc: 'cosignatures of those witnesses a checkpoint needs before the monitor stores it (at most the number listed)',
    whenUnset: '`1` with witnesses, else `0`',
  },
  SPX_NODE_WITNESS: {
    schema: envBoolean(),
    default: 'false',
    doc: 'cosign every checkpoint this node verified and give it to the hub (the agency needs the `witness` role); `true`/`false`',
  },
  SPX_NODE_MONITOR_INTERVAL_MS: {
    schema: ms(1_000, 86_400_000),
    default: '300000',
    unit: 'ms',
    doc: 'how often `serve` runs a monitor pass (1 s–1 day); the first comes one interval after start',
  },
  SPX_NODE_RETENTION_ACTION: {
    schema: z.enum(RETENTION_ACTIONS),
    default: 'keep',
    doc: 'what the node does with a record\'s local detail once the hub has accepted its `expired` statement: `keep` it, marked expired; `archive` it (out of the working tables into an archive document in the database); `delete` it (only a digest of the case stays, so a later import does not revive it). The `expired` statement is published whatever the setting (docs/node.md "Retention")',
  },
  SPX_NODE_OPRF_BACKEND: {
    schema: z.enum(GROUP_BACKEND_CHOICES as [GroupBackendChoice, ...GroupBackendChoice[]]),
    default: 'auto',
    doc: 'ristretto255 arithmetic of blinding, proof checks and unblinding: `libsodium` (WebAssembly, several times faster), `noble` (pure JS), `auto`: libsodium if it loads',
  },
  SPX_NODE_MONITORING: {
    schema: envBoolean(),
    default: 'false',
    doc: 'enroll the hub indexes of current officers for continuous monitoring (docs/node.md "Monitoring"): the hub then tells this agency when another agency reports or changes a matching record, and learns the size of its roster; `true`/`false` (turning it off removes every enrollment at the next sync)',
  },
  SPX_NODE_MONITORING_RENEW_DAYS: {
    schema: envInteger({ min: 1, max: 365 }),
    default: String(DEFAULT_MONITORING_SETTINGS.renewDays),
    unit: 'days',
    doc: "renew enrollments this many days before the hub's term ends them (1–365); keep it below the hub's `SPX_HUB_MONITORING_TERM_DAYS`",
  },
  // Imports send files of up to 64 MiB: the node waits longer for a whole request.
  ...serverLimitSettings('SPX_NODE', { requestTimeoutMs: NODE_REQUEST_TIMEOUT_MS }),
  ...databaseSettings(DEFAULT_NODE_DATA_DIR),
});

/** Throws ConfigError (CONFIG_INVALID) naming every bad variable, never echoing a value. */
export function parseNodeConfig(env: Env): NodeConfig {
  const e = parseSettings(NODE_SETTINGS, env, (values, ctx) => {
    refineDatabaseEnv(values, ctx);
    refineServerLimits('SPX_NODE')(values, ctx);
    if (values.SPX_NODE_OUTBOX_MAX_BACKOFF_MS < values.SPX_NODE_OUTBOX_BASE_BACKOFF_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_NODE_OUTBOX_MAX_BACKOFF_MS'],
        message: 'must be at least SPX_NODE_OUTBOX_BASE_BACKOFF_MS',
      });
    }
    const cert = values.SPX_NODE_TLS_CERT_FILE;
    const key = values.SPX_NODE_TLS_KEY_FILE;
    if ((cert === undefined) !== (key === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [cert === undefined ? 'SPX_NODE_TLS_CERT_FILE' : 'SPX_NODE_TLS_KEY_FILE'],
        message: 'SPX_NODE_TLS_CERT_FILE and SPX_NODE_TLS_KEY_FILE go together',
      });
    }
    // The console and the API serve raw records and passwords: never in clear beyond this machine.
    if (
      !isLoopbackHost(values.SPX_NODE_HOST) &&
      (cert === undefined || key === undefined) &&
      !values.SPX_NODE_BEHIND_PROXY
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_NODE_HOST'],
        message:
          'a host beyond loopback needs TLS (SPX_NODE_TLS_CERT_FILE and SPX_NODE_TLS_KEY_FILE) or SPX_NODE_BEHIND_PROXY=true with a TLS proxy in front',
      });
    }
    const listed = values.SPX_NODE_LOG_WITNESSES?.length ?? 0;
    if ((values.SPX_NODE_LOG_WITNESS_QUORUM ?? 0) > listed) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_NODE_LOG_WITNESS_QUORUM'],
        message: 'must not exceed the number of SPX_NODE_LOG_WITNESSES',
      });
    }
  });
  const witnesses = e.SPX_NODE_LOG_WITNESSES ?? [];
  return {
    ori: e.SPX_NODE_ORI,
    console: {
      tls:
        e.SPX_NODE_TLS_CERT_FILE !== undefined && e.SPX_NODE_TLS_KEY_FILE !== undefined
          ? { certFile: e.SPX_NODE_TLS_CERT_FILE, keyFile: e.SPX_NODE_TLS_KEY_FILE }
          : undefined,
      behindProxy: e.SPX_NODE_BEHIND_PROXY,
      publicOrigin: e.SPX_NODE_PUBLIC_ORIGIN,
      idleMs: e.SPX_NODE_CONSOLE_IDLE_MINUTES * 60_000,
      absoluteMs: e.SPX_NODE_CONSOLE_SESSION_HOURS * 3_600_000,
    },
    retentionAction: e.SPX_NODE_RETENTION_ACTION,
    keyFile: e.SPX_NODE_KEY_FILE,
    port: e.SPX_NODE_PORT,
    host: e.SPX_NODE_HOST,
    limits: serverLimitsFromEnv(e, 'SPX_NODE'),
    adminToken: e.SPX_NODE_ADMIN_TOKEN,
    hubUrl: e.SPX_NODE_HUB_URL,
    keyholderUrls: e.SPX_NODE_KEYHOLDER_URLS,
    oprfBackend: e.SPX_NODE_OPRF_BACKEND,
    keyholderKeySet: e.SPX_NODE_KEYHOLDER_KEYSET,
    hubKeys: e.SPX_NODE_HUB_KEYS,
    policyFile: e.SPX_NODE_POLICY_FILE,
    outbox: {
      intervalMs: e.SPX_NODE_OUTBOX_INTERVAL_MS,
      batchSize: e.SPX_NODE_OUTBOX_BATCH,
      baseBackoffMs: e.SPX_NODE_OUTBOX_BASE_BACKOFF_MS,
      maxBackoffMs: e.SPX_NODE_OUTBOX_MAX_BACKOFF_MS,
      // Longer than the client's whole-exchange timeout, so a slow send is not taken twice.
      leaseMs: 60_000,
    },
    log: {
      origin: e.SPX_NODE_LOG_ORIGIN,
      witnesses,
      // Listing witnesses means wanting at least one of them, unless a quorum is given.
      quorum: e.SPX_NODE_LOG_WITNESS_QUORUM ?? Math.min(1, witnesses.length),
      witness: e.SPX_NODE_WITNESS,
      monitorIntervalMs: e.SPX_NODE_MONITOR_INTERVAL_MS,
    },
    monitoring: {
      enabled: e.SPX_NODE_MONITORING,
      renewDays: e.SPX_NODE_MONITORING_RENEW_DAYS,
    },
    database: databaseConfigFromEnv(e, DEFAULT_NODE_DATA_DIR),
  };
}

/** What the CLI's client commands (`import`, `publish`, `check`…) read: where the node is. */
export const NODE_CLIENT_SETTINGS = defineSettings({
  SPX_NODE_URL: {
    schema: envUrl(['http', 'https']),
    default: DEFAULT_NODE_URL,
    doc: "the node's local API (`--node-url` overrides)",
  },
  SPX_NODE_ADMIN_TOKEN: {
    schema: z.string().min(1).max(512),
    secret: true,
    doc: "the node's admin token, as set for `serve` (`--token` overrides)",
    whenUnset: '`--token` required',
  },
});

export interface NodeClientConfig {
  readonly url: string;
  readonly adminToken: string | undefined;
}

/** Throws ConfigError (CONFIG_INVALID) naming a bad variable, never echoing its value. */
export function parseNodeClientConfig(env: Env): NodeClientConfig {
  const e = parseSettings(NODE_CLIENT_SETTINGS, env);
  return { url: e.SPX_NODE_URL, adminToken: e.SPX_NODE_ADMIN_TOKEN };
}
