/**
 * The hub's one error class for its own (non-protocol) failures: operator commands, key files,
 * configuration of the signing key. Protocol failures on the wire are ProtocolError
 * (protocol/decode.ts) with the codes of docs/protocol.md §8.3; these codes are for operators.
 * Codes are public API: the CLI and tests branch on `code` and `field`, never on the message.
 */
import { CodedError, type CodedErrorOptions } from '../crypto/errors.js';

export type HubErrorCode =
  /** `hub enroll` for an ORI that is already enrolled. */
  | 'AGENCY_EXISTS'
  /** No agency with this ORI in the registry. */
  | 'AGENCY_UNKNOWN'
  /** `hub body enroll` for a body id that is already enrolled. */
  | 'BODY_EXISTS'
  /** No credentialing body with this id. */
  | 'BODY_UNKNOWN'
  /** A retired credentialing body cannot be reinstated or suspended (retirement is final). */
  | 'BODY_RETIRED'
  /** An enrollment or rotation that the registry-entry schema refuses; `field` names the flag. */
  | 'ENTRY_INVALID'
  /** The key is already registered (to this agency or to another one). */
  | 'KEY_IN_USE'
  /** The agency already has the protocol's maximum number of keys (16). */
  | 'KEY_LIMIT'
  /** A key file that is not a usable Ed25519 private JWK, or a public JWK that is not usable. */
  | 'KEY_FILE_INVALID'
  /** `hub keygen` would overwrite an existing file. */
  | 'KEY_FILE_EXISTS'
  /** A private key file readable by group or others. */
  | 'KEY_FILE_PERMISSIONS'
  /** The hub's signing key file is missing or unreadable. */
  | 'KEY_FILE_UNREADABLE'
  /** `hub expunge` of a statement id the hub does not hold. */
  | 'ATTESTATION_UNKNOWN'
  /** `hub expunge` of a statement already expunged. */
  | 'ATTESTATION_EXPUNGED'
  /** A report's period is not a period of this hub's length (`field` names it). */
  | 'PERIOD_INVALID'
  /** A report asked for a period that has not ended by the report's moment. */
  | 'PERIOD_NOT_CLOSED'
  /** A report's `asOf` is not a timestamp, or is in the future. */
  | 'AS_OF_INVALID'
  /** A report asked for an eligibility rule version that does not exist. */
  | 'RULE_UNKNOWN'
  /** A report asked for a format other than json or csv. */
  | 'FORMAT_INVALID'
  /** SPX_HUB_KEYHOLDER_KEYSET is unreadable or not a valid key set; `field` names the member. */
  | 'KEYHOLDER_KEYSET_INVALID'
  /**
   * An operator command sent to the running hub (its operator socket) failed there, or the hub
   * answered what this CLI cannot read (a hub of another version).
   */
  | 'OPERATOR_CHANNEL_FAILED';

export interface HubFieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class HubError<C extends HubErrorCode = HubErrorCode> extends CodedError<C> {
  /** Every input at fault, when there are several (ENTRY_INVALID). */
  readonly errors: readonly HubFieldError[];

  constructor(
    code: C,
    message: string,
    options: CodedErrorOptions & { readonly errors?: readonly HubFieldError[] } = {},
  ) {
    const { field } = options;
    const errors = options.errors ?? (field === undefined ? [] : [{ field, code, message }]);
    super(code, message, { field: field ?? errors[0]?.field, cause: options.cause });
    this.errors = errors;
  }
}

export function isHubError(e: unknown): e is HubError {
  return e instanceof HubError;
}
