/**
 * The keyholder's domain errors (docs/keyholder.md). Codes are public API: the CLI prints them,
 * tests assert them, and the HTTP shell maps the few that reach it (REGISTRY_UNAVAILABLE → 503
 * UNAVAILABLE). Messages never contain key material or request contents.
 */
import { CodedError } from '../crypto/errors.js';
import { isPlatformError } from '../platform/errors.js';

export type KeyholderErrorCode =
  /** `init` or `import-share` for an epoch this keyholder already holds a key for. */
  | 'EPOCH_EXISTS'
  /** `retire` (or a lookup) of an epoch this keyholder holds no key for. */
  | 'EPOCH_UNKNOWN'
  /** A secret stored under a key-encryption key, and none is configured. */
  | 'KEK_REQUIRED'
  /** The configured key-encryption key is not the one the secret was sealed with. */
  | 'KEK_MISMATCH'
  /** The key-encryption-key file is unreadable or not 32 bytes of base64url. */
  | 'KEK_INVALID'
  /** A KEK or share file that group or others may read (chmod 600 it), as ssh refuses keys. */
  | 'KEY_FILE_PERMISSIONS'
  /** A seed file is unreadable or not 32 bytes (64 hex digits or 43 base64url characters). */
  | 'SEED_FILE_INVALID'
  /** A share file is unreadable, malformed, or inconsistent with its key set. */
  | 'SHARE_FILE_INVALID'
  /** `serve` with no active key: there is nothing to evaluate with. */
  | 'NO_ACTIVE_KEY'
  /** The hub's registry could not be fetched and no copy young enough is held. */
  | 'REGISTRY_UNAVAILABLE'
  /** A stored key record fails its consistency checks (public key ≠ secret·G, bad bytes). */
  | 'KEY_RECORD_INVALID'
  /** The database failed to store a key record (the message names the error and SQLSTATE only). */
  | 'STORAGE_FAILED'
  /** Every evaluation worker is busy and the queue is full: 503 with Retry-After, nothing consumed. */
  | 'EVALUATION_OVERLOADED'
  /** An evaluation worker died during the batch, or none could be started: 503. */
  | 'EVALUATION_FAILED'
  /** The keyholder is shutting down and takes no new batch: 503. */
  | 'EVALUATION_CLOSED'
  /** The running keyholder's operator socket answered what the CLI cannot use (operator/). */
  | 'OPERATOR_CHANNEL_FAILED';

export class KeyholderError extends CodedError<KeyholderErrorCode> {}

export function isKeyholderError(e: unknown): e is KeyholderError {
  return e instanceof KeyholderError;
}

/**
 * A secret file's read failure (platform/fs readSecretFile) as a KeyholderError: one that others
 * may read is KEY_FILE_PERMISSIONS, as for every secret file; any other is `unreadable`, the
 * code of the file's kind (KEK_INVALID, SHARE_FILE_INVALID).
 */
export function secretFileError(e: unknown, unreadable: KeyholderErrorCode): unknown {
  if (!isPlatformError(e)) return e;
  const code = e.code === 'FILE_PERMISSIONS' ? 'KEY_FILE_PERMISSIONS' : unreadable;
  return new KeyholderError(code, e.message, { field: e.field, cause: e });
}
