/**
 * What the sender does when the hub did not take a batch (sender.ts; docs/protocol.md §5.6):
 *
 * - A failure that may pass (network, timeout, 408/429/5xx, an answer we could not read: the
 *   hub may have stored the batch): the item is retried with backoff, never sooner than
 *   Retry-After. Resending is safe: the hub answers `duplicate` with the first receipt.
 * - Statements named by the problem (`attestations[i]`): `rejected` with the code and their
 *   field errors; the rest of the batch goes back to the outbox as an item of its own.
 * - The batch's size refused (413, or more statements than the hub takes): two items of half
 *   the statements each; a single statement too large cannot be split.
 * - The agency or the request refused (auth, role, suspension: intake-failure.ts), which says
 *   nothing about the statements: they go back to `pending` and the item waits the long backoff
 *   (at least AGENCY_REFUSAL_MIN_BACKOFF_MS), until a person or the clock fixes it.
 *
 * A refusal means the hub stored nothing (a batch is all-or-nothing), so statements it refused
 * with the whole batch go from `sent` back to `pending`.
 */
import type { ClientError } from '../clients/index.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import {
  attestationsRepository,
  outboxRepository,
  type Attestation,
  type NodeDatabase,
  type OutboxItem,
} from '../store/index.js';
import { requeueItem } from './attestations-item.js';
import { agencyRefusalDelayMs, backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { classifyIntakeFailure, namedPosition } from './intake-failure.js';
import type { Pass } from './sender.js';

export interface RefusalDeps {
  readonly db: NodeDatabase;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
  readonly policy: BackoffPolicy;
  readonly log: Logger;
}

/** The hub answered `e` to the batch of `open` (the item's unresolved statements). */
export async function handleIntakeFailure(
  deps: RefusalDeps,
  item: OutboxItem,
  open: readonly Attestation[],
  e: ClientError,
  pass: Pass,
): Promise<void> {
  const now = deps.now();
  const failure = classifyIntakeFailure(e, open.length);
  if (failure.kind === 'transient') {
    const delay = backoffDelayMs(item.attempts, deps.policy, deps.rng, e.retryAfterSeconds);
    await outboxRepository(deps.db).retry(item.id, e.code, new Date(now.getTime() + delay), now);
    pass.counts.retrying++;
    deps.log('warn', 'outbox_retry', {
      item: item.id,
      code: e.code,
      attempts: item.attempts,
      delayMs: delay,
    });
    return;
  }
  if (failure.kind === 'too_large' && open.length > 1) {
    await split(deps, item, open, e, pass, now);
    return;
  }
  if (failure.kind === 'agency' || failure.kind === 'too_large') {
    await refusedAgency(deps, item, open, e, pass, now);
    return;
  }
  await rejectNamed(deps, item, open, e, failure.positions, pass, now);
}

/**
 * The statements at `named` positions are `rejected` with the problem code and their own field
 * errors; the rest go on in this pass as a new item, or the item is buried when none is left.
 */
async function rejectNamed(
  deps: RefusalDeps,
  item: OutboxItem,
  open: readonly Attestation[],
  e: ClientError,
  named: ReadonlySet<number>,
  pass: Pass,
  now: Date,
): Promise<void> {
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
      await box.enqueue(requeueItem(rest, item, '', pass.dueBy), now);
      await box.complete(item.id, now);
    } else {
      await box.bury(item.id, e.code, now);
    }
  });
  pass.counts.rejected += refused.length;
  deps.log('warn', 'outbox_rejected', {
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
  deps: RefusalDeps,
  item: OutboxItem,
  open: readonly Attestation[],
  e: ClientError,
  pass: Pass,
  now: Date,
): Promise<void> {
  const half = Math.ceil(open.length / 2);
  const parts = [open.slice(0, half), open.slice(half)];
  await deps.db.transaction(async (tx) => {
    await attestationsRepository(tx).unsend(open.map((a) => a.id));
    const box = outboxRepository(tx);
    for (const part of parts) await box.enqueue(requeueItem(part, item, ':split', pass.dueBy), now);
    await box.complete(item.id, now);
  });
  pass.counts.retrying++;
  deps.log('warn', 'outbox_split', {
    item: item.id,
    code: e.code,
    statements: open.length,
    into: parts.map((p) => p.length),
  });
}

/**
 * The hub refused the agency or the request, not a statement (or a single statement too large
 * to split): the statements go back to `pending` and the item waits the long backoff.
 */
async function refusedAgency(
  deps: RefusalDeps,
  item: OutboxItem,
  open: readonly Attestation[],
  e: ClientError,
  pass: Pass,
  now: Date,
): Promise<void> {
  const delay = agencyRefusalDelayMs(item.attempts, deps.policy, deps.rng, e.retryAfterSeconds);
  await deps.db.transaction(async (tx) => {
    await attestationsRepository(tx).unsend(open.map((a) => a.id));
    await outboxRepository(tx).retry(item.id, e.code, new Date(now.getTime() + delay), now);
  });
  pass.counts.retrying++;
  deps.log('warn', 'outbox_refused', {
    item: item.id,
    code: e.code,
    status: e.status ?? null,
    attempts: item.attempts,
    delayMs: delay,
  });
}
