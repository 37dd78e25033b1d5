/**
 * The character-level rules shared by signed notes, key strings and checkpoints
 * (C2SP signed-note §Format), and the standard base64 (RFC 4648 §4, padded) they use.
 *
 * Base64 decoding is strict so that one value has one spelling: padding required, no
 * whitespace, no non-zero trailing bits. Go's `base64.StdEncoding` tolerates non-zero
 * trailing bits; rejecting them costs no interoperability (every encoder emits zero bits)
 * and means a changed character in a signature line can never leave the decoded bytes equal.
 */
import { fromBase64url, toBase64url, utf8 } from '../encoding.js';

const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function toBase64(bytes: Uint8Array): string {
  const std = toBase64url(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

/** Returns undefined for anything that is not canonical padded standard base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!STD_BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const unpadded = text.replace(/=+$/, '');
  return fromBase64url(unpadded.replace(/\+/g, '-').replace(/\//g, '_'));
}

/**
 * Lone UTF-16 surrogates are the strings that have no UTF-8 encoding: TextEncoder would
 * silently turn them into U+FFFD, so that the bytes signed would differ from the text shown.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
/** signed-note §Format: "MUST NOT contain any Unicode spaces or plus (U+002B)". */
const NAME_FORBIDDEN = /[\p{White_Space}+]/u;

/** signed-note §Format: no ASCII control character (below U+0020), newline excepted if allowed. */
function hasControl(text: string, allowNewline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && !(allowNewline && c === 0x0a)) return true;
  }
  return false;
}

/** Longest key name we accept, in UTF-8 bytes (see MAX_ORIGIN_BYTES for why 255). */
export const MAX_KEY_NAME_BYTES = 255;

/** Valid UTF-8 (as a JS string: no lone surrogate) with no control character but newline. */
export function isNoteSafeText(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !hasControl(text, true);
}

/** A key name: non-empty, at most 255 bytes, no Unicode space, no plus, no control character. */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !LONE_SURROGATE.test(name) &&
    !NAME_FORBIDDEN.test(name) &&
    !hasControl(name, false) &&
    utf8(name).length <= MAX_KEY_NAME_BYTES
  );
}

/** UTF-8 length without encoding when the answer is already known to exceed `max`. */
export function utf8LengthExceeds(text: string, max: number): boolean {
  // Every UTF-16 code unit needs at least one UTF-8 byte.
  return text.length > max || utf8(text).length > max;
}
