/**
 * Strict decoding and encoding of protocol messages (docs/protocol.md §8.2). Every message goes
 * through `decodeMessage` with its schema: the body is validated in full, unknown members are
 * refused, and a failure becomes one ProtocolError whose code the HTTP shell turns into a
 * problem+json response.
 */
import type { z } from 'zod';
import { CodedError, type CodedErrorOptions } from '../crypto/errors.js';
import type { Result } from '../crypto/result.js';
import { findDuplicateMember, MAX_JSON_DEPTH } from './duplicate-members.js';
import {
  fieldErrorsFromZod,
  problem,
  type FieldError,
  type ProblemCode,
  type ProblemDetails,
} from './problem.js';

/** The protocol layer's one error class; `code` is a stable problem code (§8.3). */
export class ProtocolError extends CodedError<ProblemCode> {
  /** Every field at fault; `field` is the first of them unless given. */
  readonly errors: readonly FieldError[];

  constructor(
    code: ProblemCode,
    message: string,
    options: CodedErrorOptions & { readonly errors?: readonly FieldError[] } = {},
  ) {
    const errors = options.errors ?? [];
    super(code, message, { field: options.field ?? errors[0]?.field, cause: options.cause });
    this.errors = errors;
  }
}

export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}

export function problemFromError(e: ProtocolError): ProblemDetails {
  return problem(e.code, e.message, e.errors);
}

/** The shared Result (crypto/result.ts) with the ProtocolError that names every field at fault. */
export type DecodeResult<T> = Result<T, ProtocolError>;

/**
 * §8.4: an unsupported version makes every other finding meaningless (the message follows
 * rules this receiver does not know), so it is reported alone and takes precedence.
 */
function classify(errors: FieldError[]): ProtocolError {
  const version = errors.filter((e) => e.code === 'unsupported_version');
  if (version.length > 0) {
    return new ProtocolError('UNSUPPORTED_VERSION', 'unsupported protocol version', {
      errors: version,
    });
  }
  const list = errors.filter((e) => e.code === 'unsupported_category_list');
  if (list.length > 0) {
    return new ProtocolError('UNSUPPORTED_CATEGORY_LIST', 'unsupported category list', {
      errors: list,
    });
  }
  return new ProtocolError('VALIDATION_FAILED', 'message failed validation', { errors });
}

export function safeDecode<S extends z.ZodType>(
  schema: S,
  input: unknown,
): DecodeResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: classify(fieldErrorsFromZod(result.error, input)) };
}

/** Validates `input` (already JSON-parsed) against `schema`; throws ProtocolError. */
export function decodeMessage<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeDecode(schema, input);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Parses a JSON body and decodes it. A body that is not JSON, whose top level is not an
 * object, that repeats a member name within one object (RFC 7493 §2.3; the field error names
 * the repeated member, code `duplicate`) or that nests deeper than MAX_JSON_DEPTH is
 * MALFORMED_JSON (§1.2, §8.2).
 */
export function decodeJson<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new ProtocolError('MALFORMED_JSON', 'body is not JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ProtocolError('MALFORMED_JSON', 'body is not a JSON object');
  }
  const scan = findDuplicateMember(text);
  if (scan.kind === 'duplicate') {
    // The path is the client's own text: bounded as a field error's is (§8.2).
    const field = scan.path.length > 512 ? `${scan.path.slice(0, 511)}…` : scan.path;
    const message = 'member name appears more than once in its object';
    throw new ProtocolError('MALFORMED_JSON', `${field}: ${message}`, {
      errors: [{ field, code: 'duplicate', message }],
    });
  }
  if (scan.kind === 'too_deep') {
    throw new ProtocolError('MALFORMED_JSON', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return decodeMessage(schema, input);
}

/**
 * Validates a message before it is sent, so that a node never emits what a peer must reject,
 * and returns its JSON text. (Signed statements are serialized with RFC 8785 by §6 instead.)
 */
export function encodeMessage<S extends z.ZodType>(schema: S, value: z.input<S>): string {
  return JSON.stringify(decodeMessage(schema, value));
}
