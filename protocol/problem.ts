/**
 * Errors on the wire (docs/protocol.md §8): RFC 9457 problem details, the table of stable
 * protocol error codes with their HTTP status, and the mapping from a zod error to field-level
 * errors.
 *
 *   { "type": "tag:safe-policing-exchange,2025:problem:VALIDATION_FAILED",
 *     "title": "Validation failed", "status": 400, "detail": "…", "code": "VALIDATION_FAILED",
 *     "errors": [{ "field": "tokens.keys[2].index", "code": "invalid_encoding", "message": "…" }] }
 *
 * Codes are public API: clients branch on `code` (and `errors[].code`), never on text.
 */
import { z } from 'zod';

interface ProblemCodeInfo {
  readonly status: number;
  readonly title: string;
}

/** Every protocol error code, its HTTP status (RFC 9110 §15) and fixed title. */
export const PROBLEM_CODES = {
  MALFORMED_JSON: { status: 400, title: 'Body is not a JSON object' },
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  UNSUPPORTED_VERSION: { status: 400, title: 'Unsupported protocol version' },
  UNSUPPORTED_CATEGORY_LIST: { status: 400, title: 'Unsupported category list version' },
  UNSUPPORTED_STANDARDS_LIST: { status: 400, title: 'Unsupported credential standards list' },
  AUTH_MISSING: { status: 401, title: 'Request authentication missing' },
  AUTH_MALFORMED: { status: 401, title: 'Request authentication malformed' },
  AUTH_BAD_SIGNATURE: { status: 401, title: 'Request signature invalid' },
  AUTH_UNKNOWN_KEY: { status: 401, title: 'Request signed with an unknown key' },
  AUTH_EXPIRED: { status: 401, title: 'Request token expired' },
  AUTH_NOT_YET_VALID: { status: 401, title: 'Request token not yet valid' },
  AUTH_LIFETIME_TOO_LONG: { status: 401, title: 'Request token lifetime too long' },
  AUTH_REPLAYED: { status: 401, title: 'Request token replayed' },
  AUTH_AUDIENCE_MISMATCH: { status: 401, title: 'Request token for another audience' },
  AUTH_BINDING_MISMATCH: { status: 401, title: 'Request token bound to another request' },
  ROLE_REQUIRED: { status: 403, title: 'Agency lacks the required role' },
  AGENCY_SUSPENDED: { status: 403, title: 'Agency suspended' },
  AGENCY_NOT_ADMITTED: { status: 403, title: 'Agency key not admitted by this keyholder' },
  ISSUER_MISMATCH: { status: 403, title: 'Statement issuer is not the requesting agency' },
  BODY_REQUIRED: { status: 403, title: 'Only an enrolled credentialing body may do this' },
  BODY_SUSPENDED: { status: 403, title: 'Credentialing body suspended or retired' },
  NOT_ISSUING_BODY: { status: 403, title: 'Credential issued by another body' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflicts with an existing resource' },
  SUPERSESSION_INVALID: { status: 409, title: 'Supersession not allowed' },
  COUNT_MISMATCH: { status: 409, title: 'Certified count differs from the statements held' },
  ALREADY_REVOKED: { status: 409, title: 'Credential already revoked' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  KEY_INVALID: { status: 422, title: 'Public key not acceptable' },
  SIG_TOO_LARGE: { status: 422, title: 'Signed statement too large' },
  SIG_MALFORMED: { status: 422, title: 'Signed statement malformed' },
  SIG_ALG_UNSUPPORTED: { status: 422, title: 'Signature algorithm not supported' },
  SIG_HEADER_INVALID: { status: 422, title: 'Signed statement header invalid' },
  SIG_TYP_MISMATCH: { status: 422, title: 'Signed statement of the wrong kind' },
  SIG_NOT_CANONICAL: { status: 422, title: 'Signed statement not in canonical form' },
  SIG_UNKNOWN_KEY: { status: 422, title: 'Statement signed with an unknown key' },
  SIG_BAD_SIGNATURE: { status: 422, title: 'Statement signature invalid' },
  EPOCH_UNKNOWN: { status: 422, title: 'Key epoch unknown or retired' },
  OPRF_ELEMENT_INVALID: { status: 422, title: 'Invalid group element' },
  SUBJECT_UNKNOWN: { status: 422, title: 'Credential about an agency not in the registry' },
  CREDENTIAL_EXPIRED: { status: 422, title: 'Credential assessment older than its validity' },
  DATE_IN_FUTURE: { status: 422, title: 'Date in the future' },
  STANDARD_UNKNOWN: { status: 422, title: 'Standard not on the standards list' },
  MANDATORY_STANDARD_MISSING: { status: 422, title: 'Mandatory standard not stated' },
  TOO_MANY_MATCHES: { status: 422, title: 'Check matches too many records for one answer' },
  ENROLLMENT_LIMIT: { status: 422, title: 'Monitoring enrollment limit reached' },
  RATE_LIMITED: { status: 429, title: 'Rate limit exceeded' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, ProblemCodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
export const PROBLEM_CODE_LIST = Object.keys(PROBLEM_CODES) as ProblemCode[];

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code);
}

/** RFC 9457 §3.1.1 type URI: a non-dereferenceable tag URI (RFC 4151) per code. */
export const PROBLEM_TYPE_PREFIX = 'tag:safe-policing-exchange,2025:problem:';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Stable field-level error codes (`errors[].code`). */
export const FIELD_ERROR_CODES = [
  'required',
  'invalid_type',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_value',
  'invalid_encoding',
  'invalid_length',
  'unknown_field',
  'duplicate',
  'not_allowed',
  'out_of_order',
  'mismatch',
  'unsupported_version',
  'unsupported_category_list',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  /** Path in the message, e.g. `tokens.keys[2].index`; `''` is the message itself. */
  readonly field: string;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/** Places field errors of a nested value under `prefix`, e.g. `attestations[3]` + `.tokens…`. */
export function prefixFieldErrors(prefix: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({
    ...e,
    field:
      e.field === '' ? prefix : e.field.startsWith('[') ? prefix + e.field : `${prefix}.${e.field}`,
  }));
}

/** At most this many field errors are reported; a flood tells the client nothing more. */
export const MAX_FIELD_ERRORS = 100;

/** `['tokens', 'keys', 2, 'index']` → `tokens.keys[2].index`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function isFieldErrorCode(code: unknown): code is FieldErrorCode {
  return typeof code === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(code);
}

function fieldCode(issue: z.core.$ZodIssue): FieldErrorCode {
  switch (issue.code) {
    case 'invalid_type':
      return 'invalid_type';
    case 'too_small':
      return issue.origin === 'string'
        ? 'too_short'
        : issue.origin === 'array'
          ? 'too_few'
          : 'too_small';
    case 'too_big':
      return issue.origin === 'string'
        ? 'too_long'
        : issue.origin === 'array'
          ? 'too_many'
          : 'too_big';
    case 'invalid_format':
      return 'invalid_format';
    case 'custom': {
      const code: unknown = issue.params?.['code'];
      return isFieldErrorCode(code) ? code : 'invalid_value';
    }
    default:
      return 'invalid_value';
  }
}

/** Whether `path` names a member absent from its (object) parent in `input`. */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let parent: unknown = input;
  for (const seg of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<PropertyKey, unknown>)[seg];
  }
  const last = path[path.length - 1];
  return (
    last !== undefined &&
    typeof parent === 'object' &&
    parent !== null &&
    !Array.isArray(parent) &&
    !Object.hasOwn(parent, last)
  );
}

/**
 * Turns zod issues into field errors. Each field reports only the first rule it breaks (in
 * schema order), an unknown member becomes one error at its own path, and — when the parsed
 * `input` is given — a missing member is reported as `required`.
 */
export function fieldErrorsFromZod(error: z.ZodError, input?: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const add = (e: FieldError) => {
    if (seen.has(e.field)) return;
    seen.add(e.field);
    out.push(e);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        add({
          field: formatFieldPath([...issue.path, key]),
          code: 'unknown_field',
          message: 'unknown member',
        });
      }
    } else if (issue.code !== 'custom' && input !== undefined && isMissing(input, issue.path)) {
      add({ field: formatFieldPath(issue.path), code: 'required', message: 'missing member' });
    } else {
      add({ field: formatFieldPath(issue.path), code: fieldCode(issue), message: issue.message });
    }
  }
  return out.slice(0, MAX_FIELD_ERRORS);
}

const FieldErrorSchema = z.object({
  field: z.string().max(512),
  code: z.string().max(64),
  message: z.string().max(1024),
});

/**
 * A received problem. Unlike protocol messages this schema is open: RFC 9457 §3.2 says
 * consumers MUST ignore extension members they do not recognize, so unknown members are
 * dropped rather than rejected, and an unknown `code` is kept (clients fall back on `status`).
 */
export const ProblemDetailsSchema = z.object({
  type: z.string().min(1).max(512),
  title: z.string().max(200),
  status: z.int().min(400).max(599),
  detail: z.string().max(2048),
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  errors: z.array(FieldErrorSchema).max(MAX_FIELD_ERRORS).optional(),
});

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly errors?: readonly FieldError[];
}

/** Builds the problem body for `code`; status, title and type follow from the code. */
export function problem(
  code: ProblemCode,
  detail: string,
  errors?: readonly FieldError[],
): ProblemDetails {
  const info = PROBLEM_CODES[code];
  const body = {
    type: PROBLEM_TYPE_PREFIX + code,
    title: info.title,
    status: info.status,
    detail: detail.slice(0, 2048),
    code,
  };
  return errors !== undefined && errors.length > 0
    ? { ...body, errors: errors.slice(0, MAX_FIELD_ERRORS) }
    : body;
}
