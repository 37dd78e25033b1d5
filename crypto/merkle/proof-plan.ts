/**
 * Proof generation over stored node hashes. A log keeps the hash of every *perfect* subtree —
 * `{ level, index }` covers leaves [index·2^level, (index+1)·2^level) — and each element of an
 * RFC 9162 proof is the hash of a subtree [begin, end) that decomposes into a few such nodes.
 * So generation is two pure steps around one database read: `inclusionPlan`/`consistencyPlan`
 * list the ranges and the perfect nodes they need; `assembleProof` folds the fetched hashes.
 */
import { CryptoError } from '../errors.js';
import { assertCount, nodeHash, splitPoint } from './hash.js';

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A half-open leaf range [begin, end) whose MTH is one proof element. */
export interface LeafRange {
  readonly begin: number;
  readonly end: number;
}

export function nodeKey(node: NodeId): string {
  return `${node.level}/${node.index}`;
}

/**
 * The perfect subtrees that make up [begin, end), left to right, each as large as alignment
 * allows. For a range that is a subtree of an RFC 9162 tree, their sizes strictly decrease, and
 * folding them right to left gives MTH(D[begin:end]).
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as leaf ranges, deepest first (the order of the proof). */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertCount(size, 'treeSize');
  assertCount(index, 'leafIndex', 'MERKLE_INDEX_INVALID');
  if (index >= size) {
    throw new CryptoError('MERKLE_INDEX_INVALID', 'leaf index beyond the tree', {
      field: 'leafIndex',
    });
  }
  const out: LeafRange[] = [];
  const path = (m: number, begin: number, end: number): void => {
    const n = end - begin;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, begin, begin + k);
      out.push({ begin: begin + k, end });
    } else {
      path(m - k, begin + k, end);
      out.push({ begin, end: begin + k });
    }
  };
  path(index, 0, size);
  return out;
}

/**
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) as leaf ranges. Empty when the sizes are equal; 0 < size1
 * is required for size1 < size2 (a proof from the empty tree proves nothing).
 */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  assertCount(size1, 'size1');
  assertCount(size2, 'size2');
  if (size1 > size2) {
    throw new CryptoError('MERKLE_SIZE_INVALID', 'size1 is larger than size2', { field: 'size1' });
  }
  if (size1 === size2) return [];
  if (size1 === 0) {
    throw new CryptoError('MERKLE_SIZE_INVALID', 'no consistency proof from the empty tree', {
      field: 'size1',
    });
  }
  const out: LeafRange[] = [];
  const subproof = (m: number, begin: number, end: number, complete: boolean): void => {
    const n = end - begin;
    if (m === n) {
      if (!complete) out.push({ begin, end });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, begin, begin + k, complete);
      out.push({ begin: begin + k, end });
    } else {
      subproof(m - k, begin + k, end, false);
      out.push({ begin, end: begin + k });
    }
  };
  subproof(size1, 0, size2, true);
  return out;
}

/** Every perfect node the ranges need, without repeats: what to read from storage. */
export function nodesForRanges(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) {
    for (const node of rangeNodes(r.begin, r.end)) seen.set(nodeKey(node), node);
  }
  return [...seen.values()];
}

/** MTH(D[begin:end]) from the hashes of its perfect nodes (keyed by `nodeKey`). */
export function rangeHash(range: LeafRange, hashes: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const nodes = rangeNodes(range.begin, range.end);
  if (nodes.length === 0) {
    throw new CryptoError('MERKLE_SIZE_INVALID', 'empty range', { field: 'range' });
  }
  const hashOf = (node: NodeId): Uint8Array => {
    const h = hashes.get(nodeKey(node));
    if (h === undefined) {
      throw new CryptoError('MERKLE_HASH_INVALID', `missing node ${nodeKey(node)}`, {
        field: 'nodes',
      });
    }
    return h;
  };
  let acc = hashOf(nodes[nodes.length - 1]!);
  for (let i = nodes.length - 2; i >= 0; i--) acc = nodeHash(hashOf(nodes[i]!), acc);
  return acc;
}

/** The proof for the planned ranges, in order. */
export function assembleProof(
  ranges: readonly LeafRange[],
  hashes: ReadonlyMap<string, Uint8Array>,
): Uint8Array[] {
  return ranges.map((r) => rangeHash(r, hashes));
}
