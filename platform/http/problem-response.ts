/**
 * RFC 9457 problem details as HTTP responses. The body's shape, the codes and their statuses
 * are the protocol's (protocol/problem.ts, docs/protocol.md §8); this file only puts a body on
 * the wire with the `application/problem+json` media type (RFC 9457 §3).
 */
import { STATUS_CODES } from 'node:http';
import {
  PROBLEM_MEDIA_TYPE,
  PROBLEM_TYPE_PREFIX,
  problem,
  type FieldError,
  type ProblemCode,
} from '../../protocol/problem.js';

/** A problem body: the protocol's members, with `code` open to service-specific codes. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly {
    readonly field: string;
    readonly code: string;
    readonly message: string;
  }[];
}

export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, 'content-type': PROBLEM_MEDIA_TYPE },
  });
}

/** A response for one of the protocol's codes; status, title and type follow from it. */
export function protocolProblem(
  code: ProblemCode,
  detail: string,
  errors?: readonly FieldError[],
): Response {
  return problemResponse(problem(code, detail, errors));
}

/** Codes that services define beyond the protocol's table: upper snake case, as on the wire. */
export const SERVICE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * A problem for a code outside the protocol's table (RFC 9457 §3.1: `title` is the status's
 * reason phrase when the type adds no more than the code; `type` follows the protocol's
 * tag-URI scheme so clients treat every code alike).
 */
export function serviceProblem(status: number, code: string, detail: string): ProblemBody {
  return {
    type: PROBLEM_TYPE_PREFIX + code,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}
