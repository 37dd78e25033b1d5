/**
 * Verification of a signed note against known keys (C2SP signed-note §Signatures):
 *  - a line whose name and key hash match no known key is ignored, even when one of the two
 *    matches (that is how key rotation and witnesses we do not follow stay harmless);
 *  - a line that matches a known key MUST verify, or the whole note is rejected;
 *  - a note with no verified known signature is rejected.
 *
 * Signatures are strict RFC 8032 Ed25519 (no ZIP-215 leniency). A known key of type 0x04
 * (tlog-cosignature) verifies a timestamped cosignature/v1 instead of a plain signature.
 *
 * Like every verifier in crypto/, this never throws on the note: failures come back as
 * `{ ok: false, error: { code, field } }` (crypto/result.ts). Only a malformed key list
 * (configuration) throws.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesEqual, utf8 } from '../encoding.js';
import { CryptoError, isCryptoError } from '../errors.js';
import type { NoteErrorCode } from '../errors.js';
import { fail, ok } from '../result.js';
import type { Failure, Result } from '../result.js';
import { SIGNATURE_TYPE_ED25519, noteVerifierKey } from './keys.js';
import type { NoteVerifierKey } from './keys.js';
import { parseSignedNote } from './signed-note.js';
import type { SignedNote } from './signed-note.js';

const ED25519_SIGNATURE_LENGTH = 64;
const TIMESTAMP_LENGTH = 8;
/** tlog-cosignature §Format: the timestamp "MUST NOT exceed 2^63 - 1". */
const MAX_COSIGNATURE_TIMESTAMP = (1n << 63n) - 1n;

export interface VerifiedSignature {
  readonly key: NoteVerifierKey;
  /** POSIX seconds of a cosignature (type 0x04); undefined for a plain signature. */
  readonly timestamp: number | undefined;
}

/**
 * Why a note was refused. `field` is e.g. `signatures[2]`, `text`, `size`; undefined when the
 * note as a whole is at fault.
 */
export type NoteFailure = Failure<NoteErrorCode>;

export interface VerifiedNote {
  readonly text: string;
  readonly verifiedBy: readonly VerifiedSignature[];
}

export type NoteVerification = Result<VerifiedNote, NoteFailure>;

export function noteFailure(
  code: NoteErrorCode,
  field?: string,
): { readonly ok: false; readonly error: NoteFailure } {
  return fail({ code, field });
}

/** Maps a parse error of ours to a failure result; anything else is a bug and is rethrown. */
export function failureFromError(e: unknown): { readonly ok: false; readonly error: NoteFailure } {
  if (isCryptoError(e) && e.code !== 'KEY_INVALID') {
    return noteFailure(e.code as NoteErrorCode, e.field);
  }
  throw e;
}

/**
 * tlog-cosignature §Ed25519 signed message: "cosignature/v1", then "time <decimal seconds>",
 * each newline-terminated, then the whole note text (extension lines included).
 */
export function cosignatureV1Message(text: string, timestamp: number): Uint8Array {
  return utf8(`cosignature/v1\ntime ${timestamp}\n${text}`);
}

function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** The timestamp of a valid signature (undefined for type 0x01), or false. */
function verifyOne(
  key: NoteVerifierKey,
  text: string,
  sig: Uint8Array,
): number | undefined | false {
  if (key.type === SIGNATURE_TYPE_ED25519) {
    const ok =
      sig.length === ED25519_SIGNATURE_LENGTH && verifyEd25519(sig, utf8(text), key.publicKey);
    return ok ? undefined : false;
  }
  if (sig.length !== TIMESTAMP_LENGTH + ED25519_SIGNATURE_LENGTH) return false;
  const t = new DataView(sig.buffer, sig.byteOffset, TIMESTAMP_LENGTH).getBigUint64(0);
  // Timestamps beyond 2^53 - 1 (year 285 million) are refused rather than rounded.
  if (t > MAX_COSIGNATURE_TIMESTAMP || t > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  const timestamp = Number(t);
  const message = cosignatureV1Message(text, timestamp);
  return verifyEd25519(sig.subarray(TIMESTAMP_LENGTH), message, key.publicKey) ? timestamp : false;
}

/**
 * Re-derives every known key (so a hand-built object cannot smuggle a wrong hash or a
 * small-order point) and refuses two keys sharing a name and key hash: a line matching both
 * could not be attributed (Go's sumdb/note calls this an ambiguous key).
 */
export function checkKnownKeys(
  known: readonly NoteVerifierKey[],
  field: string,
): NoteVerifierKey[] {
  if (!Array.isArray(known)) throw policyInvalid('known keys must be an array', field);
  const keys = known.map((k: NoteVerifierKey, i) => {
    try {
      const fresh = noteVerifierKey(k.name, k.publicKey, k.type);
      if (bytesEqual(fresh.keyHash, k.keyHash)) return fresh;
    } catch {
      // reported below
    }
    throw policyInvalid('not a valid note verifier key', `${field}[${i}]`);
  });
  keys.forEach((k, i) => {
    const j = keys.findIndex((o) => o.name === k.name && bytesEqual(o.keyHash, k.keyHash));
    if (j !== i) throw policyInvalid('two keys share a name and key hash', `${field}[${i}]`);
  });
  return keys;
}

export function policyInvalid(message: string, field: string): CryptoError<'NOTE_POLICY_INVALID'> {
  return new CryptoError('NOTE_POLICY_INVALID', message, { field });
}

/**
 * Verifies every line of `note` that matches a key of `keys` (already checked). Each key
 * is reported once, with the timestamp of its first line; later lines by it must verify too.
 */
export function verifyKnownSignatures(
  note: SignedNote,
  keys: readonly NoteVerifierKey[],
): Result<VerifiedSignature[], NoteFailure> {
  const verified: VerifiedSignature[] = [];
  for (const [i, sig] of note.signatures.entries()) {
    const key = keys.find((k) => k.name === sig.name && bytesEqual(k.keyHash, sig.keyHash));
    if (key === undefined) continue;
    const timestamp = verifyOne(key, note.text, sig.signature);
    if (timestamp === false) {
      const code =
        key.type === SIGNATURE_TYPE_ED25519 ? 'NOTE_SIGNATURE_INVALID' : 'COSIGNATURE_INVALID';
      return noteFailure(code, `signatures[${i}]`);
    }
    if (!verified.some((v) => v.key === key)) verified.push({ key, timestamp });
  }
  return ok(verified);
}

/**
 * Parses `note` and verifies it against `known`: returns the text and the known keys whose
 * signatures verified, or NOTE_MALFORMED, NOTE_SIGNATURE_INVALID, COSIGNATURE_INVALID or
 * NOTE_UNVERIFIED (no known key signed it). Throws NOTE_POLICY_INVALID for a bad key list.
 */
export function verifyNote(
  note: string | Uint8Array,
  known: readonly NoteVerifierKey[],
): NoteVerification {
  const keys = checkKnownKeys(known, 'known');
  let parsed: SignedNote;
  try {
    parsed = parseSignedNote(note);
  } catch (e) {
    return failureFromError(e);
  }
  const result = verifyKnownSignatures(parsed, keys);
  if (!result.ok) return result;
  if (result.value.length === 0) return noteFailure('NOTE_UNVERIFIED');
  return ok({ text: parsed.text, verifiedBy: result.value });
}
