/**
 * RFC 9497 BlindEvaluate for a batch in modeVOPRF (§3.3.2) with its one DLEQ proof (§2.2.1
 * GenerateProof with ComputeCompositesFast), written against ./group.ts so that any backend
 * can do the group arithmetic. Hashing (SHA-512, RFC 9380 expand_message_xmd) is noble's for
 * every backend. With noble as the group this computes exactly what noble's own
 * `ristretto255_oprf.voprf.blindEvaluateBatch` computes, and the tests hold every backend to
 * that, byte for byte, on the same randomness.
 */
import { getMinHashLength, mapHashToField } from '@noble/curves/abstract/modular.js';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { utf8 } from '../encoding.js';
import { Fn, SUITE_ID, type Rng } from './suite.js';
import type { Ristretto255Group } from './group.js';

/** RFC 9497 §3.1: contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier. */
const CONTEXT = concatBytes(utf8('OPRFV1-'), Uint8Array.of(0x01), utf8(`-${SUITE_ID}`));
const HASH_TO_SCALAR_DST = concatBytes(utf8('HashToScalar-'), CONTEXT);
const SEED_DST = concatBytes(utf8('Seed-'), CONTEXT);
const COMPOSITE = utf8('Composite');
const CHALLENGE = utf8('Challenge');
/** noble's RandomScalar reads this many bytes (ℓ's length plus half) and reduces them. */
export const RANDOM_SCALAR_INPUT_BYTES = getMinHashLength(Fn.ORDER);

/** I2OSP(len(x), 2) || x: the length prefix every RFC 9497 transcript uses. */
function prefixed(x: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + x.length);
  out[0] = x.length >> 8;
  out[1] = x.length & 0xff;
  out.set(x, 2);
  return out;
}

/** HashToScalar (RFC 9497 §4.1: expand_message_xmd with SHA-512 to 64 bytes, mod ℓ). */
function hashToScalar(message: Uint8Array): Uint8Array {
  return Fn.toBytes(ristretto255_hasher.hashToScalar(message, { DST: HASH_TO_SCALAR_DST }));
}

/**
 * RandomScalar (RFC 9497 §2.1) as noble draws it: (LE(rng(48)) mod (ℓ − 1)) + 1, non-zero.
 * Drawing the same way keeps proofs identical across backends for the same rng, and lets
 * the RFC's ProofRandomScalar be replayed (test/vectors/oprf/test-helpers.ts).
 */
export function randomScalar(rng: Rng): Uint8Array {
  return mapHashToField(rng(RANDOM_SCALAR_INPUT_BYTES), Fn.ORDER, true);
}

export interface BatchEvaluation {
  readonly evaluated: Uint8Array[];
  /** SerializeScalar(c) || SerializeScalar(s). */
  readonly proof: Uint8Array;
}

/**
 * Evaluates `blinded` (already decoded and checked: non-identity elements) with secret key
 * `k` whose public key is `publicKey` (its encoding `publicKeyBytes`), and proves it.
 */
export function blindEvaluateBatchWith<E>(
  group: Ristretto255Group<E>,
  k: Uint8Array,
  publicKey: E,
  blinded: readonly E[],
  blindedBytes: readonly Uint8Array[],
  rng: Rng,
): BatchEvaluation {
  // §3.3.2 BlindEvaluate: D[i] = k·C[i], each in constant time in k.
  const evaluatedPoints = blinded.map((c) => group.multiply(c, k));
  const evaluated = evaluatedPoints.map((d) => group.encode(d));

  // §2.2.1 ComputeCompositesFast: weights d_i from a seed over B and each (C_i, D_i); then
  // M = Σ d_i·C_i — public weights and elements, so a variable-time MSM may compute it —
  // and the server's shortcut Z = k·M instead of a second sum over D.
  const publicKeyBytes = group.encode(publicKey);
  const seed = sha512(concatBytes(prefixed(publicKeyBytes), prefixed(SEED_DST)));
  const weights = blindedBytes.map((ci, i) =>
    hashToScalar(
      concatBytes(
        prefixed(seed),
        Uint8Array.of(i >> 8, i & 0xff),
        prefixed(ci),
        prefixed(evaluated[i]!),
        COMPOSITE,
      ),
    ),
  );
  const m = group.msmPublic(blinded, weights);
  const z = group.multiply(m, k);

  // §2.2.1 GenerateProof: t2 = r·A (A = G for the keyholder), t3 = r·M, c = H(B, M, Z, t2, t3),
  // s = r − c·k.
  const r = randomScalar(rng);
  const t2 = group.multiplyBase(r);
  const t3 = group.multiply(m, r);
  const c = hashToScalar(
    concatBytes(
      ...[publicKeyBytes, group.encode(m), group.encode(z), group.encode(t2), group.encode(t3)].map(
        prefixed,
      ),
      CHALLENGE,
    ),
  );
  const s = group.scalarSubMul(r, c, k);
  return { evaluated, proof: concatBytes(c, s) };
}
