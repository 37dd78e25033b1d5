/**
 * RFC 9162 proofs from the stored perfect nodes (crypto/merkle/proof-plan.ts): plan the ranges,
 * read exactly the nodes they need in one query, fold. Sizes and indexes are checked by the
 * caller against the head (hub/tlog/tlog-query.ts); the planners check them again.
 */
import {
  assembleProof,
  consistencyRanges,
  inclusionRanges,
  nodeKey,
  nodesForRanges,
} from '../../crypto/merkle/index.js';
import type { HubDatabase } from '../database.js';
import { readNodes } from './tlog.repository.js';

/**
 * Inclusion proofs of several leaves in the tree of `size`, from one read of the node store.
 * Nodes found in `known` (keyed by `nodeKey`: e.g. what an append just wrote) are not read;
 * when `known` holds them all, nothing is.
 */
export async function inclusionProofs(
  db: HubDatabase,
  indexes: readonly number[],
  size: number,
  known: ReadonlyMap<string, Uint8Array> = new Map(),
): Promise<Map<number, Uint8Array[]>> {
  const plans = [...new Set(indexes)].map((index) => ({
    index,
    ranges: inclusionRanges(index, size),
  }));
  const needed = nodesForRanges(plans.flatMap((p) => p.ranges));
  const missing = needed.filter((n) => !known.has(nodeKey(n)));
  const hashes =
    missing.length === 0 ? known : new Map([...known, ...(await readNodes(db, missing))]);
  return new Map(plans.map((p) => [p.index, assembleProof(p.ranges, hashes)]));
}

export async function inclusionProof(
  db: HubDatabase,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  return (await inclusionProofs(db, [index], size)).get(index)!;
}

/** The consistency proof from the tree of `from` leaves to the tree of `to` (empty if equal). */
export async function consistencyProof(
  db: HubDatabase,
  from: number,
  to: number,
): Promise<Uint8Array[]> {
  const ranges = consistencyRanges(from, to);
  if (ranges.length === 0) return [];
  return assembleProof(ranges, await readNodes(db, nodesForRanges(ranges)));
}
