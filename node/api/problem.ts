/**
 * The node API's errors as its clients read them: RFC 9457 problem+json (protocol/problem.ts,
 * platform/http/problem-response.ts) with the per-field `errors` a person needs to fix a
 * request. `errors[].code` is a protocol field-error code (`required`, `too_long`, …) or, for a
 * candidate's identifiers that cannot be normalized, the normalization code of
 * docs/protocol.md §2.9 (`DOB_FORMAT`, `SSN_INVALID_AREA`, …). Members beyond these (an import
 * rejection's `issues`) are kept for the route that defines them (import.ts).
 */
import { z } from 'zod';
import { MAX_FIELD_ERRORS } from '../../protocol/problem.js';

const Code = z.string().min(1).max(64);
const Text = z.string().max(2000);

export const FieldErrorSchema = z.object({
  field: z.string().max(500),
  code: Code,
  message: Text,
});
export type NodeFieldError = z.infer<typeof FieldErrorSchema>;

/** The members every problem has (RFC 9457 §3.1 and the protocol's `code`, `errors`). */
export const PROBLEM_MEMBERS = {
  type: z.string().max(500).optional(),
  title: Text.optional(),
  status: z.int().min(400).max(599).optional(),
  detail: Text.optional(),
  code: Code,
  errors: z.array(FieldErrorSchema).max(MAX_FIELD_ERRORS).optional(),
};

/** Any problem; a route's own members are kept, for the route's schema to read. */
export const ProblemSchema = z.looseObject(PROBLEM_MEMBERS);
export type NodeProblem = z.infer<typeof ProblemSchema>;
