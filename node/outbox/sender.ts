/**
 * The outbox sender: delivers `attestations` items to the hub's intake (docs/protocol.md §5.6)
 * and records the outcome of each statement.
 *
 * - Success: the receipt's log evidence is verified first (node/tlog: the batch checkpoint's
 *   signature and origin, its consistency with the node's last verified checkpoint, each
 *   statement's inclusion at the index claimed). Each statement whose evidence verified is
 *   stored with its receipt and its log index and salt, and becomes `accepted` (its outcome's
 *   current attestation) — in one transaction with completing the item. A statement whose
 *   evidence did not verify is NOT recorded as delivered: an alert is raised (LOG_RECEIPT_INVALID,
 *   or the checkpoint's own code) and it is retried with backoff, when the hub's `duplicate`
 *   answer carries fresh evidence.
 * - Any other answer (a failure that may pass, statements refused, the batch's size refused, the
 *   agency refused): refusals.ts.
 *
 * One drain is one pass over the items due when it starts: an item that fails goes into
 * backoff and waits for the next pass, so a hub that keeps timing out costs each item one
 * timeout per pass rather than holding the pass (and a publish awaiting it) for as long as
 * backoffs keep expiring.
 */
import type { IntakeReceipt } from '../../protocol/intake.js';
import { startPeriodic } from '../../platform/lifecycle/periodic.js';
import type { Timers } from '../../platform/lifecycle/timers.js';
import { silentLogger, type Logger } from '../../platform/logging/json-lines.js';
import { isClientError, type HubClient } from '../clients/index.js';
import type { LogView } from '../tlog/log-view.js';
import {
  attestationsRepository,
  logRepository,
  outboxRepository,
  type Attestation,
  type NodeDatabase,
  type OutboxItem,
} from '../store/index.js';
import {
  ATTESTATIONS_OUTBOX_KIND,
  requeueItem,
  type AttestationsOutboxPayload,
} from './attestations-item.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { handleIntakeFailure } from './refusals.js';

export interface OutboxSenderDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'submitAttestations'>;
  readonly now: () => Date;
  /** Jitter. */
  readonly rng: (n: number) => Uint8Array;
  readonly policy: BackoffPolicy & { readonly leaseMs: number };
  /** Verifies every receipt's log evidence before anything is recorded as delivered. */
  readonly receipts: Pick<LogView, 'verifyReceipt'>;
  readonly log?: Logger;
  /** The loop's timers (`start`); default Node's, unref'd. */
  readonly timers?: Timers;
}

/** What one pass did, in statements (accepted includes duplicates) and items. */
export interface DeliveryCounts {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Statements whose receipt evidence did not verify (alerted, left for a retry). */
  unverified: number;
  /** Items left waiting for a retry. */
  retrying: number;
}

export interface OutboxSender {
  /**
   * One pass: delivers the items due when it starts, each at most once (what fails waits in
   * backoff for a later pass; the rest of a batch whose other statements were refused, and the
   * halves of a batch too large, go on).
   */
  drain(): Promise<DeliveryCounts>;
  /** Drains every `intervalMs` until `stop()`, which waits for a pass under way. */
  start(intervalMs: number): { stop(): Promise<void> };
}

/** Items claimed per pass; each is one intake request. */
const CLAIM = 4;

/** One drain: the moment it started (what it may claim) and what it did. */
export interface Pass {
  readonly dueBy: Date;
  readonly counts: DeliveryCounts;
}

export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const log = deps.log ?? silentLogger;
  const outbox = outboxRepository(deps.db);

  async function deliver(item: OutboxItem, pass: Pass): Promise<void> {
    const { counts } = pass;
    if (item.kind !== ATTESTATIONS_OUTBOX_KIND) {
      await outbox.bury(item.id, `unknown outbox kind ${item.kind}`, deps.now());
      return;
    }
    const ids = (item.payload as AttestationsOutboxPayload).attestationIds;
    const rows = await attestationsRepository(deps.db).getMany(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Statements already resolved (a crash after the receipt, before completing) stay as they are.
    const open = ids
      .map((id) => byId.get(id))
      .filter(
        (a): a is Attestation =>
          a !== undefined && (a.delivery === 'pending' || a.delivery === 'sent'),
      );
    if (open.length === 0) {
      await outbox.complete(item.id, deps.now());
      return;
    }
    await attestationsRepository(deps.db).markSent(
      open.map((a) => a.id),
      deps.now(),
    );
    let receipt: IntakeReceipt;
    try {
      receipt = await deps.hub.submitAttestations({ attestations: open.map((a) => a.jws) });
    } catch (e) {
      if (!isClientError(e)) throw e;
      await handleIntakeFailure({ ...deps, log }, item, open, e, pass);
      return;
    }
    // The hub took the batch: from here on nothing is refused, at worst sent again.
    const checked = await deps.receipts.verifyReceipt(open, receipt);
    const proved = new Map(
      checked.ok ? checked.items.flatMap((i) => (i.ok ? [[i.id, i] as const] : [])) : [],
    );
    const unproved = open.filter((a) => !proved.has(a.id));
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      const repo = attestationsRepository(tx);
      for (const r of receipt.receipts) {
        const evidence = proved.get(r.id);
        if (evidence === undefined || !checked.ok) continue;
        await repo.markAccepted(r.id, r, now);
        await logRepository(tx).recordInclusion(
          r.id,
          evidence.index,
          evidence.salt,
          checked.checkpoint.size,
          now,
        );
        counts[r.status === 'duplicate' ? 'duplicate' : 'accepted']++;
      }
      await unverified(
        tx,
        item,
        open.length,
        unproved,
        checked.ok ? 'LOG_RECEIPT_INVALID' : checked.alert.code,
        now,
      );
    });
    counts.unverified += unproved.length;
    if (unproved.length > 0) counts.retrying++;
    log(unproved.length > 0 ? 'warn' : 'info', 'outbox_delivered', {
      item: item.id,
      statements: open.length - unproved.length,
      unverified: unproved.length,
    });
  }

  /**
   * Completes the item, or leaves the statements whose evidence did not verify for a retry:
   * the same item with backoff when none verified, else a new item with the rest.
   */
  async function unverified(
    tx: NodeDatabase,
    item: OutboxItem,
    sent: number,
    rest: readonly Attestation[],
    code: string,
    now: Date,
  ): Promise<void> {
    const box = outboxRepository(tx);
    if (rest.length === 0) {
      await box.complete(item.id, now);
      return;
    }
    const retryAt = new Date(now.getTime() + backoffDelayMs(item.attempts, deps.policy, deps.rng));
    if (rest.length === sent) {
      await box.retry(item.id, code, retryAt, now);
      return;
    }
    await box.enqueue(requeueItem(rest, item, ':unverified', retryAt), now);
    await box.complete(item.id, now);
  }

  async function drain(): Promise<DeliveryCounts> {
    const pass: Pass = {
      dueBy: deps.now(),
      counts: { accepted: 0, duplicate: 0, rejected: 0, unverified: 0, retrying: 0 },
    };
    for (;;) {
      // Only what was due when the pass started; the lease still runs from the claim, so
      // another replica never takes an item this pass may still be sending.
      const late = Math.max(0, deps.now().getTime() - pass.dueBy.getTime());
      const items = await outbox.claimDue(pass.dueBy, {
        limit: CLAIM,
        leaseMs: deps.policy.leaseMs + late,
      });
      if (items.length === 0) return pass.counts;
      for (const item of items) await deliver(item, pass);
    }
  }

  return {
    drain,
    start(intervalMs) {
      return startPeriodic(drain, {
        intervalMs,
        runFirst: true,
        ...(deps.timers ? { timers: deps.timers } : {}),
        onError: (e) => log('error', 'outbox_failed', { error: (e as Error)?.name ?? 'error' }),
      });
    },
  };
}
