/**
 * Appending to a stored tree. The right border of a tree of `size` leaves — its "compact range",
 * `rangeNodes(0, size)`, at most log2(size) perfect nodes — is all an appender needs: each new
 * leaf is pushed onto it and merged with equal-level neighbours, and every merge is a new perfect
 * node to store. The root is the border folded right to left.
 */
import { CryptoError } from '../errors.js';
import { assertHash, EMPTY_ROOT, nodeHash } from './hash.js';
import { rangeNodes, type NodeId } from './proof-plan.js';

export interface NodeHash extends NodeId {
  readonly hash: Uint8Array;
}

/** The perfect nodes a tree of `size` leaves is made of (left to right): what to load. */
export function borderNodes(size: number): NodeId[] {
  return rangeNodes(0, size);
}

/** MTH of the whole tree from its border hashes (left to right). */
export function rootFromBorder(border: readonly NodeHash[]): Uint8Array {
  if (border.length === 0) return EMPTY_ROOT;
  let acc = border[border.length - 1]!.hash;
  for (let i = border.length - 2; i >= 0; i--) acc = nodeHash(border[i]!.hash, acc);
  return acc;
}

export interface AppendResult {
  /** Every perfect node the leaves created, leaves (level 0) included: what to store. */
  readonly nodes: NodeHash[];
  /** The border of the grown tree. */
  readonly border: NodeHash[];
  readonly size: number;
  readonly root: Uint8Array;
}

/**
 * Appends `leaves` to the tree of `size` leaves whose border is `border` (as `borderNodes(size)`
 * lists it). Throws MERKLE_HASH_INVALID when the border does not have that shape.
 */
export function appendLeaves(
  size: number,
  border: readonly NodeHash[],
  leaves: readonly Uint8Array[],
): AppendResult {
  const expected = borderNodes(size);
  if (
    border.length !== expected.length ||
    border.some((n, i) => n.level !== expected[i]!.level || n.index !== expected[i]!.index)
  ) {
    throw new CryptoError('MERKLE_HASH_INVALID', `border does not match size ${size}`, {
      field: 'border',
    });
  }
  border.forEach((n, i) => assertHash(n.hash, `border[${i}]`));
  const stack: NodeHash[] = [...border];
  const nodes: NodeHash[] = [];
  leaves.forEach((hash, i) => {
    assertHash(hash, `leaves[${i}]`);
    let node: NodeHash = { level: 0, index: size + i, hash };
    nodes.push(node);
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
  });
  return { nodes, border: stack, size: size + leaves.length, root: rootFromBorder(stack) };
}
