/**
 * Credentials, revocations and "in process" affirmations (docs/protocol.md §5.16): the compact
 * JWS as received plus the columns the standing is computed from. Nothing here is officer
 * data: a body, an agency, dates and the standards met.
 */
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { agencies } from '../registry/registry.table.js';
import { credentialingBodies } from './bodies.table.js';

export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    body: text('body')
      .notNull()
      .references(() => credentialingBodies.id),
    ori: text('ori')
      .notNull()
      .references(() => agencies.ori),
    kid: text('kid').notNull(),
    standardsList: integer('standards_list').notNull(),
    /** Standards stated met, sorted. */
    standards: text('standards').array().notNull(),
    mandatoryMet: boolean('mandatory_met').notNull(),
    assessedOn: text('assessed_on').notNull(),
    /** The last day it counts (`assessedOn` + 36 months). */
    validUntil: text('valid_until').notNull(),
    issuedAt: text('issued_at').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    logIndex: bigint('log_index', { mode: 'number' }).notNull(),
    jws: text('jws').notNull(),
  },
  (t) => [
    // One credential per body, agency and assessment: a second one is a duplicate.
    uniqueIndex('credentials_assessment_unique').on(t.body, t.ori, t.assessedOn),
    index('credentials_ori_idx').on(t.ori, t.assessedOn),
  ],
);

export const credentialRevocations = pgTable('credential_revocations', {
  id: text('id').primaryKey(),
  /** One revocation per credential. */
  credential: text('credential')
    .notNull()
    .unique()
    .references(() => credentials.id),
  body: text('body')
    .notNull()
    .references(() => credentialingBodies.id),
  kid: text('kid').notNull(),
  reason: text('reason').notNull(),
  /** The UTC date of `issuedAt`: the day it takes effect. */
  revokedOn: text('revoked_on').notNull(),
  issuedAt: text('issued_at').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  logIndex: bigint('log_index', { mode: 'number' }).notNull(),
  jws: text('jws').notNull(),
});

export const credentialAffirmations = pgTable(
  'credential_affirmations',
  {
    id: text('id').primaryKey(),
    ori: text('ori')
      .notNull()
      .references(() => agencies.ori),
    kid: text('kid').notNull(),
    affirmedOn: text('affirmed_on').notNull(),
    /** The last day it counts (`affirmedOn` + 12 months). */
    validUntil: text('valid_until').notNull(),
    issuedAt: text('issued_at').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    logIndex: bigint('log_index', { mode: 'number' }).notNull(),
    jws: text('jws').notNull(),
  },
  // One affirmation per agency and day; also the index the standing reads by.
  (t) => [uniqueIndex('credential_affirmations_day_unique').on(t.ori, t.affirmedOn)],
);
