/**
 * The hub's transparency log as the other features use it (docs/transparency.md): append and
 * checkpoint inside their transactions, hand out inclusion evidence for statements, and serve
 * checkpoints with the witnesses' cosignatures.
 */
import { toBase64url } from '../../crypto/encoding.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import { MAX_NOTE_SIGNATURES } from '../../crypto/note/index.js';
import type { InclusionEvidence } from '../../protocol/tlog.js';
import type { HubDatabase } from '../database.js';
import type { NewLogEntry } from './append-plan.js';
import { signCheckpoint, withCosignatures } from './checkpoint-note.js';
import {
  appendEntries,
  lockHead,
  logRepository,
  readHead,
  type AppendResult,
  type LogHeadState,
  type StoredCheckpoint,
} from './tlog.repository.js';
import { inclusionProofs } from './proofs.js';

export interface LogSigning {
  /** SPX_HUB_LOG_ORIGIN: the checkpoint origin and the note key name. */
  readonly origin: string;
  /** The hub's signing key (hub/signing-key), which signs checkpoints too. */
  readonly signingKey: SigningKey;
}

/**
 * Signs and stores the checkpoint of `head`, which the caller holds locked (or returns the one
 * already issued at that size). Sizes only grow under the lock, so checkpoints do too.
 */
export async function issueCheckpoint(
  tx: HubDatabase,
  head: LogHeadState,
  signing: LogSigning,
  now: Date,
): Promise<StoredCheckpoint> {
  const existing = await logRepository(tx).checkpointAt(head.size);
  if (existing !== undefined) return existing;
  const note = await signCheckpoint(signing.origin, head.size, head.root, signing.signingKey);
  const row = { size: head.size, root: head.root, note, issuedAt: now };
  await logRepository(tx).insertCheckpoint(row);
  return row;
}

export function transparencyLog(db: HubDatabase, signing: LogSigning) {
  const repo = logRepository(db);

  /** The stored note with every cosignature received for its size (at most the note's limit). */
  async function served(checkpoint: StoredCheckpoint): Promise<string> {
    const lines = await repo.cosignatureLines(checkpoint.size, MAX_NOTE_SIGNATURES - 1);
    return withCosignatures(checkpoint.note, lines);
  }

  /**
   * Issues a checkpoint when the head is ahead of the latest one (or none exists yet): what
   * the checkpointer runs. Returns the new checkpoint, or undefined when none was due.
   */
  async function checkpointIfBehind(now: Date): Promise<StoredCheckpoint | undefined> {
    const [head, latest] = await Promise.all([readHead(db), repo.latestCheckpoint()]);
    if (latest !== undefined && latest.size >= head.size) return undefined;
    return db.transaction(async (tx) => {
      const locked = await lockHead(tx, now);
      const current = await logRepository(tx).latestCheckpoint();
      if (current !== undefined && current.size >= locked.size) return undefined;
      return issueCheckpoint(tx, locked, signing, now);
    });
  }

  return {
    db,
    signing,
    repo,
    served,
    checkpointIfBehind,

    /** Appends inside `tx` and issues the checkpoint of the new head in the same transaction. */
    async appendAndCheckpoint(
      tx: HubDatabase,
      entries: readonly NewLogEntry[],
      now: Date,
    ): Promise<{ append: AppendResult; checkpoint: StoredCheckpoint }> {
      const append = await appendEntries(tx, entries, now);
      return { append, checkpoint: await issueCheckpoint(tx, append, signing, now) };
    },

    /** The latest checkpoint covering at least `size` leaves, issuing one if needed. */
    async checkpointCovering(size: number, now: Date): Promise<StoredCheckpoint> {
      const latest = await repo.latestCheckpoint();
      if (latest !== undefined && latest.size >= size) return latest;
      await checkpointIfBehind(now);
      const issued = await repo.latestCheckpoint();
      if (issued === undefined || issued.size < size) throw new Error('log head behind a leaf');
      return issued;
    },

    /**
     * Evidence `{ index, salt, proof }` of each statement among `ids` in the tree of `size`.
     * Statements without a leaf in that tree (or whose salt was expunged) are left out.
     */
    async evidence(ids: readonly string[], size: number): Promise<Map<string, InclusionEvidence>> {
      return evidenceOf(await repo.statementLeaves(ids), size);
    },

    /** `evidence` for leaves already read with `repo.statementLeaves`. */
    evidenceOf,
  };

  async function evidenceOf(
    leaves: ReadonlyMap<string, { index: number; salt: string | null }>,
    size: number,
  ): Promise<Map<string, InclusionEvidence>> {
    const usable = [...leaves].filter(([, l]) => l.salt !== null && l.index < size);
    const proofs = await inclusionProofs(
      db,
      usable.map(([, l]) => l.index),
      size,
    );
    return new Map(
      usable.map(([id, l]) => [
        id,
        { index: l.index, salt: l.salt!, proof: proofs.get(l.index)!.map(toBase64url) },
      ]),
    );
  }
}

export type TransparencyLog = ReturnType<typeof transparencyLog>;
