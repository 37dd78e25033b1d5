/**
 * The ristretto255 operations a keyholder's batch evaluation needs (RFC 9497 §2.1, §2.2.1),
 * behind one interface so that the library doing the arithmetic can be chosen: noble's
 * pure-JavaScript group here (the portable fallback, and the reference every other backend is
 * checked against byte for byte), libsodium's WebAssembly build in ./group-libsodium.ts. No
 * backend does curve arithmetic of its own; each only calls its library.
 *
 * Elements are opaque (`E`): noble's point objects, or libsodium's 32-byte encodings. Scalars
 * are always SerializeScalar bytes: 32 bytes, little-endian, canonical (< ℓ).
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { CryptoError } from '../errors.js';
import { ELEMENT_BYTES, Fn, Point, type RistrettoPoint } from './suite.js';

export const GROUP_BACKENDS = ['noble', 'libsodium'] as const;
export type GroupBackendName = (typeof GROUP_BACKENDS)[number];

export interface Ristretto255Group<E = unknown> {
  readonly name: GroupBackendName;
  /**
   * RFC 9496 §4.3.1 Decode: the element, or undefined when `bytes` are not the canonical
   * encoding of one. The identity decodes; callers that receive elements reject it.
   */
  decode(bytes: Uint8Array): E | undefined;
  /** RFC 9496 §4.3.2 Encode: the canonical 32 bytes. */
  encode(element: E): Uint8Array;
  /** scalar·element, in constant time with respect to the scalar (it may be secret). */
  multiply(element: E, scalar: Uint8Array): E;
  /** scalar·G, in constant time with respect to the scalar. */
  multiplyBase(scalar: Uint8Array): E;
  /**
   * Σ scalars[i]·elements[i] for PUBLIC scalars and elements (RFC 9497's composite weights):
   * a backend may use a variable-time multi-scalar multiplication.
   */
  msmPublic(elements: readonly E[], scalars: readonly Uint8Array[]): E;
  /** a − b·c mod ℓ: the DLEQ proof's response s = r − c·k (RFC 9497 §2.2.1). */
  scalarSubMul(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array;
  /**
   * RFC 9496 §4.3.4 element derivation from 64 uniform bytes: the last step of
   * hash_to_ristretto255 (RFC 9380 App. B), after expand_message_xmd.
   */
  fromUniformBytes(bytes: Uint8Array): E;
}

/**
 * noble (@noble/curves): the portable backend. Its multi-scalar multiplication is the
 * Strauss–Shamir wNAF walk noble's own RFC 9497 code uses for the same composite.
 */
export const nobleGroup: Ristretto255Group<RistrettoPoint> = {
  name: 'noble',
  decode(bytes) {
    try {
      return Point.fromBytes(bytes);
    } catch {
      return undefined;
    }
  },
  encode: (element) => element.toBytes(),
  multiply: (element, scalar) => element.multiply(Fn.fromBytes(scalar)),
  multiplyBase: (scalar) => Point.BASE.multiply(Fn.fromBytes(scalar)),
  msmPublic: (elements, scalars) =>
    mulAddUnsafe(
      Point,
      elements as RistrettoPoint[],
      scalars.map((s) => Fn.fromBytes(s)),
    ),
  scalarSubMul: (a, b, c) =>
    Fn.toBytes(Fn.sub(Fn.fromBytes(a), Fn.mul(Fn.fromBytes(b), Fn.fromBytes(c)))),
  fromUniformBytes: (bytes) => deriveToCurve(bytes),
};

/** noble declares deriveToCurve optional on hashers in general; ristretto255's has it. */
function deriveToCurve(bytes: Uint8Array): RistrettoPoint {
  const derive = ristretto255_hasher.deriveToCurve;
  if (derive === undefined) throw new CryptoError('OPRF_INPUT_INVALID', 'no element derivation');
  return derive.call(ristretto255_hasher, bytes) as RistrettoPoint;
}

const isAllZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);

/**
 * A received element (RFC 9497 §3.3): 32 bytes, a canonical encoding, not the identity (whose
 * only canonical encoding is 32 zero bytes, RFC 9496 §4.3.2). Throws OPRF_ELEMENT_INVALID
 * naming `field`, with the same messages as suite.ts's decodeElement.
 */
export function decodeElementWith<E>(
  group: Ristretto255Group<E>,
  bytes: unknown,
  field: string,
): E {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ELEMENT_BYTES) {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} must be ${ELEMENT_BYTES} bytes`, {
      field,
    });
  }
  const element = group.decode(bytes);
  if (element === undefined) {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} is not a ristretto255 element`, {
      field,
    });
  }
  if (isAllZero(bytes)) {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} is the identity element`, { field });
  }
  return element;
}
