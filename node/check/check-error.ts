/**
 * Why a check request could not be built or a check answer was not accepted. Codes are public
 * API; each names one step of the requester's checklist (docs/protocol.md §5.8.3), so a
 * tampered answer is rejected with the code of the first check it fails.
 */
import { CodedError, type CodedErrorOptions } from '../../crypto/errors.js';
import type { StatementVerifyCode } from '../../crypto/signing/index.js';
import type { FieldError } from '../../protocol/problem.js';

export const CHECK_ERROR_CODES = [
  /** The request this node would send fails the protocol schema (§5.7). */
  'CHECK_REQUEST_INVALID',
  /** The answer is not `{ response, attestations }` of the right shapes (§5.8.2). */
  'ANSWER_MALFORMED',
  /** `response` fails §6.6 against the hub's published keys (see `signatureCode`). */
  'HUB_SIGNATURE_INVALID',
  /** The signed payload fails the check-response schema (§5.8.1) other than in its verdict. */
  'RESPONSE_INVALID',
  /** The signed verdict or reasons are not what §5.9 computes from the matches and policy. */
  'VERDICT_MISMATCH',
  /** The signed response answers another request, requester, purpose, consent or policy. */
  'RESPONSE_NOT_FOR_REQUEST',
  /** The attestations carried are not those the signed response lists by digest. */
  'ATTESTATION_DIGEST_MISMATCH',
  /** An attestation's issuer is not in the registry. */
  'ATTESTATION_ISSUER_UNKNOWN',
  /** An attestation fails §6.6 against its issuer's registered keys (see `signatureCode`). */
  'ATTESTATION_SIGNATURE_INVALID',
  /** An attestation's payload fails the attestation schema (§5.5.1). */
  'ATTESTATION_INVALID',
  /** The hub's summary of a match disagrees with the attestation it carries (§5.8.3 step 5). */
  'MATCH_MISMATCH',
  /** `log.checkpoint` is not a checkpoint of our log signed by the hub (docs/node.md "Monitor"). */
  'LOG_CHECKPOINT_INVALID',
  /** `log.inclusions[i]` does not prove attestations[i] in that checkpoint's tree. */
  'LOG_INCLUSION_INVALID',
  /** The answer's checkpoint contradicts the log this node verified (fork, rollback, rewrite). */
  'LOG_CHECKPOINT_INCONSISTENT',
] as const;
export type CheckErrorCode = (typeof CHECK_ERROR_CODES)[number];

export class CheckError extends CodedError<CheckErrorCode> {
  /** Field errors, named from the answer (`attestations[1]`, `matches[0].category`, …). */
  readonly errors: readonly FieldError[];
  /** For the two signature codes: the §6.7 result code of the failed verification. */
  readonly signatureCode: StatementVerifyCode | undefined;

  constructor(
    code: CheckErrorCode,
    message: string,
    options: CodedErrorOptions & {
      readonly errors?: readonly FieldError[];
      readonly signatureCode?: StatementVerifyCode;
    } = {},
  ) {
    const errors = options.errors ?? [];
    super(code, message, { field: options.field ?? errors[0]?.field, cause: options.cause });
    this.errors = errors;
    this.signatureCode = options.signatureCode;
  }
}

export function isCheckError(e: unknown): e is CheckError {
  return e instanceof CheckError;
}
