/**
 * Outcomes: what the agency reports about an officer (docs/protocol.md §5.5), one row per
 * officer and local case number. Every change to an attested field bumps `revision`; the
 * publisher attests a revision and records it, so "needs a new attestation" is
 * `attested_revision is distinct from revision` without a lost-update race between an import
 * and a publish running at the same time.
 */
import {
  boolean,
  date,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { attestations } from './attestations.table.js';
import { outcomeStatus } from './enums.table.js';
import { officers } from './officers.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const outcomes = pgTable(
  'outcomes',
  {
    id: serial('id').primaryKey(),
    officerId: integer('officer_id')
      .notNull()
      .references(() => officers.id, { onDelete: 'restrict' }),
    /** The records system's case number; sent as the attestation's opaque `localRef`. */
    localRef: text('local_ref').notNull(),
    /** A code of category list `category_list` (protocol/categories.ts). */
    category: text('category').notNull(),
    categoryList: integer('category_list').notNull(),
    useOfForce: boolean('use_of_force').notNull(),
    eventDate: date('event_date', { mode: 'string' }).notNull(),
    outcomeDate: date('outcome_date', { mode: 'string' }).notNull(),
    status: outcomeStatus('status').notNull(),
    statusDate: date('status_date', { mode: 'string' }).notNull(),
    /** The agency affirms the officer was notified and could respond (§5.5). */
    notified: boolean('notified').notNull(),
    disputedSince: date('disputed_since', { mode: 'string' }),
    /** Starts at 1; +1 whenever an attested field or the officer's match keys change. */
    revision: integer('revision').notNull().default(1),
    /** The revision the current attestation states; null before the first is accepted. */
    attestedRevision: integer('attested_revision'),
    /** The status the current attestation states: the "from" of the next transition. */
    attestedStatus: outcomeStatus('attested_status'),
    /** The accepted attestation that currently represents this outcome at the hub. */
    currentAttestationId: uuid('current_attestation_id').references(
      (): AnyPgColumn => attestations.id,
      { onDelete: 'set null' },
    ),
    createdAt: stamp('created_at').notNull(),
    updatedAt: stamp('updated_at').notNull(),
  },
  (t) => [uniqueIndex('outcomes_officer_case_unique').on(t.officerId, t.localRef)],
);
