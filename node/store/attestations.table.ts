/**
 * Attestations this node has signed, kept exactly as sent: the compact JWS is the statement
 * (docs/protocol.md §6), and a resend must carry the same bytes for the hub's idempotency by
 * attestation id to hold. Indexed columns repeat what the publisher needs to query.
 */
import {
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { attestationDelivery, outcomeStatus } from './enums.table.js';
import { outcomes } from './outcomes.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const attestations = pgTable(
  'attestations',
  {
    /** The statement's own id (UUIDv7, §5.1). */
    id: uuid('id').primaryKey(),
    outcomeId: integer('outcome_id')
      .notNull()
      .references((): AnyPgColumn => outcomes.id, { onDelete: 'restrict' }),
    /** The outcome revision this statement states. */
    outcomeRevision: integer('outcome_revision').notNull(),
    /** The status the statement states (its `status` member). */
    statementStatus: outcomeStatus('statement_status').notNull(),
    epoch: integer('epoch').notNull(),
    jws: text('jws').notNull(),
    supersedes: uuid('supersedes').references((): AnyPgColumn => attestations.id),
    delivery: attestationDelivery('delivery').notNull().default('pending'),
    /** The hub's receipt, as received. */
    receipt: jsonb('receipt').$type<unknown>(),
    /** The hub's problem code when it refused the statement. */
    rejectionCode: text('rejection_code'),
    createdAt: stamp('created_at').notNull(),
    sentAt: stamp('sent_at'),
    resolvedAt: stamp('resolved_at'),
  },
  (t) => [index('attestations_outcome_idx').on(t.outcomeId, t.outcomeRevision)],
);
