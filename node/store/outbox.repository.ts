/**
 * The outbox (outbox.table.ts). A deliverer claims due items with a lease: claiming pushes
 * `next_attempt_at` forward, so an item whose deliverer crashed comes due again after the
 * lease, and two deliverers (PostgreSQL replicas) never take the same item at once
 * (`FOR UPDATE SKIP LOCKED`). Delivery is therefore at least once; receivers are idempotent.
 */
import { and, asc, count, eq, inArray, lte, sql } from 'drizzle-orm';
import { NodeError } from '../errors.js';
import type { NodeDatabase } from './database.js';
import type { OutboxState } from './enums.table.js';
import { outbox } from './outbox.table.js';

export type OutboxItem = typeof outbox.$inferSelect;

export interface NewOutboxItem {
  readonly kind: string;
  readonly payload: unknown;
  /** Enqueueing twice with one key creates one item (e.g. `attestations:<batch id>`). */
  readonly dedupeKey?: string | null;
  /** Earliest delivery; default now. */
  readonly notBefore?: Date;
}

function unknown(id: number): NodeError {
  return new NodeError('OUTBOX_ITEM_UNKNOWN', `no outbox item ${id}`);
}

export function outboxRepository(db: NodeDatabase) {
  async function set(id: number, values: Partial<OutboxItem>): Promise<OutboxItem> {
    const [row] = await db.update(outbox).set(values).where(eq(outbox.id, id)).returning();
    if (row === undefined) throw unknown(id);
    return row;
  }

  return {
    /** Adds an item; with a dedupe key already used, returns the existing item instead. */
    async enqueue(item: NewOutboxItem, now: Date): Promise<{ item: OutboxItem; created: boolean }> {
      const [row] = await db
        .insert(outbox)
        .values({
          kind: item.kind,
          payload: item.payload,
          dedupeKey: item.dedupeKey ?? null,
          nextAttemptAt: item.notBefore ?? now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: outbox.dedupeKey })
        .returning();
      if (row !== undefined) return { item: row, created: true };
      const [existing] = await db
        .select()
        .from(outbox)
        .where(eq(outbox.dedupeKey, item.dedupeKey!));
      return { item: existing!, created: false };
    },

    /** Takes up to `limit` due items, counting an attempt and leasing each for `leaseMs`. */
    async claimDue(now: Date, options: { limit: number; leaseMs: number }): Promise<OutboxItem[]> {
      return db.transaction(async (tx) => {
        const due = await tx
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now)))
          .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
          .limit(options.limit)
          .for('update', { skipLocked: true });
        if (due.length === 0) return [];
        return tx
          .update(outbox)
          .set({
            attempts: sql`${outbox.attempts} + 1`,
            nextAttemptAt: new Date(now.getTime() + options.leaseMs),
            updatedAt: now,
          })
          .where(
            inArray(
              outbox.id,
              due.map((d) => d.id),
            ),
          )
          .returning()
          .then((rows) => rows.sort((a, b) => a.id - b.id));
      });
    },

    async complete(id: number, now: Date): Promise<OutboxItem> {
      return set(id, { state: 'done', lastError: null, updatedAt: now });
    },

    /** The attempt failed; try again at `nextAttemptAt` (the caller's backoff policy). */
    async retry(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<OutboxItem> {
      return set(id, { state: 'pending', lastError: error, nextAttemptAt, updatedAt: now });
    },

    /** Gives up: the item needs a person (e.g. the hub refuses it permanently). */
    async bury(id: number, error: string, now: Date): Promise<OutboxItem> {
      return set(id, { state: 'dead', lastError: error, updatedAt: now });
    },

    async get(id: number): Promise<OutboxItem> {
      const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
      if (row === undefined) throw unknown(id);
      return row;
    },

    /** Pending items due at `now` (status pages). */
    async countDue(now: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(outbox)
        .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now)));
      return row?.n ?? 0;
    },

    async countByState(): Promise<Record<OutboxState, number>> {
      const rows = await db
        .select({ state: outbox.state, n: count() })
        .from(outbox)
        .groupBy(outbox.state);
      const counts: Record<OutboxState, number> = { pending: 0, done: 0, dead: 0 };
      for (const r of rows) counts[r.state] = r.n;
      return counts;
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
