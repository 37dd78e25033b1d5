/**
 * Proofs about this node's statements and about the log's history (RFC 9162 §2.1.3, §2.1.4),
 * checked with crypto/merkle against tree heads from verified checkpoints. Pure.
 *
 * Nothing the hub sends is trusted: an inclusion is checked for the leaf this node computes
 * from ITS OWN copy of the statement and the salt (protocol/tlog.ts attestationLogEntry), at the
 * index and against the size and root of a verified checkpoint; crypto/merkle range-checks
 * every index, size and proof length.
 */
import { bytesEqual, fromBase64url } from '../../crypto/encoding.js';
import type { MerkleErrorCode } from '../../crypto/errors.js';
import { EMPTY_ROOT, verifyConsistency, verifyInclusion } from '../../crypto/merkle/index.js';
import { fail, ok, type Failure, type Result } from '../../crypto/result.js';
import { attestationLogEntry, logEntryLeafHash } from '../../protocol/tlog.js';
import type { TreeHead } from './verify-checkpoint.js';

/** crypto/merkle's verdict, or ENCODING_INVALID for a hash or salt that is not base64url. */
export type ProofCheck = Result<void, Failure<MerkleErrorCode | 'ENCODING_INVALID'>>;

const encodingInvalid = (field: string) => fail({ code: 'ENCODING_INVALID', field } as const);

function decodeAll(hashes: readonly string[]): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (const h of hashes) {
    const bytes = fromBase64url(h);
    if (bytes === undefined) return undefined;
    out.push(bytes);
  }
  return out;
}

/** The leaf of one of our statements: RFC 9162 hash of its canonical attestation entry. */
export function statementLeafHash(salt: Uint8Array, compactJws: string): Uint8Array {
  return logEntryLeafHash(attestationLogEntry(salt, compactJws));
}

/** Evidence as it travels (protocol/tlog.ts InclusionEvidence): base64url salt and proof. */
export interface StatementEvidence {
  readonly index: number;
  readonly salt: string;
  readonly proof: readonly string[];
}

/** Whether `evidence` proves `compactJws` at `evidence.index` in the tree `head`. */
export function verifyStatementInclusion(
  head: TreeHead,
  compactJws: string,
  evidence: StatementEvidence,
): ProofCheck {
  const salt = fromBase64url(evidence.salt);
  const proof = decodeAll(evidence.proof);
  if (salt === undefined) return encodingInvalid('salt');
  if (proof === undefined) return encodingInvalid('proof');
  const leaf = statementLeafHash(salt, compactJws);
  return verifyInclusion(evidence.index, head.size, leaf, proof, head.root);
}

/**
 * How a newly seen head relates to the last verified one, before any proof: `first` (nothing
 * verified yet), `same`, `fork` (same size, other root), `newer` or `older` (a proof decides).
 */
export type HeadRelation = 'first' | 'same' | 'fork' | 'newer' | 'older';

export function relateHeads(last: TreeHead | undefined, next: TreeHead): HeadRelation {
  if (last === undefined) return 'first';
  if (next.size === last.size) return bytesEqual(next.root, last.root) ? 'same' : 'fork';
  return next.size > last.size ? 'newer' : 'older';
}

/**
 * Whether `proof` shows that `larger` extends `smaller`. The empty tree is a prefix of every
 * tree, but RFC 9162 has no proof for it: it holds when the empty head's root is MTH({}).
 */
export function verifyHeadConsistency(
  smaller: TreeHead,
  larger: TreeHead,
  proof: readonly string[],
): ProofCheck {
  if (smaller.size === 0) {
    return bytesEqual(smaller.root, EMPTY_ROOT) && proof.length === 0
      ? ok(undefined)
      : fail({ code: 'MERKLE_ROOT_MISMATCH', field: 'root1' });
  }
  const hashes = decodeAll(proof);
  if (hashes === undefined) return encodingInvalid('proof');
  return verifyConsistency(smaller.size, larger.size, hashes, smaller.root, larger.root);
}
