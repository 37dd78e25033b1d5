/**
 * Continuous monitoring (docs/protocol.md §5.14, docs/hub.md "Monitoring"): the hub indexes an
 * agency enrolled, each until its term ends (`expires_at`) unless renewed, and the statements
 * each agency was told of in a `monitoring` notice — so that a later change of the same record
 * reaches it as `changed` or `withdrawn`.
 *
 * What the hub learns from these tables (docs/threat-model.md): each opted-in agency's roster
 * size (its enrollments, a few hub indexes per officer), and — since a hub index is the same
 * for an officer wherever he is enrolled under one key epoch — which agencies enroll the same
 * index over time: it can follow an enrolled officer from agency to agency. Never an identifier.
 */
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { TokenKey } from '../../protocol/common.js';
import { agencies } from '../registry/registry.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const monitoringEnrollments = pgTable(
  'monitoring_enrollments',
  {
    agency: text('agency')
      .notNull()
      .references(() => agencies.ori),
    /** base64url of the 32-byte hub index (§4.6). */
    hubIndex: text('hub_index').notNull(),
    kind: text('kind').notNull(),
    epoch: integer('epoch').notNull(),
    enrolledAt: stamp('enrolled_at').notNull(),
    /** The enrollment lapses then unless the agency enrolls the index again. */
    expiresAt: stamp('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.agency, t.hubIndex] }),
    // Notices: the agencies that enrolled a statement's indexes (one lookup per key).
    index('monitoring_enrollments_hub_index_idx').on(t.hubIndex),
    index('monitoring_enrollments_expiry_idx').on(t.expiresAt),
  ],
);

export const monitoringNotices = pgTable(
  'monitoring_notices',
  {
    recipient: text('recipient').notNull(),
    /** The statement the notice named (for a `withdrawn` notice, the one that withdrew it). */
    attestationId: text('attestation_id').notNull(),
    /** The recipient's enrolled indexes the notice named. */
    matches: jsonb('matches').$type<TokenKey[]>().notNull(),
    /** False for a `withdrawn` notice: the recipient was told the record is no longer shown. */
    shown: boolean('shown').notNull(),
    sentAt: stamp('sent_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recipient, t.attestationId] }),
    index('monitoring_notices_attestation_idx').on(t.attestationId),
  ],
);
