/**
 * The HTTP server limits of every service (platform/http/listen.ts, docs/api.md "Server
 * limits"), as four settings named after the service's prefix. Compose them into a service's
 * table and rules:
 *
 *   const HUB_SETTINGS = defineSettings({ …, ...serverLimitSettings('SPX_HUB') });
 *   const values = parseSettings(HUB_SETTINGS, env, refineServerLimits('SPX_HUB'));
 *   const limits = serverLimitsFromEnv(values, 'SPX_HUB');
 */
import type { z } from 'zod';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../http/listen.js';
import { envInteger } from './config.js';
import type { DefaultedSetting } from './settings.js';

type Names<P extends string> = {
  readonly headersTimeoutMs: `${P}_HEADERS_TIMEOUT_MS`;
  readonly requestTimeoutMs: `${P}_REQUEST_TIMEOUT_MS`;
  readonly keepAliveTimeoutMs: `${P}_KEEP_ALIVE_TIMEOUT_MS`;
  readonly maxConnections: `${P}_MAX_CONNECTIONS`;
};

export type ServerLimitSettings<P extends string> = {
  readonly [K in Names<P>[keyof ServerLimits]]: DefaultedSetting<number>;
};

type ServerLimitValues<P extends string> = { readonly [K in Names<P>[keyof ServerLimits]]: number };

function names<P extends string>(prefix: P): Names<P> {
  return {
    headersTimeoutMs: `${prefix}_HEADERS_TIMEOUT_MS`,
    requestTimeoutMs: `${prefix}_REQUEST_TIMEOUT_MS`,
    keepAliveTimeoutMs: `${prefix}_KEEP_ALIVE_TIMEOUT_MS`,
    maxConnections: `${prefix}_MAX_CONNECTIONS`,
  };
}

/**
 * The four variables under `prefix` (`SPX_HUB` → `SPX_HUB_HEADERS_TIMEOUT_MS`, …); `defaults`
 * replaces DEFAULT_SERVER_LIMITS where a service needs other values (the node's imports).
 */
export function serverLimitSettings<P extends string>(
  prefix: P,
  defaults: Partial<ServerLimits> = {},
): ServerLimitSettings<P> {
  const d = { ...DEFAULT_SERVER_LIMITS, ...defaults };
  const n = names(prefix);
  const settings: Record<string, DefaultedSetting<number>> = {
    [n.headersTimeoutMs]: {
      schema: envInteger({ min: 1000, max: 600_000 }),
      default: String(d.headersTimeoutMs),
      unit: 'ms',
      doc: 'time to send the request line and headers (1 s–10 min); then 408 and the connection is closed',
    },
    [n.requestTimeoutMs]: {
      schema: envInteger({ min: 1000, max: 3_600_000 }),
      default: String(d.requestTimeoutMs),
      unit: 'ms',
      doc: 'time to send the whole request, body included (1 s–1 h, ≥ the headers timeout); then 408 and close',
    },
    [n.keepAliveTimeoutMs]: {
      schema: envInteger({ min: 100, max: 600_000 }),
      default: String(d.keepAliveTimeoutMs),
      unit: 'ms',
      doc: 'an idle kept-alive connection is closed after this time (100 ms–10 min)',
    },
    [n.maxConnections]: {
      schema: envInteger({ min: 1, max: 100_000 }),
      default: String(d.maxConnections),
      doc: 'most open connections (1–100 000); more are closed on accept and logged as `connections_dropped`',
    },
  };
  return settings as ServerLimitSettings<P>;
}

/** The request timeout bounds the headers timeout (Node refuses the other order). */
export function refineServerLimits<P extends string>(prefix: P) {
  const n = names(prefix);
  return (values: ServerLimitValues<P>, ctx: z.RefinementCtx): void => {
    if (values[n.headersTimeoutMs] > values[n.requestTimeoutMs]) {
      ctx.addIssue({
        code: 'custom',
        path: [n.headersTimeoutMs],
        message: `must not exceed ${n.requestTimeoutMs}`,
      });
    }
  };
}

export function serverLimitsFromEnv<P extends string>(
  values: ServerLimitValues<P>,
  prefix: P,
): ServerLimits {
  const n = names(prefix);
  return {
    headersTimeoutMs: values[n.headersTimeoutMs],
    requestTimeoutMs: values[n.requestTimeoutMs],
    keepAliveTimeoutMs: values[n.keepAliveTimeoutMs],
    maxConnections: values[n.maxConnections],
  };
}
