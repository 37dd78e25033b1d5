/**
 * The one error base class, and the crypto layer's error. Every layer's error is a one-line
 * subclass of CodedError with its own union of codes (as jose's JOSEError and sigstore's
 * BaseError<T>), so every error has one constructor shape: `(code, message, { field, cause })`.
 * Codes are public API: tests and callers assert on `code` (and `field`), never on the message.
 * Only the HTTP shells map codes to statuses.
 */

export interface CodedErrorOptions {
  /** The input field, flag or setting at fault, when there is one. */
  readonly field?: string | undefined;
  readonly cause?: unknown;
}

export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  /** The input at fault, when there is one (e.g. `lastName`, `aliases[1].lastName`, `ssn`). */
  readonly field: string | undefined;

  constructor(code: C, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // The subclass's own name (CryptoError, HubError, …): what a log or `spx` prints for it.
    this.name = new.target.name;
    this.code = code;
    this.field = options.field;
  }
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** Identifier normalization (docs/protocol.md §2). `field` names the offending input. */
export type NormalizationErrorCode =
  | 'NAME_EMPTY'
  | 'NAME_TOO_LONG'
  | 'NAME_DIGIT'
  | 'NAME_UNFOLDABLE_LETTER'
  | 'NAME_INVALID_CHARACTER'
  | 'DOB_FORMAT'
  | 'DOB_INVALID_DATE'
  | 'DOB_OUT_OF_RANGE'
  | 'SSN_FORMAT'
  | 'SSN_INVALID_AREA'
  | 'SSN_INVALID_GROUP'
  | 'SSN_INVALID_SERIAL'
  | 'LICENSE_STATE_UNKNOWN'
  | 'LICENSE_NUMBER_FORMAT'
  | 'IDENTITY_NO_KEYS';

/** OPRF tokenization (docs/protocol.md §4). */
export type OprfErrorCode =
  | 'OPRF_INPUT_INVALID'
  | 'OPRF_BATCH_SIZE'
  | 'OPRF_ELEMENT_INVALID'
  | 'OPRF_PROOF_INVALID'
  | 'OPRF_KEY_INVALID'
  | 'OPRF_SHARE_INVALID'
  | 'OPRF_THRESHOLD';

/** Statement signing and keys (docs/protocol.md §6). */
export type SignatureErrorCode =
  | 'KEY_INVALID'
  /** An Ed25519 private key file (crypto/signing/key-file.ts); `field` names the member. */
  | 'KEY_FILE_INVALID'
  | 'STATEMENT_NOT_JSON'
  | 'STATEMENT_TYP_INVALID'
  | 'STATEMENT_TOO_LARGE';

/** Request authentication (docs/protocol.md §7). */
export type RequestAuthErrorCode =
  | 'AUTH_MISSING'
  | 'AUTH_MALFORMED'
  | 'AUTH_BAD_SIGNATURE'
  | 'AUTH_UNKNOWN_KEY'
  | 'AUTH_EXPIRED'
  | 'AUTH_NOT_YET_VALID'
  | 'AUTH_LIFETIME_TOO_LONG'
  | 'AUTH_REPLAYED'
  | 'AUTH_AUDIENCE_MISMATCH'
  | 'AUTH_BINDING_MISMATCH';

/** Transparency-log Merkle proofs (RFC 9162 §2; docs/transparency.md). */
export type MerkleErrorCode =
  | 'MERKLE_SIZE_INVALID'
  | 'MERKLE_INDEX_INVALID'
  | 'MERKLE_HASH_INVALID'
  | 'MERKLE_PROOF_INVALID'
  | 'MERKLE_ROOT_MISMATCH';

/**
 * Signed notes, checkpoints and witness cosignatures (C2SP signed-note, tlog-checkpoint,
 * tlog-cosignature; crypto/note/). Bad keys, seeds and key strings reuse `KEY_INVALID`.
 */
export type NoteErrorCode =
  | 'NOTE_MALFORMED'
  | 'NOTE_SIGNATURE_INVALID'
  | 'NOTE_UNVERIFIED'
  | 'NOTE_POLICY_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_SIZE_UNSUPPORTED'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'COSIGNATURE_INVALID'
  | 'COSIGNATURE_QUORUM_NOT_MET';

export type CryptoErrorCode =
  | NormalizationErrorCode
  | OprfErrorCode
  | SignatureErrorCode
  | RequestAuthErrorCode
  | MerkleErrorCode
  | NoteErrorCode;

export class CryptoError<C extends CryptoErrorCode = CryptoErrorCode> extends CodedError<C> {}

export function isCryptoError(e: unknown): e is CryptoError {
  return e instanceof CryptoError;
}
