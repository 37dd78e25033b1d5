/**
 * The keyholder's configuration: environment variables declared once in KEYHOLDER_SETTINGS (the
 * source of docs/configuration.md) and parsed once (platform/config). Library code takes the
 * parsed `KeyholderConfig`; only the CLI's composition reads an environment.
 */
import { z } from 'zod';
import type { DatabaseConfig } from '../platform/db/database.js';
import {
  databaseConfigFromEnv,
  databaseSettings,
  refineDatabaseEnv,
} from '../platform/config/database-env.js';
import { audienceOfUrl } from '../crypto/request-auth/audience.js';
import { ConfigError, envInteger, envList, envUrl, type Env } from '../platform/config/config.js';
import {
  refineServerLimits,
  serverLimitSettings,
  serverLimitsFromEnv,
} from '../platform/config/server-limits-env.js';
import { GROUP_BACKEND_CHOICES, type GroupBackendChoice } from '../crypto/oprf/index.js';
import { defineSettings, parseSettings } from '../platform/config/settings.js';
import type { ServerLimits } from '../platform/http/listen.js';

export const DEFAULT_KEYHOLDER_PORT = 7310;
export const DEFAULT_KEYHOLDER_HOST = '127.0.0.1';
/** The hub's default loopback address (issue 3 contract: hub 7300). */
export const DEFAULT_HUB_URL = 'http://127.0.0.1:7300';
/**
 * The audience every keyholder shared before each had its own (docs/keyholder.md "Audience"):
 * accepted only until SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL, never by default.
 */
export const LEGACY_KEYHOLDER_AUDIENCE = 'spx-keyholder';
/** Elements per agency per UTC day: a few hundred records' worth of keys, checks included. */
export const DEFAULT_DAILY_QUOTA = 10_000;
export const DEFAULT_REGISTRY_TTL_SECONDS = 60;
export const DEFAULT_REGISTRY_MAX_STALENESS_SECONDS = 3600;
export const DEFAULT_REGISTRY_MIN_REFRESH_SECONDS = 10;
export const DEFAULT_KEYHOLDER_DATA_DIR = './data/keyholder';
/** Largest per-agency daily allowance an operator can set (fits the integer counter column). */
export const MAX_DAILY_QUOTA = 1_000_000_000;
/** Elements waiting for a worker beyond one full batch per worker: 16 full batches. */
export const DEFAULT_EVALUATION_QUEUE = 4096;
export const MAX_EVALUATION_WORKERS = 256;

export interface KeyholderConfig {
  readonly port: number;
  readonly host: string;
  /** Timeouts and the connection cap of the HTTP server (docs/api.md "Server limits"). */
  readonly limits: ServerLimits;
  readonly hubUrl: string;
  /**
   * The audiences of the base URLs nodes call this keyholder at (docs/protocol.md §7.2.1), in
   * normal form; empty: the listen address's (see keyholderAudiences).
   */
  readonly publicUrls: readonly string[];
  /** Until then, tokens addressed to LEGACY_KEYHOLDER_AUDIENCE are accepted too. */
  readonly legacyAudienceUntil: Date | undefined;
  /** Elements an agency may have evaluated per UTC day unless the operator set its own. */
  readonly dailyQuota: number;
  readonly registry: {
    readonly ttlSeconds: number;
    readonly maxStalenessSeconds: number;
    readonly minRefreshSeconds: number;
  };
  /** File holding the key-encryption key (base64url of 32 bytes); absent: secrets stored as-is. */
  readonly kekFile: string | undefined;
  readonly evaluation: {
    /** Worker threads; undefined: one per core (start.ts asks the machine); 0: the event loop. */
    readonly workers: number | undefined;
    /** Elements that may wait beyond one full batch per worker before 503. */
    readonly queueElements: number;
    readonly backend: GroupBackendChoice;
  };
  readonly database: DatabaseConfig;
}

const seconds = (max: number) => envInteger({ min: 1, max });

/** One base URL of SPX_KEYHOLDER_PUBLIC_URLS, as the audience it stands for. */
const publicUrl = z.string().transform((url, ctx) => {
  try {
    return audienceOfUrl(url);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message:
        'each must be an http(s) base URL, without query, fragment or user info, that nodes call this keyholder at (the audience `spx-keyholder` all keyholders once shared is gone: docs/keyholder.md "Audience")',
    });
    return z.NEVER;
  }
});

/** The keyholder's variables (docs/configuration.md is generated from this table). */
export const KEYHOLDER_SETTINGS = defineSettings({
  SPX_KEYHOLDER_HOST: {
    schema: z.string().min(1),
    default: DEFAULT_KEYHOLDER_HOST,
    doc: 'address to listen on; put TLS in front when not loopback',
  },
  SPX_KEYHOLDER_PORT: {
    // 0 takes a free port (as SPX_HUB_PORT, SPX_NODE_PORT and `serve --port` do): tests and the
    // demo then read the bound address from the `started` log line.
    schema: envInteger({ min: 0, max: 65535 }),
    default: String(DEFAULT_KEYHOLDER_PORT),
    doc: 'TCP port to listen on (0: a free one, announced in the `started` log line)',
  },
  SPX_KEYHOLDER_HUB_URL: {
    schema: envUrl(['http', 'https']),
    default: DEFAULT_HUB_URL,
    doc: 'the hub, whose public registry says which agencies and keys may ask for evaluations',
    deprecatedNames: ['SPX_HUB_URL'],
  },
  SPX_KEYHOLDER_PUBLIC_URLS: {
    schema: envList().pipe(z.array(publicUrl).min(1, 'needs at least one URL')),
    doc: 'comma-separated base URLs nodes call this keyholder at (as in their `SPX_NODE_KEYHOLDER_URLS`); each is an audience its request tokens may name (docs/keyholder.md "Audience")',
    whenUnset: '`http://<host>:<port>` of the listen address; required with a wildcard host',
    deprecatedNames: ['SPX_KEYHOLDER_AUDIENCE'],
  },
  SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL: {
    schema: z.iso
      .datetime({ offset: true, message: 'must be an RFC 3339 time, e.g. 2026-09-30T00:00:00Z' })
      .transform((text) => new Date(text)),
    doc: 'upgrade window: until this time (RFC 3339) also accept tokens addressed to `spx-keyholder`, the audience all keyholders once shared, each logged as `legacy_audience`',
    whenUnset: 'refused',
  },
  SPX_KEYHOLDER_DAILY_QUOTA: {
    schema: envInteger({ min: 0, max: MAX_DAILY_QUOTA }),
    default: String(DEFAULT_DAILY_QUOTA),
    doc: "elements evaluated per agency per UTC day (0–10⁹), unless the operator set the agency's own allowance",
  },
  SPX_KEYHOLDER_REGISTRY_TTL_SECONDS: {
    schema: seconds(86_400),
    default: String(DEFAULT_REGISTRY_TTL_SECONDS),
    unit: 'seconds',
    doc: 'how long a copy of the registry is used before it is fetched again (1 s–1 day)',
  },
  SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS: {
    schema: seconds(7 * 86_400),
    default: String(DEFAULT_REGISTRY_MAX_STALENESS_SECONDS),
    unit: 'seconds',
    doc: 'oldest registry copy used while the hub is unreachable (at least the TTL, at most 7 days); beyond it, 503',
  },
  SPX_KEYHOLDER_REGISTRY_MIN_REFRESH_SECONDS: {
    schema: seconds(3600),
    default: String(DEFAULT_REGISTRY_MIN_REFRESH_SECONDS),
    unit: 'seconds',
    doc: 'least time between two fetches triggered by unknown agencies or keys, or by retries of a failing hub (1 s–1 h)',
  },
  SPX_KEYHOLDER_KEK_FILE: {
    schema: z.string().min(1),
    doc: 'key-encryption-key file (`spx keyholder gen-kek`) sealing the OPRF secrets at rest (docs/keyholder.md "Key protection")',
    whenUnset: 'secrets stored unencrypted',
  },
  ...serverLimitSettings('SPX_KEYHOLDER'),
  SPX_KEYHOLDER_WORKERS: {
    schema: envInteger({ min: 0, max: MAX_EVALUATION_WORKERS }),
    doc: `worker threads evaluating batches (0–${MAX_EVALUATION_WORKERS}; 0: on the event loop); unset: \`os.availableParallelism()\``,
    whenUnset: 'one per core',
  },
  SPX_KEYHOLDER_EVALUATION_QUEUE: {
    schema: envInteger({ min: 0, max: 1_000_000 }),
    default: String(DEFAULT_EVALUATION_QUEUE),
    doc: 'elements waiting for evaluation beyond 256 per worker; more get 503 and `Retry-After`, consuming no quota',
  },
  SPX_KEYHOLDER_OPRF_BACKEND: {
    schema: z.enum(GROUP_BACKEND_CHOICES as [GroupBackendChoice, ...GroupBackendChoice[]]),
    default: 'auto',
    doc: 'ristretto255 arithmetic: `libsodium` (WebAssembly, ~4× faster), `noble` (pure JS), `auto`: libsodium if it loads',
  },
  ...databaseSettings(DEFAULT_KEYHOLDER_DATA_DIR),
});

/** Parses the keyholder's variables from `env`; throws ConfigError (CONFIG_INVALID). */
export function parseKeyholderConfig(env: Env): KeyholderConfig {
  const e = parseSettings(KEYHOLDER_SETTINGS, env, (values, ctx) => {
    refineDatabaseEnv(values, ctx);
    refineServerLimits('SPX_KEYHOLDER')(values, ctx);
    if (
      values.SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS <
      values.SPX_KEYHOLDER_REGISTRY_TTL_SECONDS
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS'],
        message: 'must be at least SPX_KEYHOLDER_REGISTRY_TTL_SECONDS',
      });
    }
  });
  return {
    port: e.SPX_KEYHOLDER_PORT,
    host: e.SPX_KEYHOLDER_HOST,
    limits: serverLimitsFromEnv(e, 'SPX_KEYHOLDER'),
    // A trailing slash would double up when paths are appended.
    hubUrl: e.SPX_KEYHOLDER_HUB_URL.replace(/\/+$/, ''),
    publicUrls: [...new Set(e.SPX_KEYHOLDER_PUBLIC_URLS ?? [])],
    legacyAudienceUntil: e.SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL,
    dailyQuota: e.SPX_KEYHOLDER_DAILY_QUOTA,
    registry: {
      ttlSeconds: e.SPX_KEYHOLDER_REGISTRY_TTL_SECONDS,
      maxStalenessSeconds: e.SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS,
      minRefreshSeconds: e.SPX_KEYHOLDER_REGISTRY_MIN_REFRESH_SECONDS,
    },
    kekFile: e.SPX_KEYHOLDER_KEK_FILE,
    evaluation: {
      workers: e.SPX_KEYHOLDER_WORKERS,
      queueElements: e.SPX_KEYHOLDER_EVALUATION_QUEUE,
      backend: e.SPX_KEYHOLDER_OPRF_BACKEND,
    },
    database: databaseConfigFromEnv(e, DEFAULT_KEYHOLDER_DATA_DIR),
  };
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/**
 * The audiences this keyholder answers to (docs/protocol.md §7.2.1): those of
 * SPX_KEYHOLDER_PUBLIC_URLS, else that of `http://<host>:<port>` — right for a keyholder that
 * nodes reach at its listen address (loopback, the demo, tests). `port` undefined: not bound
 * yet (port 0), and the answer is empty until it is. A wildcard host is no address a node calls,
 * so it needs SPX_KEYHOLDER_PUBLIC_URLS (ConfigError otherwise, before anything is opened).
 */
export function keyholderAudiences(
  config: Pick<KeyholderConfig, 'host' | 'publicUrls'>,
  port: number | undefined,
): readonly string[] {
  if (config.publicUrls.length > 0) return config.publicUrls;
  const host = config.host.trim().toLowerCase();
  if (WILDCARD_HOSTS.has(host)) {
    throw new ConfigError([
      {
        variable: 'SPX_KEYHOLDER_PUBLIC_URLS',
        code: 'required',
        message: `is required when the keyholder listens on the wildcard address ${host}: set the base URL(s) nodes call it at`,
      },
    ]);
  }
  if (port === undefined) return [];
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return [audienceOfUrl(`http://${literal}:${port}`)];
  } catch {
    throw new ConfigError([
      {
        variable: 'SPX_KEYHOLDER_HOST',
        code: 'custom',
        message: 'is no host a URL can name: set SPX_KEYHOLDER_PUBLIC_URLS',
      },
    ]);
  }
}
