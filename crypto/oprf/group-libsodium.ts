/**
 * libsodium's ristretto255 (libsodium-wrappers-sumo: libsodium compiled to WebAssembly), the
 * fast backend of ./group.ts. libsodium has no multi-scalar multiplication, so the public
 * composite is the cheapest composition its API allows: one constant-time scalar
 * multiplication per element and one addition per element (docs/performance.md measures it).
 *
 * Elements are their canonical encodings: every libsodium call decodes and re-encodes, and an
 * encoding is only ever produced by libsodium or checked by `decode` first.
 */
import type sodiumModule from 'libsodium-wrappers-sumo';
import { CryptoError } from '../errors.js';
import { ELEMENT_BYTES, SCALAR_BYTES } from './suite.js';
import type { Ristretto255Group } from './group.js';

type Sodium = typeof sodiumModule;

function groupOf(sodium: Sodium): Ristretto255Group<Uint8Array> {
  const check = (bytes: Uint8Array, what: string) => {
    if (bytes.length !== ELEMENT_BYTES) {
      throw new CryptoError('OPRF_ELEMENT_INVALID', `${what} must be ${ELEMENT_BYTES} bytes`);
    }
  };
  const scalar = (bytes: Uint8Array) => {
    if (bytes.length !== SCALAR_BYTES) {
      throw new CryptoError('OPRF_KEY_INVALID', `a scalar must be ${SCALAR_BYTES} bytes`);
    }
    return bytes;
  };
  return {
    name: 'libsodium',
    decode(bytes) {
      if (bytes.length !== ELEMENT_BYTES) return undefined;
      // is_valid_point is ristretto255_frombytes: canonical s, non-negative, and the square
      // and sign checks of RFC 9496 §4.3.1. It accepts the identity, as Decode does.
      return sodium.crypto_core_ristretto255_is_valid_point(bytes) ? bytes.slice() : undefined;
    },
    encode: (element) => element.slice(),
    // crypto_scalarmult_ristretto255 refuses (throws) when the product is the identity, which
    // for a non-identity element of a prime-order group means a zero scalar: callers never
    // multiply by zero (keys, blinds, proof nonces and hash-derived weights are non-zero).
    multiply(element, s) {
      check(element, 'element');
      return sodium.crypto_scalarmult_ristretto255(scalar(s), element);
    },
    multiplyBase: (s) => sodium.crypto_scalarmult_ristretto255_base(scalar(s)),
    msmPublic(elements, scalars) {
      if (elements.length !== scalars.length || elements.length === 0) {
        throw new CryptoError('OPRF_BATCH_SIZE', 'msm needs as many scalars as elements, ≥ 1');
      }
      let sum = sodium.crypto_scalarmult_ristretto255(scalar(scalars[0]!), elements[0]!);
      for (let i = 1; i < elements.length; i++) {
        const term = sodium.crypto_scalarmult_ristretto255(scalar(scalars[i]!), elements[i]!);
        sum = sodium.crypto_core_ristretto255_add(sum, term);
      }
      return sum;
    },
    fromUniformBytes(bytes) {
      if (bytes.length !== 64) {
        throw new CryptoError('OPRF_INPUT_INVALID', 'element derivation takes 64 bytes');
      }
      return sodium.crypto_core_ristretto255_from_hash(bytes);
    },
    scalarSubMul: (a, b, c) =>
      sodium.crypto_core_ristretto255_scalar_sub(
        scalar(a),
        sodium.crypto_core_ristretto255_scalar_mul(scalar(b), scalar(c)),
      ),
  };
}

/**
 * Loads libsodium's WebAssembly module (about 0.4 MB of JavaScript; instantiating it takes tens
 * of milliseconds) and returns its group. Rejects when the package is missing or its module
 * cannot be instantiated; ./backends.ts then falls back to noble.
 */
export async function loadLibsodiumGroup(): Promise<Ristretto255Group<Uint8Array>> {
  const sodium = (await import('libsodium-wrappers-sumo')).default;
  await sodium.ready;
  return groupOf(sodium);
}
