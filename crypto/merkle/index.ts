/**
 * The transparency log's Merkle tree (RFC 9162 §2; docs/transparency.md): hashing, proof
 * verification, and the pure halves of proof generation and appending over stored node hashes.
 */
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash, rootFromLeaves, splitPoint } from './hash.js';
export {
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type ProofVerification,
} from './verify.js';
export {
  assembleProof,
  consistencyRanges,
  inclusionRanges,
  nodeKey,
  nodesForRanges,
  rangeHash,
  rangeNodes,
  type LeafRange,
  type NodeId,
} from './proof-plan.js';
export {
  appendLeaves,
  borderNodes,
  rootFromBorder,
  type AppendResult,
  type NodeHash,
} from './compact-range.js';
