/**
 * Properties against a naive recomputation: a tree grown in arbitrary chunks through
 * `appendLeaves` has the RFC root at every size, every generated proof verifies, and any change
 * to a proof, an index, a size or a root makes verification fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCryptoError } from '../errors.js';
import {
  appendLeaves,
  assembleProof,
  borderNodes,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  nodeKey,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
  type ProofVerification,
  type NodeHash,
} from './index.js';

interface Grown {
  leaves: Uint8Array[];
  nodes: Map<string, Uint8Array>;
  roots: Uint8Array[]; // roots[s] = root after s leaves, for every size reached at a chunk end
  sizes: number[];
}

/** Grows a tree chunk by chunk the way the hub does: load the border, append, store. */
function grow(chunks: number[]): Grown {
  const leaves: Uint8Array[] = [];
  const nodes = new Map<string, Uint8Array>();
  const roots: Uint8Array[] = [];
  const sizes: number[] = [];
  let size = 0;
  for (const chunk of chunks) {
    const border: NodeHash[] = borderNodes(size).map((n) => ({
      ...n,
      hash: nodes.get(nodeKey(n))!,
    }));
    const fresh = Array.from({ length: chunk }, (_, i) => leafHash(Uint8Array.of(size + i, 7)));
    const result = appendLeaves(size, border, fresh);
    for (const n of result.nodes) nodes.set(nodeKey(n), n.hash);
    leaves.push(...fresh);
    size = result.size;
    roots[size] = result.root;
    sizes.push(size);
  }
  return { leaves, nodes, roots, sizes };
}

function fails(run: () => ProofVerification): boolean {
  try {
    return !run().ok;
  } catch (e) {
    if (isCryptoError(e)) return true;
    throw e;
  }
}

const chunks = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 });

describe('merkle properties', () => {
  it('appending in any chunks gives the RFC root at every size', () => {
    fc.assert(
      fc.property(chunks, (cs) => {
        const g = grow(cs);
        for (const s of g.sizes) expect(g.roots[s]).toEqual(rootFromLeaves(g.leaves.slice(0, s)));
      }),
    );
  });

  it('every generated inclusion proof verifies, and a flipped bit, index or size does not', () => {
    fc.assert(
      fc.property(chunks, fc.nat(), fc.nat(), (cs, pick, bit) => {
        const g = grow(cs);
        const size = g.sizes[pick % g.sizes.length]!;
        const index = pick % size;
        const proof = assembleProof(inclusionRanges(index, size), g.nodes);
        const root = g.roots[size]!;
        expect(verifyInclusion(index, size, g.leaves[index]!, proof, root).ok).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((p) => p.slice());
          const at = bit % proof.length;
          bad[at]![bit % 32]! ^= 1 << (bit % 8);
          expect(fails(() => verifyInclusion(index, size, g.leaves[index]!, bad, root))).toBe(true);
          expect(
            fails(() => verifyInclusion(index, size, g.leaves[index]!, proof.slice(1), root)),
          ).toBe(true);
        }
        if (size > 1) {
          const other = (index + 1 + (bit % (size - 1))) % size;
          expect(fails(() => verifyInclusion(other, size, g.leaves[index]!, proof, root))).toBe(
            true,
          );
          expect(fails(() => verifyInclusion(index, size, g.leaves[other]!, proof, root))).toBe(
            true,
          );
        }
      }),
    );
  });

  it('every generated consistency proof verifies, and a changed root, size or element does not', () => {
    fc.assert(
      fc.property(chunks, fc.nat(), fc.nat(), fc.nat(), (cs, a, b, bit) => {
        const g = grow(cs);
        const size2 = g.sizes[a % g.sizes.length]!;
        const size1 = 1 + (b % size2);
        const root1 = rootFromLeaves(g.leaves.slice(0, size1));
        const root2 = g.roots[size2]!;
        const proof = assembleProof(consistencyRanges(size1, size2), g.nodes);
        expect(verifyConsistency(size1, size2, proof, root1, root2).ok).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((p) => p.slice());
          bad[bit % proof.length]![bit % 32]! ^= 1 << (bit % 8);
          expect(fails(() => verifyConsistency(size1, size2, bad, root1, root2))).toBe(true);
          expect(
            fails(() => verifyConsistency(size1, size2, [...proof, proof[0]!], root1, root2)),
          ).toBe(true);
        }
        if (size1 < size2) {
          expect(fails(() => verifyConsistency(size1, size2, proof, root2, root1))).toBe(true);
          // A fork: the same old size with another history is caught.
          const forked = g.leaves
            .slice(0, size1)
            .map((h, i) => (i === bit % size1 ? leafHash(h) : h));
          expect(
            fails(() => verifyConsistency(size1, size2, proof, rootFromLeaves(forked), root2)),
          ).toBe(true);
          expect(fails(() => verifyConsistency(size1 + 1, size2, proof, root1, root2))).toBe(true);
        }
      }),
    );
  });
});
