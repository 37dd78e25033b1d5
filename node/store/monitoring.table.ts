/**
 * Continuous monitoring at the node (docs/node.md "Monitoring"): the hub indexes this agency
 * enrolled at the hub for each current officer, and the monitoring notices it received. The
 * officer link stays here: the hub holds only the indexes, never which officer they belong to.
 */
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { inboxMessages } from './inbox.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const monitoringEnrollments = pgTable(
  'monitoring_enrollments',
  {
    /** The officer (no foreign key: an officer deleted here must still be removed at the hub). */
    officerId: integer('officer_id').notNull(),
    employeeId: text('employee_id').notNull(),
    /** base64url of the 32-byte hub index. */
    hubIndex: text('hub_index').notNull(),
    kind: text('kind').notNull(),
    epoch: integer('epoch').notNull(),
    /** When the officer's record was tokenized for it (older than officers.updated_at: stale). */
    tokenizedAt: stamp('tokenized_at').notNull(),
    /** `enrolled` (to keep enrolled at the hub) or `removing` (to remove from the hub). */
    state: text('state').notNull(),
    /** The hub's term for it; null until the hub acknowledged the enrollment. */
    expiresAt: stamp('expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.officerId, t.hubIndex] }),
    index('monitoring_enrollments_hub_index_idx').on(t.hubIndex),
  ],
);

export const monitoringNotices = pgTable('monitoring_notices', {
  /** The inbox message that carried it. */
  seq: bigint('seq', { mode: 'number' })
    .primaryKey()
    .references(() => inboxMessages.seq),
  /** `reported`, `changed` or `withdrawn`. */
  change: text('change').notNull(),
  statementId: text('statement_id'),
  previousId: text('previous_id'),
  /** The reporting agency and the statement's status and category (null when withdrawn). */
  issuer: text('issuer'),
  status: text('status'),
  category: text('category'),
  /** The employee ids of the officers whose enrolled indexes the notice named. */
  employeeIds: jsonb('employee_ids').$type<string[]>().notNull(),
  /** For a `withdrawn` notice the hub sent on the record's retention due day: that day. */
  pastRetention: text('past_retention'),
  receivedAt: stamp('received_at').notNull(),
});
