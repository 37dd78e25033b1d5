/**
 * The outbox sender: delivers `attestations` items to the hub's intake (docs/protocol.md §5.6)
 * and records the outcome of each statement.
 *
 * - Success: the receipt's log evidence is verified first (node/log: the batch checkpoint's
 *   signature and origin, its consistency with the node's last verified checkpoint, each
 *   statement's inclusion at the index claimed). Each statement whose evidence verified is
 *   stored with its receipt and its log index and salt, and becomes `accepted` (its outcome's
 *   current attestation) — in one transaction with completing the item. A statement whose
 *   evidence did not verify is NOT recorded as delivered: an alert is raised (LOG_RECEIPT_INVALID,
 *   or the checkpoint's own code) and it is retried with backoff, when the hub's `duplicate`
 *   answer carries fresh evidence.
 * - A failure that may pass (network, timeout, 408/429/5xx, an answer we could not read: the hub
 *   may have stored the batch) → the item is retried later with exponential backoff and jitter,
 *   never sooner than Retry-After. Resending is safe: the statements are the same bytes, so the
 *   hub answers `duplicate` with the first receipt.
 * - A refusal (any other 4xx): the hub stored nothing (a batch is all-or-nothing). When the
 *   problem names `attestations[i]`, those statements are `rejected` with the problem code and
 *   field errors and the others go back to the outbox as a new item; otherwise (the agency is
 *   refused: auth, role, suspension) every statement is `rejected` and the item is dead.
 */
import { inArray } from 'drizzle-orm';
import type { IntakeReceipt } from '../../protocol/intake.js';
import { isClientError, type ClientError, type HubClient } from '../clients/index.js';
import type { LogView } from '../log/log-view.js';
import { ATTESTATIONS_OUTBOX_KIND, type AttestationsOutboxPayload } from '../publish/publish.js';
import { silentLogger, type NodeLogger } from '../service/log.js';
import {
  attestations,
  attestationsRepository,
  logRepository,
  outboxRepository,
  type Attestation,
  type NodeDatabase,
  type OutboxItem,
} from '../store/index.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';

export interface OutboxSenderDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'submitAttestations'>;
  readonly now: () => Date;
  /** Jitter. */
  readonly rng: (n: number) => Uint8Array;
  readonly policy: BackoffPolicy & { readonly leaseMs: number };
  /** Verifies every receipt's log evidence before anything is recorded as delivered. */
  readonly receipts: Pick<LogView, 'verifyReceipt'>;
  readonly log?: NodeLogger;
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
  /** Delivers what is due now, until nothing is (items in backoff stay for later). */
  drain(): Promise<DeliveryCounts>;
  /** Drains every `intervalMs` until `stop()`, which waits for a pass under way. */
  start(intervalMs: number): { stop(): Promise<void> };
}

/** Items claimed per pass; each is one intake request. */
const CLAIM = 4;
const ATTESTATION_FIELD = /^attestations\[(\d+)\]/;

export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const log = deps.log ?? silentLogger;
  const outbox = outboxRepository(deps.db);

  async function deliver(item: OutboxItem, counts: DeliveryCounts): Promise<void> {
    if (item.kind !== ATTESTATIONS_OUTBOX_KIND) {
      await outbox.bury(item.id, `unknown outbox kind ${item.kind}`, deps.now());
      return;
    }
    const ids = (item.payload as AttestationsOutboxPayload).attestationIds;
    const rows = await deps.db
      .select()
      .from(attestations)
      .where(inArray(attestations.id, [...ids]));
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
      await failed(item, open, e, counts);
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
    const payload: AttestationsOutboxPayload = { attestationIds: rest.map((a) => a.id) };
    await box.enqueue(
      {
        kind: ATTESTATIONS_OUTBOX_KIND,
        payload,
        dedupeKey: `attestations:${rest[0]!.id}:${item.id}:unverified`,
        notBefore: retryAt,
      },
      now,
    );
    await box.complete(item.id, now);
  }

  async function failed(
    item: OutboxItem,
    open: readonly Attestation[],
    e: ClientError,
    counts: DeliveryCounts,
  ): Promise<void> {
    const now = deps.now();
    const unreadable = e.code === 'RESPONSE_INVALID' || e.code === 'RESPONSE_TOO_LARGE';
    if (e.retryable || unreadable) {
      const delay = backoffDelayMs(item.attempts, deps.policy, deps.rng, e.retryAfterSeconds);
      await outbox.retry(item.id, e.code, new Date(now.getTime() + delay), now);
      counts.retrying++;
      log('warn', 'outbox_retry', {
        item: item.id,
        code: e.code,
        attempts: item.attempts,
        delayMs: delay,
      });
      return;
    }
    const named = new Set<number>();
    for (const fe of e.errors) {
      const m = ATTESTATION_FIELD.exec(fe.field);
      if (m && Number(m[1]) < open.length) named.add(Number(m[1]));
    }
    const refused = named.size === 0 ? open : open.filter((_, i) => named.has(i));
    const rest = named.size === 0 ? [] : open.filter((_, i) => !named.has(i));
    await deps.db.transaction(async (tx) => {
      const repo = attestationsRepository(tx);
      for (const a of refused) {
        const index = open.indexOf(a);
        const errors = e.errors.filter(
          (fe) => named.size === 0 || ATTESTATION_FIELD.exec(fe.field)?.[1] === String(index),
        );
        const problem = { code: e.code, status: e.status ?? null, errors };
        await repo.markRejected(a.id, e.code, { problem }, now);
      }
      const box = outboxRepository(tx);
      if (rest.length > 0) {
        const payload: AttestationsOutboxPayload = { attestationIds: rest.map((a) => a.id) };
        await box.enqueue(
          {
            kind: ATTESTATIONS_OUTBOX_KIND,
            payload,
            dedupeKey: `attestations:${rest[0]!.id}:${item.id}`,
          },
          now,
        );
        await box.complete(item.id, now);
      } else {
        await box.bury(item.id, e.code, now);
      }
    });
    counts.rejected += refused.length;
    log('warn', 'outbox_rejected', {
      item: item.id,
      code: e.code,
      rejected: refused.length,
      requeued: rest.length,
    });
  }

  async function drain(): Promise<DeliveryCounts> {
    const counts: DeliveryCounts = {
      accepted: 0,
      duplicate: 0,
      rejected: 0,
      unverified: 0,
      retrying: 0,
    };
    for (;;) {
      const items = await outbox.claimDue(deps.now(), {
        limit: CLAIM,
        leaseMs: deps.policy.leaseMs,
      });
      if (items.length === 0) return counts;
      for (const item of items) await deliver(item, counts);
    }
  }

  return {
    drain,
    start(intervalMs) {
      let stopped = false;
      let running: Promise<unknown> = Promise.resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = () => {
        running = drain()
          .catch((e: unknown) => log('error', 'outbox_failed', { error: (e as Error).name }))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
      return {
        async stop() {
          stopped = true;
          if (timer !== undefined) clearTimeout(timer);
          await running;
        },
      };
    },
  };
}
