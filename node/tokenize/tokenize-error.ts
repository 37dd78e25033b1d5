/**
 * Failures of tokenization as a whole (keyholders, their keys, their answers). A bad identity
 * is not one of these: it is reported per identity in the result, so one bad record never
 * stops a batch. Codes are public API.
 */
import { CodedError, type CodedErrorOptions } from '../../crypto/errors.js';

export const TOKENIZE_ERROR_CODES = [
  /** The keyholder configuration cannot work (no URL, t > n, a pinned key set that fails §4.7.1). */
  'KEYHOLDER_CONFIG_INVALID',
  /** A keyholder's published keys could not be fetched. Retryable when the cause was. */
  'KEYHOLDER_KEYS_UNAVAILABLE',
  /** The keyholders' published keys disagree (epoch, t, group key, indexes) or fail §4.7.1. */
  'KEYHOLDER_KEYS_INCONSISTENT',
  /** Fewer than t keyholders answered, and none of them answered falsely. */
  'KEYHOLDER_UNAVAILABLE',
  /** Fewer than t valid answers, and at least one keyholder gave an answer that failed §4.4/§4.7.3. */
  'KEYHOLDER_ANSWER_INVALID',
] as const;
export type TokenizeErrorCode = (typeof TOKENIZE_ERROR_CODES)[number];

/** Why one keyholder did not contribute to a batch. */
export interface KeyholderFailure {
  readonly url: string;
  /**
   * A ClientError code (transport: NETWORK_ERROR, TIMEOUT, UNAVAILABLE, QUOTA_EXCEEDED, …) or a
   * CryptoError code (a false answer: OPRF_PROOF_INVALID, OPRF_SHARE_INVALID, …).
   */
  readonly code: string;
  /** The member at fault in a false answer, e.g. `proof`. */
  readonly field?: string | undefined;
  /** A false answer is never retryable: that keyholder is set aside for the whole run. */
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number | undefined;
}

export class TokenizeError extends CodedError<TokenizeErrorCode> {
  readonly failures: readonly KeyholderFailure[];
  /** Whether running the same tokenization later may succeed (for the outbox). */
  readonly retryable: boolean;
  /** The longest Retry-After among the failures that asked for one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: TokenizeErrorCode,
    message: string,
    options: CodedErrorOptions & {
      readonly failures?: readonly KeyholderFailure[];
      readonly retryable?: boolean;
    } = {},
  ) {
    super(code, message, options);
    this.failures = options.failures ?? [];
    this.retryable = options.retryable ?? false;
    const waits = this.failures
      .map((f) => f.retryAfterSeconds)
      .filter((s): s is number => s !== undefined);
    this.retryAfterSeconds = waits.length === 0 ? undefined : Math.max(...waits);
  }
}

export function isTokenizeError(e: unknown): e is TokenizeError {
  return e instanceof TokenizeError;
}
