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
import { isCryptoError } from '../../crypto/errors.js';
import { EMPTY_ROOT, verifyConsistency, verifyInclusion } from '../../crypto/merkle/index.js';
import { attestationLogEntry, logEntryLeafHash } from '../../protocol/tlog.js';
import type { TreeHead } from './verify-checkpoint.js';

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: ProofCheck = { ok: true };

function decodeAll(hashes: readonly string[]): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (const h of hashes) {
    const bytes = fromBase64url(h);
    if (bytes === undefined) return undefined;
    out.push(bytes);
  }
  return out;
}

function failed(e: unknown): ProofCheck {
  if (isCryptoError(e)) return { ok: false, reason: e.code };
  throw e;
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
  if (salt === undefined || proof === undefined) return { ok: false, reason: 'ENCODING_INVALID' };
  try {
    const leaf = statementLeafHash(salt, compactJws);
    verifyInclusion(evidence.index, head.size, leaf, proof, head.root);
    return OK;
  } catch (e) {
    return failed(e);
  }
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
      ? OK
      : { ok: false, reason: 'MERKLE_ROOT_MISMATCH' };
  }
  const hashes = decodeAll(proof);
  if (hashes === undefined) return { ok: false, reason: 'ENCODING_INVALID' };
  try {
    verifyConsistency(smaller.size, larger.size, hashes, smaller.root, larger.root);
    return OK;
  } catch (e) {
    return failed(e);
  }
}
