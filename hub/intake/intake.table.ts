/**
 * Stored attestations (docs/protocol.md §5.5, §5.6): the compact JWS exactly as received, plus
 * the columns the hub queries — so matching, supersession and statistics never re-parse a
 * statement. Hub indexes live in their own table, one row per (statement, index), keyed by hub
 * index first: a check is then one index lookup per candidate key.
 *
 * Dates are kept as the protocol's `YYYY-MM-DD` / `…Z` strings: they compare correctly as text
 * and come back unchanged from both drivers.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { agencies } from '../registry/registry.table.js';

export const attestations = pgTable(
  'attestations',
  {
    id: text('id').primaryKey(),
    issuer: text('issuer')
      .notNull()
      .references(() => agencies.ori),
    /** The key that signed it (so a rotation can be audited). */
    kid: text('kid').notNull(),
    epoch: integer('epoch').notNull(),
    categoryList: integer('category_list').notNull(),
    category: text('category').notNull(),
    useOfForce: boolean('use_of_force').notNull(),
    eventDate: text('event_date').notNull(),
    outcomeDate: text('outcome_date').notNull(),
    status: text('status').notNull(),
    statusDate: text('status_date').notNull(),
    disputedSince: text('disputed_since'),
    supersedes: text('supersedes'),
    /** Set when a later statement supersedes this one; null for the head of a chain. */
    supersededBy: text('superseded_by'),
    /**
     * Whether this statement states its chain's current content: true for the head, and stays
     * true for one that later statements only re-stated under newer epochs (§5.5.3). A check
     * under epoch e matches the live statement of epoch e of each chain (§5.8.1), so checks
     * under the old epoch keep finding re-stated records during a changeover.
     */
    live: boolean('live').notNull().default(true),
    issuedAt: text('issued_at').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    jws: text('jws').notNull(),
  },
  (t) => [
    // §5.5.3: a statement is superseded at most once — also under concurrent intake.
    uniqueIndex('attestations_supersedes_unique')
      .on(t.supersedes)
      .where(sql`${t.supersedes} is not null`),
    index('attestations_issuer_idx').on(t.issuer),
    check(
      'attestations_status_check',
      sql`${t.status} in ('notice_sent', 'pending_appeal', 'final', 'overturned', 'retracted', 'expired')`,
    ),
  ],
);

/**
 * The hub indexes of each statement: a lookup table, written once per statement at intake and
 * read by hub index (a check, the statistics' officer linking). Its primary key leads with the
 * hub index, so the key is also the checks' index, and it is the table's only index: a row costs
 * one B-tree insert. No foreign key to `attestations` (a row would cost a lookup of its
 * statement at every intake): the rows are written only by intake's `storeBatch`, in the
 * transaction that writes their statement, and deleted only with it (expunge.repository.ts).
 * To find a statement's rows, take its hub indexes from its JWS (`tokens.keys`) and look up
 * (hub_index, attestation_id).
 */
export const attestationKeys = pgTable(
  'attestation_keys',
  {
    attestationId: text('attestation_id').notNull(),
    /** base64url of the 32-byte hub index (§4.6). */
    hubIndex: text('hub_index').notNull(),
    kind: text('kind').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hubIndex, t.attestationId] })],
);
