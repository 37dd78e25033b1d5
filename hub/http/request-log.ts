/**
 * Request logs: one JSON object per line (platform/logging), written to an injected sink
 * (docs/hub.md, "Logs"); a request's line is stamped with the time it arrived.
 * A line says which route answered, with which status, for which authenticated agency, and how
 * long it took. It never holds a body, a header, a token, a hub index, a query string or even
 * the concrete path: the route *pattern* is logged (`/v1/registry/agencies/:ori`), so no value
 * a client puts in a URL can reach the logs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { connectionErrorCode, isDatabaseUnavailable } from '../../platform/db/connection-loss.js';
import { sqlErrorOf } from '../../platform/db/sql-error.js';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { logEvent, type LogSink } from '../../platform/logging/json-lines.js';

export type { LogSink };

function agencyOf(c: Context): string | null {
  try {
    return authenticatedAgency(c).ori;
  } catch {
    return null; // public route, or refused before authentication succeeded
  }
}

export function requestLog(log: LogSink, now: () => Date): MiddlewareHandler {
  return async (c, next) => {
    const started = now();
    await next();
    // 503 is a condition the hub announces (database restarting), answered with Retry-After.
    const level = c.res.status === 503 ? 'warn' : c.res.status >= 500 ? 'error' : 'info';
    logEvent(log, started, level, 'request', {
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      agency: agencyOf(c),
      durationMs: now().getTime() - started.getTime(),
    });
  };
}

/**
 * What an unexpected error may tell the operator: its class, its code and, for a database
 * error, the SQLSTATE and constraint. Never the message: drizzle's messages quote the failed
 * query with its parameters, which can be hub indexes.
 */
export function logUnhandledError(log: LogSink, error: unknown, c: Context, now: Date): void {
  const sqlError = sqlErrorOf(error);
  if (isDatabaseUnavailable(error)) {
    // Answered 503 with Retry-After: the operator's condition (a restart), not a defect.
    logEvent(log, now, 'warn', 'database_unavailable', {
      method: c.req.method,
      route: routePath(c, -1),
      code: connectionErrorCode(error) ?? null,
      sqlState: sqlError?.code ?? null,
    });
    return;
  }
  const code = (error as { code?: unknown } | null)?.code;
  logEvent(log, now, 'error', 'unhandled_error', {
    method: c.req.method,
    route: routePath(c, -1),
    error: error instanceof Error ? error.name : typeof error,
    code: typeof code === 'string' ? code : null,
    sqlState: sqlError?.code ?? null,
    constraint: sqlError?.constraint ?? null,
  });
}
