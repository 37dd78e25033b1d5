/**
 * Telling a database that is *gone* — restarting, shut down, unreachable — from one that answered
 * a query with an error. The first is the operator's transient condition, which a service
 * answers with 503 and a `Retry-After` (platform/http/error-handler.ts) and survives; the second
 * is a fault of the query or the data.
 *
 * Recognised, anywhere in the error's `cause` chain (drizzle wraps driver errors in
 * DrizzleQueryError):
 * - SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash shutdown,
 *   cannot connect now: the server is starting or stopping) — PostgreSQL manual, Appendix A;
 *   53300 (too many connections) counts as unavailable, not lost;
 * - postgres.js's own connection codes (CONNECTION_CLOSED, CONNECTION_DESTROYED, CONNECT_TIMEOUT;
 *   not CONNECTION_ENDED, which means the service closed its own pool);
 * - the socket errors of Node.js that mean no server answers (ECONNREFUSED, ECONNRESET, …).
 */

/** The session that ran the query is gone: nothing more can be sent on it. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;
const LOST_SQLSTATES = new Set(['57P01', '57P02']);
const LOST_DRIVER_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'ECONNRESET',
  'EPIPE',
]);

/** No session could be had (or kept): the server is down, starting, or refusing connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P03', '53300']);
const UNAVAILABLE_DRIVER_CODES = new Set([
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function codesOf(e: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = e;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    current = cause;
  }
  return codes;
}

/**
 * Whether `e` says the connection the query ran on was lost (the server ended the session or
 * the socket closed): nothing more may be sent on that connection.
 */
export function isConnectionLost(e: unknown): boolean {
  return codesOf(e).some(
    (c) => LOST_SQLSTATES.has(c) || LOST_DRIVER_CODES.has(c) || CONNECTION_EXCEPTION.test(c),
  );
}

/** Whether `e` says the database is unavailable right now (lost, unreachable, or restarting). */
export function isDatabaseUnavailable(e: unknown): boolean {
  return (
    isConnectionLost(e) ||
    codesOf(e).some((c) => UNAVAILABLE_SQLSTATES.has(c) || UNAVAILABLE_DRIVER_CODES.has(c))
  );
}

/** A failed background pass is logged at warn while the database is unavailable, else error. */
export function failureLevel(e: unknown): 'warn' | 'error' {
  return isDatabaseUnavailable(e) ? 'warn' : 'error';
}

/** The driver's or the socket's code in `e` (`ECONNREFUSED`, `CONNECTION_CLOSED`, …), for logs. */
export function connectionErrorCode(e: unknown): string | undefined {
  return codesOf(e).find((c) => LOST_DRIVER_CODES.has(c) || UNAVAILABLE_DRIVER_CODES.has(c));
}
