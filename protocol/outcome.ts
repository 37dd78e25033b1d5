/**
 * A compact, comparable summary of decoding a message: what the conformance vectors
 * (test/vectors/protocol/) record as the expected result, and what the tests assert.
 *
 *   { "ok": true }   or   { "ok": false, "code": "VALIDATION_FAILED", "errors": ["tokens.keys[1].index: duplicate"] }
 *
 * Field errors are listed as `field: code`, sorted, without messages (messages are not API).
 */
import type { z } from 'zod';
import { safeDecode } from './decode.js';
import type { ProblemCode } from './problem.js';

export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ProblemCode; readonly errors: readonly string[] };

export function decodeOutcome(schema: z.ZodType, input: unknown): Outcome {
  const result = safeDecode(schema, input);
  if (result.ok) return { ok: true };
  const errors = result.error.errors.map((e) => `${e.field}: ${e.code}`).sort();
  return { ok: false, code: result.error.code, errors };
}

/** Shorthand for a failed outcome in tests and vector scripts. */
export function rejected(code: ProblemCode, ...errors: string[]): Outcome {
  return { ok: false, code, errors: [...errors].sort() };
}

export const ACCEPTED: Outcome = { ok: true };
