/**
 * Publish (issue 3, node): outcomes that need an attestation → their officers' hub indexes
 * through the keyholders → signed attestations → the outbox, page by page. Each page's
 * statements are recorded (delivery `pending`) and enqueued in ONE transaction, so a crash
 * leaves either nothing or statements that the outbox will deliver; delivery is the outbox's.
 *
 * Idempotent: an outcome revision with a statement pending, sent or accepted is not offered
 * again (outcomesRepository.needingAttestation), and the transaction re-checks that under a row
 * lock, so two runs at once sign each revision once. A revision the hub refused is not offered
 * again unless `retryRejected` (the operator fixed the cause), so a permanent refusal does not
 * turn into a new statement on every run.
 *
 * A new key epoch (docs/protocol.md §4.8): when the keyholders' key set the node tokenizes
 * under is newer than an outcome's current statement, the outcome is offered again and
 * re-stated — the same content, re-tokenized, superseding the current statement. That is the
 * same machinery, so it is resumable (a run stopped half-way leaves the rest under the old
 * epoch, and the next run takes them) and each outcome is re-stated once (its new statement is
 * on its way or current, so it is not offered again).
 */
import type { AttestationStatus } from '../../protocol/attestation.js';
import { MAX_INTAKE_BATCH } from '../../protocol/intake.js';
import { attestationsItem } from '../outbox/attestations-item.js';
import {
  attestationsRepository,
  outboxRepository,
  outcomesRepository,
  type NodeDatabase,
  type OutcomeToAttest,
} from '../store/index.js';
import {
  failure,
  signPage,
  transitionError,
  type PublishFailure,
  type Signed,
  type SigningDeps,
} from './sign-page.js';

export type { PublishFailure };

export type PublishDeps = SigningDeps;

export interface PublishOptions {
  /** Attestations per outbox item (one intake request); default 200, at most 500. */
  readonly batchSize?: number;
  /** Outcomes tokenized and recorded per transaction; default 200. */
  readonly pageSize?: number;
  /** Offer again revisions the hub refused. */
  readonly retryRejected?: boolean;
  readonly onProgress?: (progress: { readonly done: number }) => void;
  /**
   * Only outcomes whose status is one of these: the retention pass publishes its `expired`
   * statements without publishing what an operator imported and has not published yet.
   */
  readonly statuses?: readonly AttestationStatus[];
}

export interface PublishResult {
  /** The key epoch the run tokenized under. */
  readonly epoch: number;
  /** Outcomes offered by the store this run. */
  readonly considered: number;
  /** Statements signed and enqueued. */
  readonly signed: number;
  /** Of `signed`, those that only re-state a current statement under a newer epoch. */
  readonly restated: number;
  /** Outbox items created. */
  readonly batches: number;
  /** Outcomes left for a later run: an earlier statement of theirs is still on its way. */
  readonly waiting: number;
  /** Outcomes whose current revision the hub refused (not retried without retryRejected). */
  readonly rejectedBefore: number;
  readonly failed: readonly PublishFailure[];
}

export async function publishOutcomes(
  deps: PublishDeps,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const batchSize = Math.min(Math.max(options.batchSize ?? 200, 1), MAX_INTAKE_BATCH);
  const pageSize = Math.max(options.pageSize ?? 200, 1);
  const store = outcomesRepository(deps.db);
  const failed: PublishFailure[] = [];
  let [considered, signed, restated, batches, waiting, rejectedBefore] = [0, 0, 0, 0, 0, 0];
  let afterId = 0;
  // The epoch of the key set the run tokenizes under: outcomes whose current statement is under
  // an older one are re-stated.
  const { epoch } = (await deps.keyholders.keySet()).keySet;

  for (;;) {
    const page = await store.needingAttestation({
      afterId,
      limit: pageSize,
      epoch,
      ...(options.statuses ? { statuses: options.statuses } : {}),
    });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.outcome.id;
    considered += page.length;
    const blocked = await blockers(deps.db, page, epoch);
    const ready: OutcomeToAttest[] = [];
    for (const item of page) {
      const block = blocked.get(item.outcome.id);
      if (block === 'in_flight') waiting++;
      else if (block === 'rejected' && !options.retryRejected) rejectedBefore++;
      else {
        const error = transitionError(item);
        if (error) failed.push(failure(item, [error]));
        else ready.push(item);
      }
    }
    const list = await signPage(deps, ready, failed);
    const written = await recordAndEnqueue(deps, list, batchSize);
    signed += written.signed;
    restated += written.restated;
    batches += written.batches;
    options.onProgress?.({ done: considered });
  }
  return { epoch, considered, signed, restated, batches, waiting, rejectedBefore, failed };
}

/**
 * Outcomes with a statement still on its way (any revision: a successor must name the head of
 * its chain, which is not known until the hub answers), or whose current revision was refused
 * under the epoch of this run (a refusal under an older epoch, e.g. `EPOCH_UNKNOWN` once the
 * hub retired it, says nothing about a statement under this one).
 */
async function blockers(
  db: NodeDatabase,
  page: readonly OutcomeToAttest[],
  epoch: number,
): Promise<Map<number, 'in_flight' | 'rejected'>> {
  const rows = await attestationsRepository(db).deliveriesOf(
    page.map((p) => p.outcome.id),
    ['pending', 'sent', 'rejected'],
  );
  const revisionOf = new Map(page.map((p) => [p.outcome.id, p.outcome.revision]));
  const out = new Map<number, 'in_flight' | 'rejected'>();
  for (const r of rows) {
    if (r.delivery !== 'rejected') out.set(r.outcomeId, 'in_flight');
    else if (
      r.revision === revisionOf.get(r.outcomeId) &&
      r.epoch === epoch &&
      !out.has(r.outcomeId)
    ) {
      out.set(r.outcomeId, 'rejected');
    }
  }
  return out;
}

async function recordAndEnqueue(
  deps: PublishDeps,
  list: readonly Signed[],
  batchSize: number,
): Promise<{ signed: number; restated: number; batches: number }> {
  if (list.length === 0) return { signed: 0, restated: 0, batches: 0 };
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    // Lock the outcomes, then keep only statements whose revision and predecessor are still
    // current and not covered by a statement another run recorded meanwhile (whether still on
    // its way or already accepted: then the predecessor is no longer current).
    const ids = [...new Set(list.map((s) => s.attestation.outcomeId))];
    const heads = await outcomesRepository(tx).lockHeads(ids);
    const repo = attestationsRepository(tx);
    const covered = await repo.deliveriesOf(ids, ['pending', 'sent']);
    const busy = new Set(covered.map((c) => c.outcomeId));
    const keep = list.filter((s) => {
      const head = heads.get(s.attestation.outcomeId);
      return (
        head?.revision === s.revision &&
        head.currentAttestationId === s.attestation.supersedes &&
        !busy.has(s.attestation.outcomeId)
      );
    });
    for (const s of keep) await repo.record(s.attestation, now);
    const outbox = outboxRepository(tx);
    let batches = 0;
    for (let i = 0; i < keep.length; i += batchSize) {
      const part = keep.slice(i, i + batchSize).map((s) => s.attestation.id);
      await outbox.enqueue(attestationsItem(part, `attestations:${part[0]}`), now);
      batches++;
    }
    return { signed: keep.length, restated: keep.filter((s) => s.restates).length, batches };
  });
}
