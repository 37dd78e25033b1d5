/**
 * The HTTP shell's error mapping (house style: only the shell maps codes to statuses). Install
 * with `app.onError(problemErrorHandler(…))` and `app.notFound(problemNotFound)`.
 *
 * In order:
 * 0. A database that is gone (restarting, unreachable: platform/db/connection-loss.ts) → 503
 *    UNAVAILABLE with `Retry-After`, whatever the request was: the client may send it again.
 * 1. ProtocolError → its problem (code, status and field errors from protocol/problem.ts).
 * 2. `mapError`, the service's own mapping of its domain errors.
 * 3. Any error whose `code` is a protocol problem code (e.g. CryptoError's AUTH_* codes);
 *    its `field`, if any, becomes the one field error.
 * 4. A typed error carrying `code` (upper snake case) and an HTTP `status`.
 * 5. hono's HTTPException, by status.
 * 6. Anything else: 500 INTERNAL_ERROR whose body says nothing about the cause (no message,
 *    no stack, no SQL); the error goes to `report` for the operator instead. The default
 *    report logs the error's name and SQLSTATE only: a failed query's message holds its
 *    parameters (identifiers, secrets), which must not reach a log.
 *
 * Before all of these: a read that failed because the client disconnected is not a server
 * error (./client-abort.ts): status 499, nothing reported.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isProtocolError, problemFromError } from '../../protocol/decode.js';
import { isProblemCode, problem, PROBLEM_CODES, type ProblemCode } from '../../protocol/problem.js';
import { isDatabaseUnavailable } from '../db/connection-loss.js';
import { internalErrorSummary } from '../error-summary.js';
import { CLIENT_CLOSED_REQUEST, isClientAbort } from './client-abort.js';
import {
  problemResponse,
  SERVICE_CODE,
  serviceProblem,
  type ProblemBody,
} from './problem-response.js';

export interface ProblemErrorHandlerOptions {
  /** Maps a service's domain error to a problem, or returns undefined to fall through. */
  readonly mapError?: (error: unknown) => ProblemBody | undefined;
  /** Receives errors that became 5xx (default: console.error of its name and SQLSTATE only). */
  readonly report?: (error: unknown, c: Context) => void;
}

const INTERNAL_DETAIL = 'the server failed to handle the request';

/**
 * Retry-After (RFC 9110 §10.2.3) of a 503 for a database that is not available: a PostgreSQL
 * restart takes a second or a few; nodes wait at least this long before sending again.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The 503 for a request that failed because the database is not available. */
export function databaseUnavailableResponse(): Response {
  return problemResponse(problem('UNAVAILABLE', 'the database is not available; retry later'), {
    'retry-after': String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

/** HTTPException statuses that have a protocol code of their own. */
const CODE_FOR_STATUS: Readonly<Record<number, ProblemCode>> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

function field<T>(e: unknown, name: string, is: (v: unknown) => v is T): T | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const v = (e as Record<string, unknown>)[name];
  return is(v) ? v : undefined;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isStatus = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599;

function toProblem(error: unknown, mapError: ProblemErrorHandlerOptions['mapError']): ProblemBody {
  if (isProtocolError(error)) return problemFromError(error);
  const mapped = mapError?.(error);
  if (mapped) return mapped;
  const code = field(error, 'code', isString);
  const message = field(error, 'message', isString) ?? '';
  if (code !== undefined && isProblemCode(code)) {
    if (PROBLEM_CODES[code].status >= 500) return problem(code, INTERNAL_DETAIL);
    const at = field(error, 'field', isString);
    return problem(
      code,
      message,
      at === undefined ? undefined : [{ field: at, code: 'invalid_value', message }],
    );
  }
  const status = field(error, 'status', isStatus);
  if (error instanceof HTTPException) {
    const known = CODE_FOR_STATUS[error.status];
    if (known) return problem(known, message || known.toLowerCase());
    if (error.status < 500) return serviceProblem(error.status, `HTTP_${error.status}`, message);
  } else if (code !== undefined && SERVICE_CODE.test(code) && status !== undefined) {
    // A server-side failure's message may describe internals: keep it for the operator only.
    return serviceProblem(status, code, status >= 500 ? INTERNAL_DETAIL : message);
  }
  return problem('INTERNAL_ERROR', INTERNAL_DETAIL);
}

export function problemErrorHandler(options: ProblemErrorHandlerOptions = {}): ErrorHandler {
  const report =
    options.report ??
    ((error: unknown, c: Context) =>
      console.error(
        `${c.req.method} ${c.req.path} failed with a server error: ${internalErrorSummary(error)}`,
      ));
  return (error, c) => {
    if (isClientAbort(error, c)) {
      return problemResponse(
        serviceProblem(
          CLIENT_CLOSED_REQUEST,
          'CLIENT_CLOSED_REQUEST',
          'the client closed the connection before its request was read',
        ),
      );
    }
    if (isDatabaseUnavailable(error)) {
      report(error, c);
      return databaseUnavailableResponse();
    }
    const body = toProblem(error, options.mapError);
    if (body.status >= 500) report(error, c);
    return problemResponse(body);
  };
}

/** 404 for routes that do not exist, as problem+json rather than hono's text/plain. */
export const problemNotFound: NotFoundHandler = (c) =>
  problemResponse(problem('NOT_FOUND', `no resource at ${c.req.method} ${c.req.path}`));
