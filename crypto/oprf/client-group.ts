/**
 * The node's side of RFC 9497 modeVOPRF (§3.3.2 Blind, §2.2.2 VerifyProof, §3.3.1 Finalize)
 * written against ./group.ts, so that libsodium can do the group arithmetic where it loads
 * (issue 10: a check's blinding, proof verification and unblinding were ~60 ms in noble).
 * Hashing (SHA-512, RFC 9380 expand_message_xmd) is noble's for every backend. With noble as
 * the group this computes exactly what noble's `ristretto255_oprf.voprf` computes, and the
 * tests hold every backend to that, byte for byte, on the same randomness and the RFC vectors.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { bytesEqual, utf8 } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { randomScalar } from './batch-proof.js';
import { decodeElementWith, type Ristretto255Group } from './group.js';
import { Fn, SCALAR_BYTES, SUITE_ID, type Rng } from './suite.js';

/** RFC 9497 §3.1: contextString for modeVOPRF. */
const CONTEXT = concatBytes(utf8('OPRFV1-'), Uint8Array.of(0x01), utf8(`-${SUITE_ID}`));
const HASH_TO_GROUP_DST = concatBytes(utf8('HashToGroup-'), CONTEXT);
const HASH_TO_SCALAR_DST = concatBytes(utf8('HashToScalar-'), CONTEXT);
const SEED_DST = concatBytes(utf8('Seed-'), CONTEXT);
const COMPOSITE = utf8('Composite');
const CHALLENGE = utf8('Challenge');
const FINALIZE = utf8('Finalize');
const ONE = Fn.toBytes(1n);

/** G of each backend, computed once (a constant-time base multiplication otherwise). */
const generators = new WeakMap<Ristretto255Group<never>, unknown>();
function generatorOf<E>(group: Ristretto255Group<E>): E {
  const key = group as unknown as Ristretto255Group<never>;
  let g = generators.get(key) as E | undefined;
  if (g === undefined) {
    g = group.multiplyBase(ONE);
    generators.set(key, g);
  }
  return g;
}

/** I2OSP(len(x), 2) || x. */
function prefixed(x: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + x.length);
  out[0] = x.length >> 8;
  out[1] = x.length & 0xff;
  out.set(x, 2);
  return out;
}

function hashToScalar(message: Uint8Array): Uint8Array {
  return Fn.toBytes(ristretto255_hasher.hashToScalar(message, { DST: HASH_TO_SCALAR_DST }));
}

/** RFC 9497 HashToGroup: hash_to_ristretto255 (RFC 9380 App. B) with the suite's DST. */
export function hashToGroupWith<E>(group: Ristretto255Group<E>, input: Uint8Array): E {
  return group.fromUniformBytes(expand_message_xmd(input, HASH_TO_GROUP_DST, 64, sha512));
}

/**
 * §3.3.2 Blind: blind = RandomScalar() (drawn as noble draws it), blinded = blind·H(input).
 * Throws OPRF_INPUT_INVALID when H(input) is the identity (probability ~2^-252).
 */
export function blindWith<E>(
  group: Ristretto255Group<E>,
  input: Uint8Array,
  rng: Rng,
): { blind: Uint8Array; blinded: Uint8Array } {
  const blind = randomScalar(rng);
  const element = hashToGroupWith(group, input);
  const blinded = group.encode(group.multiply(element, blind));
  // blind ≠ 0, so blind·H(input) is the identity only when H(input) is.
  if (blinded.every((b) => b === 0)) {
    throw new CryptoError('OPRF_INPUT_INVALID', 'input hashes to the identity element');
  }
  return { blind, blinded };
}

export interface VerifyItems {
  /** B: the public key (or share) the proof is against, encoded. */
  readonly publicKey: Uint8Array;
  /** C: the blinded elements sent. */
  readonly blinded: readonly Uint8Array[];
  /** D: the evaluated elements received (each already checked: canonical, not the identity). */
  readonly evaluated: readonly Uint8Array[];
  /** SerializeScalar(c) || SerializeScalar(s), both canonical (checked by the caller). */
  readonly proof: Uint8Array;
}

/**
 * §2.2.2 VerifyProof with ComputeComposites (§2.2.1): M = Σ d_i·C_i, Z = Σ d_i·D_i,
 * t2 = s·G + c·B, t3 = s·M + c·Z, and c must equal H(B, M, Z, t2, t3). All inputs are public,
 * so the multi-scalar multiplications may take variable time. Returns false on any failure.
 */
export function verifyProofWith<E>(group: Ristretto255Group<E>, items: VerifyItems): boolean {
  try {
    const b = decodeElementWith(group, items.publicKey, 'publicKey');
    const c = items.blinded.map((x, i) => decodeElementWith(group, x, `blinded[${i}]`));
    const d = items.evaluated.map((x, i) => decodeElementWith(group, x, `evaluated[${i}]`));
    const seed = sha512(concatBytes(prefixed(items.publicKey), prefixed(SEED_DST)));
    const weights = items.blinded.map((ci, i) =>
      hashToScalar(
        concatBytes(
          prefixed(seed),
          Uint8Array.of(i >> 8, i & 0xff),
          prefixed(ci),
          prefixed(items.evaluated[i]!),
          COMPOSITE,
        ),
      ),
    );
    const m = group.msmPublic(c, weights);
    const z = group.msmPublic(d, weights);
    const proofC = items.proof.subarray(0, SCALAR_BYTES);
    const proofS = items.proof.subarray(SCALAR_BYTES);
    const t2 = group.msmPublic([generatorOf(group), b], [proofS, proofC]);
    const t3 = group.msmPublic([m, z], [proofS, proofC]);
    const expected = hashToScalar(
      concatBytes(
        ...[
          items.publicKey,
          group.encode(m),
          group.encode(z),
          group.encode(t2),
          group.encode(t3),
        ].map(prefixed),
        CHALLENGE,
      ),
    );
    return bytesEqual(expected, proofC);
  } catch {
    // A backend refusing an operation (libsodium: a product that is the identity, as with a
    // zero s or c) means the proof cannot be the honest one.
    return false;
  }
}

/** The unblinded element blind⁻¹·evaluated, encoded (§3.3.1 Finalize's first step). */
export function unblindWith<E>(
  group: Ristretto255Group<E>,
  blind: Uint8Array,
  evaluated: E,
): Uint8Array {
  const inverse = Fn.toBytes(Fn.inv(Fn.fromBytes(blind)));
  return group.encode(group.multiply(evaluated, inverse));
}

/** §3.3.1 Finalize's hash: SHA-512(len‖input ‖ len‖unblinded ‖ "Finalize"). */
export function finalizeHash(input: Uint8Array, unblinded: Uint8Array): Uint8Array {
  return sha512(concatBytes(prefixed(input), prefixed(unblinded), FINALIZE));
}
