/**
 * Test support (not imported by production code): seeded randomness, a settable clock, UUIDv7
 * ids and agency keys, so every run of the node's outbound tests replays exactly.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import { signingKeyFromSeed, type SigningKey } from '../../../crypto/signing/index.js';

/** n pseudo-random bytes per call from SHA-256(label # counter): deterministic, never repeating. */
export function seededRng(label: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const block = sha256(utf8(`${label}#${counter++}`));
      out.set(block.subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}

/** A clock tests can move: `clock.now()` for deps, `clock.set(iso)` to travel. */
export function settableClock(iso: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(iso);
  return { now: () => new Date(current.getTime()), set: (next) => (current = new Date(next)) };
}

/** RFC 9562 §5.7 UUIDv7 from a time and seeded bytes. */
export function uuidV7(at: Date, rng: (n: number) => Uint8Array): string {
  const bytes = rng(16);
  const ms = BigInt(at.getTime());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 32-byte seed of `signingKeyFor(label)` (for signed notes, which sign with the seed). */
export function seedFor(label: string): Uint8Array {
  return sha256(utf8(`signing-key:${label}`));
}

/** A deterministic Ed25519 signing key named by `label`. */
export function signingKeyFor(label: string): Promise<SigningKey> {
  return signingKeyFromSeed(seedFor(label));
}

/** A base64url string of 32 bytes named by `label` (never a valid element or signature). */
export function b64For(label: string): string {
  return toBase64url(sha256(utf8(label)));
}
