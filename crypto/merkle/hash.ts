/**
 * RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: a leaf is hashed with the prefix 0x00 and an
 * interior node with 0x01, so no leaf can pass for a node (second-preimage resistance). The naive
 * recursive `rootFromLeaves` is the definition everything else is tested against.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';

/** Bytes in every hash of the log (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(entry: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + entry.length);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return sha256(input);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** The largest power of two strictly smaller than `n` (n > 1), as RFC 9162 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[n]) straight from the RFC's recursive definition over leaf hashes. O(n) hashing and
 * recursion depth log2(n); the reference for tests and for auditors recomputing a whole log.
 */
export function rootFromLeaves(leafHashes: readonly Uint8Array[]): Uint8Array {
  const mth = (begin: number, end: number): Uint8Array => {
    const n = end - begin;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leafHashes[begin]!;
    const k = splitPoint(n);
    return nodeHash(mth(begin, begin + k), mth(begin + k, end));
  };
  return mth(0, leafHashes.length);
}

/** Throws MERKLE_SIZE_INVALID / MERKLE_INDEX_INVALID unless `n` is a usable tree size or index. */
export function assertCount(
  n: number,
  field: string,
  code: 'MERKLE_SIZE_INVALID' | 'MERKLE_INDEX_INVALID' = 'MERKLE_SIZE_INVALID',
): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CryptoError(code, `${field} must be a non-negative safe integer`, { field });
  }
}

/** Throws MERKLE_HASH_INVALID unless `h` is a 32-byte hash. */
export function assertHash(h: Uint8Array, field: string): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new CryptoError('MERKLE_HASH_INVALID', `${field} must be ${HASH_SIZE} bytes`, { field });
  }
}
