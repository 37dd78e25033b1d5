/**
 * Shared helpers for the log's database tests (not itself a test file): verify checkpoints and
 * evidence the way a node or an auditor would — only with crypto/merkle, crypto/note and the
 * hub's public key — and read back what the log stored.
 */
import { asc } from 'drizzle-orm';
import { fromBase64url } from '../../crypto/encoding.js';
import { rootFromLeaves, verifyInclusion } from '../../crypto/merkle/index.js';
import {
  verifyCosignedCheckpoint,
  type Checkpoint,
  type NoteVerifierKey,
} from '../../crypto/note/index.js';
import {
  logEntryLeafHash,
  attestationLogEntry,
  type InclusionEvidence,
} from '../../protocol/tlog.js';
import type { HubDatabase } from '../database.js';
import { TEST_APP_CONFIG, type HubFixture } from '../test-support.js';
import { logVerifierKey } from './checkpoint-note.js';
import { logEntries, logHead } from './tlog.table.js';

export const LOG_ORIGIN = TEST_APP_CONFIG.logOrigin;

export const logKeyOf = (fx: Pick<HubFixture, 'hubKey'>): NoteVerifierKey =>
  logVerifierKey(LOG_ORIGIN, fx.hubKey.publicJwk);

/** The checkpoint in `note`, after checking the hub's signature (and a witness quorum). */
export function verifiedCheckpoint(
  fx: Pick<HubFixture, 'hubKey'>,
  note: string,
  witnesses: readonly NoteVerifierKey[] = [],
  quorum = 0,
): Checkpoint {
  const result = verifyCosignedCheckpoint(note, { logKey: logKeyOf(fx), witnesses, quorum });
  if (!result.ok)
    throw new Error(`checkpoint refused: ${result.error.code} ${result.error.field ?? ''}`);
  return result.value.checkpoint;
}

const bytes = (b64: string): Uint8Array => {
  const out = fromBase64url(b64);
  if (out === undefined) throw new Error(`not base64url: ${b64}`);
  return out;
};

/** Throws unless `evidence` proves the statement `jws` in the checkpoint's tree. */
export function verifyEvidence(
  jws: string,
  evidence: InclusionEvidence,
  checkpoint: Checkpoint,
): void {
  const leaf = logEntryLeafHash(attestationLogEntry(bytes(evidence.salt), jws));
  const proof = evidence.proof.map(bytes);
  const verdict = verifyInclusion(
    evidence.index,
    checkpoint.size,
    leaf,
    proof,
    checkpoint.rootHash,
  );
  if (!verdict.ok) throw new Error(`inclusion evidence refused: ${verdict.error.code}`);
}

/** Every stored leaf hash in index order; throws on a gap or a repeated index. */
export async function storedLeaves(db: HubDatabase): Promise<Uint8Array[]> {
  const rows = await db
    .select({ index: logEntries.index, leafHash: logEntries.leafHash })
    .from(logEntries)
    .orderBy(asc(logEntries.index));
  rows.forEach((r, i) => {
    if (r.index !== i) throw new Error(`log index ${r.index} at position ${i}`);
  });
  return rows.map((r) => bytes(r.leafHash));
}

/** The stored head, checked against the RFC 9162 root recomputed from every stored leaf. */
export async function checkedHead(db: HubDatabase): Promise<{ size: number; root: Uint8Array }> {
  const leaves = await storedLeaves(db);
  const [head] = await db.select().from(logHead);
  const size = head?.size ?? 0;
  const root = rootFromLeaves(leaves);
  if (size !== leaves.length) throw new Error(`head size ${size}, ${leaves.length} leaves`);
  if (head !== undefined && head.root !== Buffer.from(root).toString('base64url')) {
    throw new Error('head root differs from the root of the stored leaves');
  }
  return { size, root };
}
