/**
 * Period certifications (docs/protocol.md §5.15): the compact JWS as received, plus the columns
 * the hub queries. A correction supersedes the earlier certification of the same period; the
 * head of each (issuer, period) chain is the one with `superseded_by` null, and at most one
 * such head exists per agency and period (enforced by a partial unique index, so two
 * concurrent first certifications cannot both be stored).
 *
 * Nothing here is officer data: an agency, a period and two counts.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { agencies } from '../registry/registry.table.js';

export const certifications = pgTable(
  'certifications',
  {
    id: text('id').primaryKey(),
    issuer: text('issuer')
      .notNull()
      .references(() => agencies.ori),
    kid: text('kid').notNull(),
    period: text('period').notNull(),
    sworn: integer('sworn').notNull(),
    statements: integer('statements').notNull(),
    zeroReport: boolean('zero_report').notNull(),
    supersedes: text('supersedes'),
    supersededBy: text('superseded_by'),
    /** The last day on time (`YYYY-MM-DD`), by the deadline table in force at receipt. */
    deadline: text('deadline').notNull(),
    deadlineTable: integer('deadline_table').notNull(),
    issuedAt: text('issued_at').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Its leaf in the transparency log. */
    logIndex: bigint('log_index', { mode: 'number' }).notNull(),
    jws: text('jws').notNull(),
  },
  (t) => [
    uniqueIndex('certifications_head_unique')
      .on(t.issuer, t.period)
      .where(sql`${t.supersededBy} is null`),
    uniqueIndex('certifications_supersedes_unique')
      .on(t.supersedes)
      .where(sql`${t.supersedes} is not null`),
    index('certifications_period_idx').on(t.period, t.issuer),
    check('certifications_sworn_check', sql`${t.sworn} >= 0`),
    check('certifications_statements_check', sql`${t.statements} >= 0`),
  ],
);
