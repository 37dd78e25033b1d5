/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) give it,
 * with the edge cases of transparency-dev/merkle (equal sizes, empty trees). Nothing the log sent
 * is trusted: sizes and indexes are range-checked, every hash must be 32 bytes, and a proof with
 * one element too many or too few fails. Sizes are JavaScript numbers (safe integers, far above
 * any log we will run).
 */
import { bytesEqual } from '../encoding.js';
import { CryptoError, isCryptoError, type MerkleErrorCode } from '../errors.js';
import { fail, ok, type Failure, type Result } from '../result.js';
import { assertCount, assertHash, nodeHash } from './hash.js';

/** Sizes can exceed 2^32, so parity and halving avoid bitwise operators. */
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function proofInvalid(message: string): CryptoError {
  return new CryptoError('MERKLE_PROOF_INVALID', message, { field: 'proof' });
}

function assertProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((h, i) => assertHash(h, `proof[${i}]`));
}

/**
 * The root that an inclusion proof for `leafHash` at `index` in a tree of `size` leaves implies
 * (RFC 9162 §2.1.3.2 steps 1–5 without the final comparison).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  assertCount(size, 'treeSize');
  assertCount(index, 'leafIndex', 'MERKLE_INDEX_INVALID');
  if (index >= size) {
    throw new CryptoError('MERKLE_INDEX_INVALID', 'leaf index beyond the tree', {
      field: 'leafIndex',
    });
  }
  assertHash(leaf, 'leafHash');
  assertProofHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw proofInvalid('inclusion proof is too long');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw proofInvalid('inclusion proof is too short');
  return r;
}

/**
 * A proof's verdict: `ok`, or the first check it fails — MERKLE_SIZE_INVALID,
 * MERKLE_INDEX_INVALID or MERKLE_HASH_INVALID for an input out of range, MERKLE_PROOF_INVALID
 * for a proof of the wrong length, MERKLE_ROOT_MISMATCH for one that leads elsewhere.
 */
export type ProofVerification = Result<void, Failure<MerkleErrorCode>>;

const VERIFIED: ProofVerification = ok(undefined);

/** The checks below throw at the first failure; the verifiers return it as their verdict. */
function verdict(check: () => void): ProofVerification {
  try {
    check();
    return VERIFIED;
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    const { field, message } = e;
    return fail({ code: e.code as MerkleErrorCode, field, message });
  }
}

/** Whether `proof` shows `leaf` at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofVerification {
  return verdict(() => checkInclusion(index, size, leaf, proof, root));
}

function checkInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, 'root');
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!bytesEqual(computed, root)) {
    throw new CryptoError('MERKLE_ROOT_MISMATCH', 'inclusion proof does not lead to the root', {
      field: 'root',
    });
  }
}

/**
 * Whether `proof` shows that the tree of `size2` leaves with `root2` extends the tree of
 * `size1` leaves with `root1`. A proof from the empty tree proves nothing and is refused: a
 * verifier with no earlier checkpoint accepts the first one on its signature alone.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofVerification {
  return verdict(() => checkConsistency(size1, size2, proof, root1, root2));
}

function checkConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertCount(size1, 'size1');
  assertCount(size2, 'size2');
  assertHash(root1, 'root1');
  assertHash(root2, 'root2');
  assertProofHashes(proof);
  if (size2 < size1) {
    throw new CryptoError('MERKLE_SIZE_INVALID', 'the second tree is smaller than the first', {
      field: 'size2',
    });
  }
  if (size1 === size2) {
    if (proof.length > 0) throw proofInvalid('equal sizes need an empty proof');
    if (!bytesEqual(root1, root2)) {
      throw new CryptoError('MERKLE_ROOT_MISMATCH', 'equal sizes with different roots', {
        field: 'root2',
      });
    }
    return;
  }
  if (size1 === 0) {
    throw new CryptoError('MERKLE_SIZE_INVALID', 'no consistency proof from the empty tree', {
      field: 'size1',
    });
  }
  if (proof.length === 0) throw proofInvalid('empty consistency proof');

  // Step 2: when size1 is a power of two, the old root is itself a node of the new tree.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw proofInvalid('consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw proofInvalid('consistency proof is too short');
  if (!bytesEqual(fr, root1)) {
    throw new CryptoError('MERKLE_ROOT_MISMATCH', 'proof does not lead to the first root', {
      field: 'root1',
    });
  }
  if (!bytesEqual(sr, root2)) {
    throw new CryptoError('MERKLE_ROOT_MISMATCH', 'proof does not lead to the second root', {
      field: 'root2',
    });
  }
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
