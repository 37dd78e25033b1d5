/**
 * Intake of attestation batches (docs/protocol.md §5.5.4, §5.6). The checks run in the
 * protocol's order, statement by statement, and the first refusal refuses the batch: nothing is
 * stored, and the problem names the statement's position (`attestations[i]`). Only when every
 * statement passed is the batch written, in one transaction.
 *
 * One ordering choice the spec leaves open: a byte-identical resubmission is recognised right
 * after its signature, payload and issuer are verified — before the checks that depend on the
 * moment (active key, clock, accepted epochs, supersession) — so that a node retrying a batch
 * after a key rotation or an epoch change still gets its receipts rather than an error about a
 * statement the hub already holds. A *different* statement under a used id is refused at the
 * end, in the spec's order (CONFLICT).
 *
 * Transparency log (docs/transparency.md): the accepted statements are appended — each as a
 * salted commitment — and a checkpoint of the new head is signed, in the transaction that
 * stores them. Every receipt, accepted or duplicate, carries its leaf index, salt and inclusion
 * proof against the checkpoint the receipt carries. A statement expunged by court order may not
 * be submitted again (CONFLICT).
 */
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError } from '../../protocol/decode.js';
import { prefixFieldErrors } from '../../protocol/problem.js';
import {
  isRestatement,
  issuedAtErrors,
  supersessionErrors,
} from '../../protocol/attestation-lifecycle.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { IntakeReceipt, IntakeReceiptItem } from '../../protocol/intake.js';
import type { Rng } from '../../protocol/statement-id.js';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import { attestationEntry } from '../tlog/entries.js';
import type { AppendResult, StoredCheckpoint } from '../tlog/tlog.repository.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import type { HubDatabase } from '../database.js';
import type { EpochWindow } from '../epochs/epoch-window.js';
import type { RegistryService } from '../registry/registry.service.js';
import {
  claimedIssuer,
  parseAttestation,
  signatureProblem,
  statementProblem,
  storedPayload,
  verifyParsedAttestation,
  type VerifiedAttestation,
} from './attestation-verification.js';
import {
  intakeRepository,
  IntakeRaceError,
  type NewStatement,
  type StoredStatement,
} from './intake.repository.js';

export interface IntakeOptions {
  /** The OPRF key epochs the hub accepts (SPX_HUB_EPOCHS, SPX_HUB_EPOCH_WINDOW_END). */
  readonly epochs: EpochWindow;
  readonly log: TransparencyLog;
  /** Salts of the log commitments (32 bytes per accepted statement). */
  readonly rng: Rng;
  /**
   * Called between validation and the write. A seam for tests that make two batches race:
   * it lets both be validated before either is written.
   */
  readonly beforeStore?: () => Promise<void>;
  /**
   * Called after the batch's transaction committed, before its receipts are built and sent.
   * A fault-injection seam: test/e2e/hub-crash.test.ts has the hub pause here
   * (SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS, hub/server.ts) so that its SIGKILL can land between a
   * COMMIT and the answer; nothing else sets it.
   */
  readonly afterCommit?: () => Promise<void>;
  /**
   * Called in the transaction that stores the batch, after the statements and their log
   * entries: the corrections to earlier checkers (hub/mailbox/corrections.ts).
   */
  readonly afterStore?: (
    tx: HubDatabase,
    statements: readonly NewStatement[],
    now: Date,
  ) => Promise<unknown>;
}

type PlainReceipt = Omit<IntakeReceiptItem, 'log'>;

/** Whole seconds: receipts carry wire timestamps, and a duplicate must repeat them exactly. */
function toSecond(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

export function intakeService(db: HubDatabase, registry: RegistryService, options: IntakeOptions) {
  const repo = intakeRepository(db);

  /** Validates the batch; returns the receipts and the statements to store. */
  async function plan(batch: readonly string[], issuer: string, now: Date) {
    const receivedAt = toSecond(now);
    const parsed = batch.map(parseAttestation);
    const registryEntries = await registry.findMany(
      parsed.map(claimedIssuer).filter((o): o is string => o !== undefined),
    );
    // All at once: the signatures are checked on WebCrypto's worker threads, side by side.
    // The refusal is still the first statement's in batch order.
    const outcomes = await Promise.allSettled(
      parsed.map((p, i) => verifyParsedAttestation(p, `attestations[${i}]`, registryEntries)),
    );
    const refused = outcomes.find((o) => o.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    const verified = outcomes.map((o) => (o as PromiseFulfilledResult<VerifiedAttestation>).value);
    // Two independent reads, side by side (on PostgreSQL, two pooled connections).
    const [stored, expunged] = await Promise.all([
      repo.findByIds(
        verified.flatMap(({ payload: p }) =>
          p.supersedes === null ? [p.id] : [p.id, p.supersedes],
        ),
      ),
      repo.expungedIds(verified.map((v) => v.payload.id)),
    ]);

    const fresh = new Map<string, NewStatement>();
    const receipts: PlainReceipt[] = [];
    for (const [i, { jws, payload, key }] of verified.entries()) {
      const at = `attestations[${i}]`;
      if (payload.issuer !== issuer) {
        throw statementProblem('ISSUER_MISMATCH', at, {
          member: 'issuer',
          code: 'mismatch',
          message: `issuer ${payload.issuer} is not the authenticated agency ${issuer}`,
        });
      }
      const prior = stored.get(payload.id);
      if (prior !== undefined && prior.jws === jws) {
        receipts.push({
          id: payload.id,
          status: 'duplicate',
          receivedAt: formatTimestamp(prior.receivedAt),
        });
        continue;
      }
      if (expunged.has(payload.id)) {
        throw statementProblem('CONFLICT', at, {
          member: 'id',
          code: 'not_allowed',
          message: `statement ${payload.id} was expunged by court order`,
        });
      }
      if (key.status !== 'active') throw signatureProblem('SIG_UNKNOWN_KEY', at);
      const clock = issuedAtErrors(payload, now);
      if (clock.length > 0) {
        throw new ProtocolError('VALIDATION_FAILED', `${at}: issuedAt is in the future`, {
          errors: [...prefixFieldErrors(at, clock)],
        });
      }
      if (!options.epochs.accepts(payload.tokens.epoch, now)) {
        throw statementProblem('EPOCH_UNKNOWN', at, {
          member: 'tokens.epoch',
          code: 'not_allowed',
          message: `epoch ${payload.tokens.epoch} is not accepted (accepted: ${options.epochs.served(now).join(', ')})`,
        });
      }
      const previous =
        payload.supersedes === null ? undefined : checkSupersession(at, payload, fresh, stored);
      if (prior !== undefined || fresh.has(payload.id)) {
        throw statementProblem('CONFLICT', at, {
          member: 'id',
          code: 'duplicate',
          message: `the hub holds a different statement with id ${payload.id}`,
        });
      }
      const restates = previous !== undefined && isRestatement(previous, payload);
      fresh.set(payload.id, { jws, kid: key.kid, payload, restates });
      receipts.push({
        id: payload.id,
        status: 'accepted',
        receivedAt: formatTimestamp(receivedAt),
      });
    }
    return { receipts, statements: [...fresh.values()], receivedAt };
  }

  /** Writes the new statements with their leaves and a checkpoint, or picks the latest one. */
  async function store(
    statements: readonly NewStatement[],
    receivedAt: Date,
    now: Date,
  ): Promise<{ checkpoint: StoredCheckpoint; append: AppendResult } | undefined> {
    if (statements.length === 0) return undefined;
    const entries = statements.map((s) => attestationEntry(s.payload.id, s.jws, options.rng));
    return repo.storeBatch(statements, receivedAt, async (tx) => {
      const appended = await options.log.appendAndCheckpoint(tx, entries, now);
      await options.afterStore?.(tx, statements, now);
      return appended;
    });
  }

  /**
   * Receipts with their inclusion evidence against one checkpoint that covers them all. The
   * accepted statements' leaves and proof nodes come from the append itself (`stored`); only
   * duplicates' leaves, and proof nodes outside what the append read or wrote, are read.
   */
  async function withEvidence(
    receipts: readonly PlainReceipt[],
    stored: { checkpoint: StoredCheckpoint; append: AppendResult } | undefined,
    now: Date,
  ): Promise<IntakeReceipt> {
    const ids = receipts.map((r) => r.id);
    const appended = stored?.append.leaves ?? new Map<string, { index: number; salt: string }>();
    const others = ids.filter((id) => !appended.has(id));
    const leaves = new Map<string, { index: number; salt: string | null }>([
      ...appended,
      ...(others.length === 0 ? [] : await options.log.repo.statementLeaves(others)),
    ]);
    let checkpoint = stored?.checkpoint;
    if (checkpoint === undefined) {
      // Only duplicates: each was appended with a checkpoint when first accepted.
      const needed = Math.max(0, ...[...leaves.values()].map((l) => l.index + 1));
      checkpoint = await options.log.checkpointCovering(needed, now);
    }
    const evidence = await options.log.evidenceOf(leaves, checkpoint.size, stored?.append.hashes);
    const items = receipts.map((r): IntakeReceiptItem => {
      const log = evidence.get(r.id);
      if (log === undefined) throw new Error(`statement ${r.id} has no leaf in the log`);
      return { ...r, log };
    });
    const note = stored === undefined ? await options.log.served(checkpoint) : checkpoint.note;
    return { receipts: items, log: { checkpoint: note } };
  }

  return {
    /**
     * Accepts a whole batch from the authenticated reporting agency `issuer`, or throws the
     * ProtocolError of its first refused statement having stored nothing.
     */
    async intake(batch: readonly string[], issuer: string, now: Date): Promise<IntakeReceipt> {
      // A concurrent batch may commit between our reads and our write (same id, same
      // predecessor); the write then fails as a whole, and validating again against the new
      // state gives the answer a sequential order would have given.
      for (let attempt = 1; ; attempt++) {
        const { receipts, statements, receivedAt } = await plan(batch, issuer, now);
        try {
          await options.beforeStore?.();
          const stored = await store(statements, receivedAt, now);
          if (stored !== undefined) await options.afterCommit?.();
          return await withEvidence(receipts, stored, now);
        } catch (e) {
          const race = e instanceof IntakeRaceError || isUniqueViolation(e);
          if (!race) throw e;
          if (attempt >= 3) {
            throw new ProtocolError('CONFLICT', 'the batch conflicts with a concurrent batch');
          }
        }
      }
    },
  };
}

/**
 * §5.5.3 against the predecessor, which may be earlier in this batch or already stored; returns
 * the predecessor.
 */
function checkSupersession(
  at: string,
  next: AttestationPayload,
  fresh: ReadonlyMap<string, NewStatement>,
  stored: ReadonlyMap<string, StoredStatement>,
): AttestationPayload {
  const id = next.supersedes!;
  const inBatch = fresh.get(id);
  const held = stored.get(id);
  const previous = inBatch?.payload ?? (held === undefined ? undefined : storedPayload(held.jws));
  if (previous === undefined) {
    throw new ProtocolError('SUPERSESSION_INVALID', `${at}: supersedes an unknown statement`, {
      errors: [
        {
          field: `${at}.supersedes`,
          code: 'mismatch',
          message: 'the hub holds no statement with this id',
        },
      ],
    });
  }
  const errors = supersessionErrors(previous, next);
  if (errors.length > 0) {
    throw new ProtocolError('SUPERSESSION_INVALID', `${at}: invalid supersession`, {
      errors: [...prefixFieldErrors(at, errors)],
    });
  }
  const takenInBatch = [...fresh.values()].some((p) => p.payload.supersedes === id);
  if ((held?.supersededBy ?? null) !== null || takenInBatch) {
    throw statementProblem('CONFLICT', at, {
      member: 'supersedes',
      code: 'duplicate',
      message: `statement ${id} is already superseded; supersede the head of its chain`,
    });
  }
  return previous;
}
