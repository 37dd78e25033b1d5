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
 * - A failure that may pass (network, timeout, 408/429/5xx, an answer we could not read: the hub
 *   may have stored the batch) → the item is retried later with exponential backoff and jitter,
 *   never sooner than Retry-After. Resending is safe: the statements are the same bytes, so the
 *   hub answers `duplicate` with the first receipt.
 * - A refusal (any other 4xx): the hub stored nothing (a batch is all-or-nothing). When the
 *   problem names `attestations[i]`, those statements are `rejected` with the problem code and
 *   field errors and the others go back to the outbox as a new item. When the batch's size was
 *   refused (413, or more statements than the hub takes), the item is split into two items of
 *   half its statements each, sent on in the same pass; a single statement too large cannot be
 *   split. Otherwise the agency or the request was refused (auth, role, suspension:
 *   intake-failure.ts), which says nothing about the statements: they go back to `pending` and
 *   the item is retried after the long backoff (at least AGENCY_REFUSAL_MIN_BACKOFF_MS), until a
 *   person or the clock fixes it.
 *
 * One drain is one pass over the items due when it starts: an item that fails goes into
 * backoff and waits for the next pass, so a hub that keeps timing out costs each item one
 * timeout per pass rather than holding the pass (and a publish awaiting it) for as long as
 * backoffs keep expiring.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { IntakeReceipt } from '../../protocol/intake.js';
import { isClientError, type ClientError, type HubClient } from '../clients/index.js';
import type { LogView } from '../tlog/log-view.js';
import { ATTESTATIONS_OUTBOX_KIND, type AttestationsOutboxPayload } from '../publish/publish.js';
import { silentLogger, type Logger } from '../../platform/logging/json-lines.js';
import {
  attestations,
  attestationsRepository,
  logRepository,
  outboxRepository,
  type Attestation,
  type NodeDatabase,
  type OutboxItem,
} from '../store/index.js';
import { agencyRefusalDelayMs, backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { classifyIntakeFailure, namedPosition } from './intake-failure.js';

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
interface Pass {
  readonly dueBy: Date;
  readonly counts: DeliveryCounts;
}

/**
 * Puts `statements` of `item` back in the outbox as an item of their own, due at `due`. The
 * dedupe key names the first statement, the item it came from and why (`tag`), so replaying
 * the same step enqueues nothing twice.
 */
function requeue(
  box: ReturnType<typeof outboxRepository>,
  statements: readonly Attestation[],
  item: OutboxItem,
  tag: string,
  due: Date,
  now: Date,
) {
  const payload: AttestationsOutboxPayload = { attestationIds: statements.map((a) => a.id) };
  return box.enqueue(
    {
      kind: ATTESTATIONS_OUTBOX_KIND,
      payload,
      dedupeKey: `attestations:${statements[0]!.id}:${item.id}${tag}`,
      notBefore: due,
    },
    now,
  );
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
      await failed(item, open, e, pass);
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
    await requeue(box, rest, item, ':unverified', retryAt, now);
    await box.complete(item.id, now);
  }

  async function failed(
    item: OutboxItem,
    open: readonly Attestation[],
    e: ClientError,
    pass: Pass,
  ): Promise<void> {
    const now = deps.now();
    const failure = classifyIntakeFailure(e, open.length);
    if (failure.kind === 'transient') {
      const delay = backoffDelayMs(item.attempts, deps.policy, deps.rng, e.retryAfterSeconds);
      await outbox.retry(item.id, e.code, new Date(now.getTime() + delay), now);
      pass.counts.retrying++;
      log('warn', 'outbox_retry', {
        item: item.id,
        code: e.code,
        attempts: item.attempts,
        delayMs: delay,
      });
      return;
    }
    if (failure.kind === 'too_large' && open.length > 1) {
      await split(item, open, e, pass, now);
      return;
    }
    if (failure.kind === 'agency' || failure.kind === 'too_large') {
      await refusedAgency(item, open, e, pass, now);
      return;
    }
    const named = failure.positions;
    const refused = open.filter((_, i) => named.has(i));
    const rest = open.filter((_, i) => !named.has(i));
    await deps.db.transaction(async (tx) => {
      const repo = attestationsRepository(tx);
      for (const a of refused) {
        const index = open.indexOf(a);
        const errors = e.errors.filter((fe) => namedPosition(fe.field, open.length) === index);
        const problem = { code: e.code, status: e.status ?? null, errors };
        await repo.markRejected(a.id, e.code, { problem }, now);
      }
      const box = outboxRepository(tx);
      if (rest.length > 0) {
        // Due at the pass's start: the rest were due then, so this pass sends them on.
        await requeue(box, rest, item, '', pass.dueBy, now);
        await box.complete(item.id, now);
      } else {
        await box.bury(item.id, e.code, now);
      }
    });
    pass.counts.rejected += refused.length;
    log('warn', 'outbox_rejected', {
      item: item.id,
      code: e.code,
      rejected: refused.length,
      requeued: rest.length,
    });
  }

  /**
   * The hub refused the batch's size: the same batch would be refused forever (an item keeps its
   * size whatever SPX_NODE_OUTBOX_BATCH says now), so its statements go back to `pending` (the
   * hub stored nothing) as two items of half each, in one transaction with completing this one.
   * They are due at the pass's start, like the rest of a refused batch, so this pass sends them
   * on and halves them again until the hub takes them or a single statement is left.
   */
  async function split(
    item: OutboxItem,
    open: readonly Attestation[],
    e: ClientError,
    pass: Pass,
    now: Date,
  ): Promise<void> {
    const half = Math.ceil(open.length / 2);
    const parts = [open.slice(0, half), open.slice(half)];
    await deps.db.transaction(async (tx) => {
      await unsend(tx, open);
      const box = outboxRepository(tx);
      for (const part of parts) await requeue(box, part, item, ':split', pass.dueBy, now);
      await box.complete(item.id, now);
    });
    pass.counts.retrying++;
    log('warn', 'outbox_split', {
      item: item.id,
      code: e.code,
      statements: open.length,
      into: parts.map((p) => p.length),
    });
  }

  /** Statements the hub refused with the whole batch were not stored: `sent` back to `pending`. */
  async function unsend(tx: NodeDatabase, open: readonly Attestation[]): Promise<void> {
    await tx
      .update(attestations)
      .set({ delivery: 'pending' })
      .where(
        and(
          inArray(
            attestations.id,
            open.map((a) => a.id),
          ),
          eq(attestations.delivery, 'sent'),
        ),
      );
  }

  /**
   * The hub refused the agency or the request, not a statement (or a single statement too large
   * to split): the statements go back to `pending` and the item waits the long backoff.
   */
  async function refusedAgency(
    item: OutboxItem,
    open: readonly Attestation[],
    e: ClientError,
    pass: Pass,
    now: Date,
  ): Promise<void> {
    const delay = agencyRefusalDelayMs(item.attempts, deps.policy, deps.rng, e.retryAfterSeconds);
    await deps.db.transaction(async (tx) => {
      await unsend(tx, open);
      await outboxRepository(tx).retry(item.id, e.code, new Date(now.getTime() + delay), now);
    });
    pass.counts.retrying++;
    log('warn', 'outbox_refused', {
      item: item.id,
      code: e.code,
      status: e.status ?? null,
      attempts: item.attempts,
      delayMs: delay,
    });
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
