/**
 * Byte encodings used on the wire. Every binary value in a protocol message is
 * base64url without padding (RFC 4648 §5); decoding is strict so that one value
 * has exactly one encoding (no padding, no whitespace, no non-canonical trailing bits).
 */
import { base64url } from 'jose';

const B64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  return base64url.encode(bytes);
}

/** Returns undefined for anything that is not canonical unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(text);
  } catch {
    return undefined;
  }
  // Reject non-zero padding bits, which would give one value two spellings.
  return base64url.encode(bytes) === text ? bytes : undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Fatal UTF-8 decoding: invalid sequences throw rather than becoming U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
