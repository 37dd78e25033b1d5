/**
 * Test randomness for replaying vectors. RFC 9497 vectors list the scalars that RandomScalar()
 * returned (blinds, the proof's r); noble derives a scalar from 48 random bytes b as
 * (LE(b) mod (ℓ - 1)) + 1, so feeding LE(s - 1) padded to 48 bytes makes it return exactly s.
 * This is the same trick as noble's own RFC 9497 tests.
 */
import { getMinHashLength, mapHashToField } from '@noble/curves/abstract/modular.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../../../crypto/errors.js';
import type { Rng } from '../../../crypto/oprf/index.js';

const Fn = ristretto255.Point.Fn;
const RANDOM_SCALAR_BYTES = getMinHashLength(Fn.ORDER);

/** An rng that makes noble's RandomScalar() return `scalars` (hex, serialized) in order. */
export function scalarRng(scalars: readonly string[]): Rng {
  const queue = [...scalars];
  return (n: number) => {
    const next = queue.shift();
    if (next === undefined) throw new Error('scalarRng: no scalar left');
    if (n !== RANDOM_SCALAR_BYTES) throw new Error(`scalarRng: asked for ${n} bytes`);
    return numberToBytesLE(Fn.fromBytes(hexToBytes(next)) - 1n, RANDOM_SCALAR_BYTES);
  };
}

/**
 * A fixed, reproducible non-zero scalar for golden vectors: noble's mapHashToField over
 * SHA-512(seed || label). Only the resulting scalars matter; they are stored in the vectors.
 */
export function testScalar(seed: Uint8Array, label: string): string {
  const wide = sha512(new Uint8Array([...seed, ...utf8ToBytes(label)]));
  return bytesToHex(mapHashToField(wide, Fn.ORDER, true));
}

/** [code, field] of the CryptoError `run` throws, or ['none'] when it accepts. */
export function errorOf(run: () => unknown): [string, string | undefined] {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return [e.code, e.field];
    throw e;
  }
  return ['none', undefined];
}
