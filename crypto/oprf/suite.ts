/**
 * The one OPRF suite of SPX1 (docs/protocol.md §4.1): RFC 9497 ristretto255-SHA512 in
 * verifiable mode (modeVOPRF = 0x01), as implemented by @noble/curves. This file holds the
 * suite's constants and the strict decoders every other file goes through, so that a
 * bad element, scalar or number is rejected in one place with one error code.
 */
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { CryptoError } from '../errors.js';

/** Randomness is a parameter (STYLE.md): `rng(n)` returns n fresh uniformly random bytes. */
export type Rng = (n: number) => Uint8Array;

export const SUITE_ID = 'ristretto255-SHA512';
/** RFC 9497 §4.1: Ne = Ns = 32 for ristretto255; a proof is two scalars (c, s). */
export const ELEMENT_BYTES = 32;
export const SCALAR_BYTES = 32;
export const PROOF_BYTES = 2 * SCALAR_BYTES;
/** RFC 9497 §4.1: Nh = 64 (SHA-512). */
export const OUTPUT_BYTES = 64;
/** RFC 9497 §3.2.1: DeriveKeyPair takes a 32-byte seed. */
export const SEED_BYTES = 32;

/** Batch bounds (§4.3): one record's keys fit easily; a keyholder's work per request is capped. */
export const MIN_BATCH = 1;
export const MAX_BATCH = 256;
/** Match-key strings are short; this caps client work and stays far below RFC 9497's 2^16 - 1. */
export const MAX_INPUT_BYTES = 1024;
/**
 * OPRF key epochs are 1..2^31-1 (§4.2), the protocol's one definition (protocol/common.ts
 * re-exports it). The key info encodes I2OSP(epoch, 4), which could hold 2^32-1, but every
 * service stores epochs in PostgreSQL `integer` columns (signed 32-bit), so a larger epoch would
 * pass the schema and fail in the database with a 500.
 */
export const MAX_EPOCH = 0x7fff_ffff;
/** Share indexes are the Shamir x-coordinates 1..n of a keyholder set of at most this size. */
export const MAX_KEYHOLDERS = 16;

/** noble's RFC 9497 suite object; its `voprf` member is modeVOPRF. */
export const suite = ristretto255_oprf;
export const Point = ristretto255.Point;
export type RistrettoPoint = InstanceType<typeof Point>;
/** The scalar field GF(ℓ) of ristretto255, ℓ = 2^252 + 27742317777372353535851937790883648493. */
export const Fn = Point.Fn;

/** noble's RNG type allows an omitted length; ours does not. */
export function nobleRng(rng: Rng): (n?: number) => Uint8Array {
  return (n?: number) => rng(n ?? SCALAR_BYTES);
}

/**
 * RFC 9497 §3.3 / RFC 9496 §4.3.1: a received element must be a canonical ristretto255
 * encoding and must not be the identity.
 */
export function decodeElement(bytes: unknown, field: string): RistrettoPoint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ELEMENT_BYTES) {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} must be ${ELEMENT_BYTES} bytes`, {
      field,
    });
  }
  let point: RistrettoPoint;
  try {
    point = Point.fromBytes(bytes);
  } catch {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} is not a ristretto255 element`, {
      field,
    });
  }
  if (point.is0()) {
    throw new CryptoError('OPRF_ELEMENT_INVALID', `${field} is the identity element`, { field });
  }
  return point;
}

/** A canonical (< ℓ), non-zero secret key scalar: RFC 9497 keys are never zero. */
export function decodeSecretKey(bytes: unknown, field: string): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    throw new CryptoError('OPRF_KEY_INVALID', `${field} must be ${SCALAR_BYTES} bytes`, { field });
  }
  let scalar: bigint;
  try {
    scalar = Fn.fromBytes(bytes);
  } catch {
    throw new CryptoError('OPRF_KEY_INVALID', `${field} is not a canonical scalar`, { field });
  }
  if (Fn.is0(scalar)) throw new CryptoError('OPRF_KEY_INVALID', `${field} is zero`, { field });
  return scalar;
}

/**
 * The proof's two scalars must be canonical; anything else is an invalid proof, never a
 * decoding quirk to be tolerated (RFC 9497 §2.2.2 VerifyProof deserializes both).
 */
export function checkProofEncoding(
  proof: unknown,
  field: string,
  code: 'OPRF_PROOF_INVALID' | 'OPRF_SHARE_INVALID' = 'OPRF_PROOF_INVALID',
): Uint8Array {
  if (!(proof instanceof Uint8Array) || proof.length !== PROOF_BYTES) {
    throw new CryptoError(code, `${field} must be ${PROOF_BYTES} bytes`, { field });
  }
  try {
    Fn.fromBytes(proof.subarray(0, SCALAR_BYTES));
    Fn.fromBytes(proof.subarray(SCALAR_BYTES));
  } catch {
    throw new CryptoError(code, `${field} holds a non-canonical scalar`, { field });
  }
  return proof;
}

export function checkEpoch(epoch: unknown, field = 'epoch'): number {
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) {
    throw new CryptoError('OPRF_KEY_INVALID', `${field} must be an integer 1..${MAX_EPOCH}`, {
      field,
    });
  }
  return epoch;
}

/** A share index is 1..n; `code` lets a combiner report a bad responder as a bad share. */
export function checkShareIndex(
  index: unknown,
  max: number,
  field: string,
  code: 'OPRF_KEY_INVALID' | 'OPRF_SHARE_INVALID' = 'OPRF_KEY_INVALID',
): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 1 || index > max) {
    throw new CryptoError(code, `${field} must be an integer 1..${max}`, { field });
  }
  return index;
}

export function checkBatchSize(length: number, field: string): void {
  if (length < MIN_BATCH || length > MAX_BATCH) {
    throw new CryptoError(
      'OPRF_BATCH_SIZE',
      `${field} must hold ${MIN_BATCH}..${MAX_BATCH} elements, not ${length}`,
      { field },
    );
  }
}
