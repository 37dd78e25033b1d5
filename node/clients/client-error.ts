/**
 * The outbound clients' one error class. Codes are public API: callers branch on `code`,
 * `retryable` and `retryAfterSeconds`, never on the message.
 *
 * `code` is either the code the service put in its RFC 9457 problem body (e.g.
 * `QUOTA_EXCEEDED`, `ATTESTATION_CONFLICT`, `AUTH_EXPIRED`: the service's table, kept as sent
 * so that a new server code needs no client change) or one of the client's own codes below
 * for failures that carry no problem body.
 */
import { CodedError } from '../../crypto/errors.js';
import type { FieldError, ProblemCode } from '../../protocol/problem.js';

export const CLIENT_ERROR_CODES = [
  /** fetch rejected: connection refused or reset, DNS failure, TLS failure. Retryable. */
  'NETWORK_ERROR',
  /** No complete response within the client's timeout. Retryable. */
  'TIMEOUT',
  /** An error status whose body is not an RFC 9457 problem (e.g. a proxy's HTML page). */
  'HTTP_ERROR',
  /** A success status whose body is not the message the protocol prescribes. Final. */
  'RESPONSE_INVALID',
  /** The response body exceeded the client's size limit. Final. */
  'RESPONSE_TOO_LARGE',
  /** The message this node was about to send fails its own schema; nothing was sent. */
  'REQUEST_INVALID',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Which service a client talks to; its `aud` string is fixed by the contract. */
export type ServiceName = 'hub' | 'keyholder';

export interface ClientErrorDetails {
  /** HTTP status of the response, when one arrived. */
  readonly status?: number | undefined;
  readonly errors?: readonly FieldError[] | undefined;
  readonly retryable: boolean;
  /** From Retry-After (RFC 9110 §10.2.3), in whole seconds from now. */
  readonly retryAfterSeconds?: number | undefined;
  readonly cause?: unknown;
}

export class ClientError extends CodedError<ClientErrorCode | ProblemCode | (string & {})> {
  readonly service: ServiceName;
  readonly status: number | undefined;
  /** Field errors of the problem body, or of our own validation of a response or request. */
  readonly errors: readonly FieldError[];
  /** Whether sending the same request again (with a fresh token) may succeed. */
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  /** `code`: a ClientErrorCode, or the service's problem code (ProblemCode or its own). */
  constructor(
    code: ClientErrorCode | ProblemCode | (string & {}),
    message: string,
    details: ClientErrorDetails & { readonly service: ServiceName },
  ) {
    const errors = details.errors ?? [];
    super(code, message, { field: errors[0]?.field, cause: details.cause });
    this.service = details.service;
    this.status = details.status;
    this.errors = errors;
    this.retryable = details.retryable;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export function isClientError(e: unknown): e is ClientError {
  return e instanceof ClientError;
}

/**
 * Whether a status is worth retrying: the server could not answer now (5xx, RFC 9110 §15.6,
 * except 501 and 505, which say it never will), asked us to slow down (429, RFC 6585 §4), or
 * timed out waiting for us (408). Every other 4xx is this request's fault and final.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
