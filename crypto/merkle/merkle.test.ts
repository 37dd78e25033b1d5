import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import {
  appendLeaves,
  borderNodes,
  consistencyRanges,
  EMPTY_ROOT,
  inclusionRanges,
  leafHash,
  nodeHash,
  rangeHash,
  rangeNodes,
  rootFromInclusionProof,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
} from './index.js';

const h = (n: number) => leafHash(Uint8Array.of(n));

/** The code of a thrown CryptoError or of a failed verdict; undefined for success. */
function code(run: () => unknown): string | undefined {
  try {
    const r = run();
    const failed = r as { ok?: unknown; error?: { code: string } } | undefined;
    return failed?.ok === false ? failed.error?.code : undefined;
  } catch (e) {
    return e instanceof CryptoError ? e.code : 'not a CryptoError';
  }
}

describe('hashing', () => {
  it('follows RFC 9162 §2.1.1: empty tree, leaf and node prefixes, split at a power of two', () => {
    expect(Buffer.from(EMPTY_ROOT).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(rootFromLeaves([h(1)])).toEqual(h(1));
    expect(rootFromLeaves([h(1), h(2), h(3)])).toEqual(nodeHash(nodeHash(h(1), h(2)), h(3)));
    expect(leafHash(new Uint8Array(0))).not.toEqual(EMPTY_ROOT);
  });
});

describe('perfect-node ranges', () => {
  it('decomposes a range into aligned perfect subtrees, largest first', () => {
    expect(rangeNodes(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(8, 11)).toEqual([
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(borderNodes(0)).toEqual([]);
  });

  it('plans RFC 9162 inclusion and consistency ranges', () => {
    // Figure of RFC 9162 §2.1.5: the inclusion proof for d0 in a 7-leaf tree is [b, h, l].
    expect(inclusionRanges(0, 7)).toEqual([
      { begin: 1, end: 2 },
      { begin: 2, end: 4 },
      { begin: 4, end: 7 },
    ]);
    // …and the consistency proof between 3 and 7 is [c, d, g, l].
    expect(consistencyRanges(3, 7)).toEqual([
      { begin: 2, end: 3 },
      { begin: 3, end: 4 },
      { begin: 0, end: 2 },
      { begin: 4, end: 7 },
    ]);
    expect(consistencyRanges(4, 4)).toEqual([]);
  });

  it('refuses impossible plans with typed errors', () => {
    expect(code(() => inclusionRanges(7, 7))).toBe('MERKLE_INDEX_INVALID');
    expect(code(() => inclusionRanges(-1, 7))).toBe('MERKLE_INDEX_INVALID');
    expect(code(() => inclusionRanges(0, 2 ** 53))).toBe('MERKLE_SIZE_INVALID');
    expect(code(() => consistencyRanges(5, 4))).toBe('MERKLE_SIZE_INVALID');
    expect(code(() => consistencyRanges(0, 4))).toBe('MERKLE_SIZE_INVALID');
    expect(code(() => rangeHash({ begin: 0, end: 2 }, new Map()))).toBe('MERKLE_HASH_INVALID');
  });
});

describe('appending', () => {
  it('refuses a border that does not fit the size, or a short leaf hash', () => {
    const first = appendLeaves(0, [], [h(0), h(1), h(2)]);
    expect(first.border.map((n) => [n.level, n.index])).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(code(() => appendLeaves(4, first.border, [h(3)]))).toBe('MERKLE_HASH_INVALID');
    expect(code(() => appendLeaves(3, first.border.slice(1), [h(3)]))).toBe('MERKLE_HASH_INVALID');
    expect(code(() => appendLeaves(3, first.border, [new Uint8Array(31)]))).toBe(
      'MERKLE_HASH_INVALID',
    );
    const grown = appendLeaves(3, first.border, [h(3)]);
    expect(grown.root).toEqual(rootFromLeaves([h(0), h(1), h(2), h(3)]));
    expect(grown.nodes.map((n) => [n.level, n.index])).toEqual([
      [0, 3],
      [1, 1],
      [2, 0],
    ]);
  });
});

describe('verification edge cases', () => {
  const leaves = [h(0), h(1), h(2), h(3), h(4)];
  const root = rootFromLeaves(leaves);

  it('never trusts a size or index: out of range, negative, fractional or unsafe', () => {
    expect(code(() => rootFromInclusionProof(5, 5, h(0), []))).toBe('MERKLE_INDEX_INVALID');
    expect(code(() => rootFromInclusionProof(0.5, 5, h(0), []))).toBe('MERKLE_INDEX_INVALID');
    expect(code(() => rootFromInclusionProof(0, Number.NaN, h(0), []))).toBe('MERKLE_SIZE_INVALID');
    expect(code(() => verifyInclusion(0, 1, h(0), [], root))).toBe('MERKLE_ROOT_MISMATCH');
    expect(code(() => verifyInclusion(0, 1, h(0), [], h(0)))).toBeUndefined();
    expect(code(() => verifyInclusion(0, 1, h(0), [h(1)], h(0)))).toBe('MERKLE_PROOF_INVALID');
    expect(code(() => verifyInclusion(0, 2, h(0), [], h(0)))).toBe('MERKLE_PROOF_INVALID');
  });

  it('accepts equal sizes only with an empty proof and equal roots', () => {
    expect(code(() => verifyConsistency(5, 5, [], root, root))).toBeUndefined();
    expect(code(() => verifyConsistency(5, 5, [h(1)], root, root))).toBe('MERKLE_PROOF_INVALID');
    expect(code(() => verifyConsistency(5, 5, [], root, h(1)))).toBe('MERKLE_ROOT_MISMATCH');
    expect(code(() => verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT))).toBeUndefined();
    expect(code(() => verifyConsistency(0, 5, [], EMPTY_ROOT, root))).toBe('MERKLE_SIZE_INVALID');
    expect(code(() => verifyConsistency(2, 5, [], h(0), root))).toBe('MERKLE_PROOF_INVALID');
  });

  it('handles sizes beyond 2^32 without bit-operator overflow', () => {
    const size = 2 ** 40 + 3;
    const ranges = inclusionRanges(2 ** 40 + 1, size);
    expect(ranges.map((r) => r.end - r.begin)).toEqual([1, 1, 2 ** 40]);
    const proof = [h(1), h(2), h(3)];
    const r = rootFromInclusionProof(2 ** 40 + 1, size, h(0), proof);
    expect(r).toEqual(nodeHash(h(3), nodeHash(nodeHash(h(1), h(0)), h(2))));
  });
});
