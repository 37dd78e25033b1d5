/**
 * The outbox: work that must reach another service (attestation batches to the hub) is
 * written here in the same transaction as the change that causes it, then delivered with
 * retries and backoff. A crash between "decided to send" and "sent" therefore loses nothing,
 * and the receiver's idempotency (by attestation id) makes a repeated delivery harmless.
 */
import {
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { outboxState } from './enums.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    /** What the payload is, e.g. `attestations` (the deliverer dispatches on it). */
    kind: text('kind').notNull(),
    /** Makes enqueueing idempotent: a second item with the same key is not created. */
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').$type<unknown>().notNull(),
    state: outboxState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: stamp('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: stamp('created_at').notNull(),
    updatedAt: stamp('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key_unique').on(t.dedupeKey),
    index('outbox_due_idx').on(t.state, t.nextAttemptAt),
  ],
);
