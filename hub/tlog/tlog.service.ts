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
import {
  cacheGeneration,
  fresh,
  monotonicMs,
  type Cached,
  type MonotonicClock,
} from '../cache/generations.js';

export interface LogSigning {
  /** SPX_HUB_LOG_ORIGIN: the checkpoint origin and the note key name. */
  readonly origin: string;
  /** The hub's signing key (hub/signing-key), which signs checkpoints too. */
  readonly signingKey: SigningKey;
}

/** The signed checkpoint of `head`, not stored. */
export async function signedCheckpoint(
  head: LogHeadState,
  signing: LogSigning,
  now: Date,
): Promise<StoredCheckpoint> {
  const note = await signCheckpoint(signing.origin, head.size, head.root, signing.signingKey);
  return { size: head.size, root: head.root, note, issuedAt: now };
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
  const row = await signedCheckpoint(head, signing, now);
  await logRepository(tx).insertCheckpoint(row);
  return row;
}

export interface LogCacheOptions {
  /**
   * SPX_HUB_READ_CACHE_MS: how long check answers reuse the latest checkpoint and its
   * cosignatures without reading them again (0: read for every answer). A checkpoint that does
   * not cover a matched statement is never used; a cosignature received through this process
   * drops the cache at once (hub/cache/generations.ts).
   */
  readonly cacheMs?: number;
  readonly clock?: MonotonicClock;
}

/** A checkpoint and the note served for it (with its cosignatures). */
export interface ServedCheckpoint {
  readonly checkpoint: StoredCheckpoint;
  readonly note: string;
}

export function transparencyLog(
  db: HubDatabase,
  signing: LogSigning,
  cacheOptions: LogCacheOptions = {},
) {
  const repo = logRepository(db);
  const cacheMs = cacheOptions.cacheMs ?? 0;
  const clock = cacheOptions.clock ?? monotonicMs;
  let latestServed: Cached<ServedCheckpoint> | undefined;

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

  /** The latest checkpoint covering at least `size` leaves, issuing one if needed. */
  async function checkpointCovering(size: number, now: Date): Promise<StoredCheckpoint> {
    const latest = await repo.latestCheckpoint();
    if (latest !== undefined && latest.size >= size) return latest;
    await checkpointIfBehind(now);
    const issued = await repo.latestCheckpoint();
    if (issued === undefined || issued.size < size) throw new Error('log head behind a leaf');
    return issued;
  }

  /**
   * `checkpointCovering` with its served note, from memory while fresh (`cacheMs`) and
   * covering `size`: what a check answer carries.
   */
  async function servedCovering(size: number, now: Date): Promise<ServedCheckpoint> {
    const generation = cacheGeneration(db, 'log');
    const nowMs = clock();
    if (
      fresh(latestServed, generation, cacheMs, nowMs) &&
      latestServed.value.checkpoint.size >= size
    ) {
      return latestServed.value;
    }
    const checkpoint = await checkpointCovering(size, now);
    const value = { checkpoint, note: await served(checkpoint) };
    if (cacheMs > 0) latestServed = { value, at: nowMs, generation };
    return value;
  }

  return {
    db,
    signing,
    repo,
    served,
    checkpointIfBehind,
    checkpointCovering,
    servedCovering,

    /** Appends inside `tx` and issues the checkpoint of the new head in the same transaction. */
    async appendAndCheckpoint(
      tx: HubDatabase,
      entries: readonly NewLogEntry[],
      now: Date,
    ): Promise<{ append: AppendResult; checkpoint: StoredCheckpoint }> {
      // A growing append stores its checkpoint in its own write; an empty one issues it.
      const append = await appendEntries(tx, entries, now, (head) =>
        signedCheckpoint(head, signing, now),
      );
      return {
        append,
        checkpoint: append.checkpoint ?? (await issueCheckpoint(tx, append, signing, now)),
      };
    },

    /**
     * Evidence `{ index, salt, proof }` of each statement among `ids` in the tree of `size`.
     * Statements without a leaf in that tree (or whose salt was expunged) are left out.
     */
    async evidence(ids: readonly string[], size: number): Promise<Map<string, InclusionEvidence>> {
      return evidenceOf(await repo.statementLeaves(ids), size);
    },

    /**
     * `evidence` for leaves already known (read with `repo.statementLeaves`, or an append's
     * `leaves`), reading only the proof nodes not in `known`.
     */
    evidenceOf,
  };

  /** `known`: node hashes already at hand (an append's `hashes`), not read again. */
  async function evidenceOf(
    leaves: ReadonlyMap<string, { index: number; salt: string | null }>,
    size: number,
    known?: ReadonlyMap<string, Uint8Array>,
  ): Promise<Map<string, InclusionEvidence>> {
    const usable = [...leaves].filter(([, l]) => l.salt !== null && l.index < size);
    const proofs = await inclusionProofs(
      db,
      usable.map(([, l]) => l.index),
      size,
      known,
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
