/**
 * Byte encodings used on the wire. Every binary value in a protocol message is
 * base64url without padding (RFC 4648 §5); decoding is strict so that one value
 * has exactly one encoding (no padding, no whitespace, no non-canonical trailing bits).
 */
const B64URL = /^[A-Za-z0-9_-]*$/;

/** The 6-bit value of a base64url character (RFC 4648 §5), for one already checked. */
function sextet(code: number): number {
  if (code >= 97) return code - 71; // a–z: 26–51
  if (code >= 65) return code - 65; // A–Z: 0–25
  if (code >= 48) return code + 4; // 0–9: 52–61
  return code === 45 ? 62 : 63; // '-', '_'
}

// Node.js's native codec (Buffer), which is several times faster than a JavaScript one: every
// statement, token, hub index and log hash goes through here. Only Uint8Arrays come out.

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Returns undefined for anything that is not canonical unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) return undefined;
  // Reject non-zero padding bits (RFC 4648 §3.5), which would give one value two spellings:
  // the last character of 2 (3) leftover characters carries 4 (2) unused bits.
  const leftover = text.length % 4;
  if (leftover !== 0) {
    const unused = leftover === 2 ? 0x0f : 0x03;
    if ((sextet(text.charCodeAt(text.length - 1)) & unused) !== 0) return undefined;
  }
  // A copy, not a view into Node's shared allocation pool.
  return new Uint8Array(Buffer.from(text, 'base64url'));
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
