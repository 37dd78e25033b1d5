/**
 * The registry's tables (docs/protocol.md §5.3): one row per enrolled agency and one per key it
 * ever registered. Keys are never deleted: a retired key still verifies the statements it
 * signed before the rotation (docs/hub.md, "Key rotation").
 *
 * Enumerated values are text with CHECK constraints rather than PostgreSQL enums, so that a
 * later protocol version can add a value in a migration that runs inside the start-up
 * transaction (ALTER TYPE … ADD VALUE cannot be used there, docs/storage.md).
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const agencies = pgTable(
  'agencies',
  {
    ori: text('ori').primaryKey(),
    name: text('name').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    /** USPS code; null for a federal headquarters or a tribal agency spanning several states. */
    state: text('state'),
    /** Subset of reporter, checker, operator, witness, in the protocol's order. */
    roles: text('roles').array().notNull(),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone').notNull(),
    status: text('status').notNull().default('active'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    check('agencies_status_check', sql`${t.status} in ('active', 'suspended')`),
    check(
      'agencies_jurisdiction_check',
      sql`${t.jurisdiction} in ('federal', 'state', 'local', 'tribal', 'territorial')`,
    ),
  ],
);

export const agencyKeys = pgTable(
  'agency_keys',
  {
    /** RFC 7638 thumbprint; unique across the registry, so one key never serves two agencies. */
    kid: text('kid').primaryKey(),
    ori: text('ori')
      .notNull()
      .references(() => agencies.ori),
    /** The Ed25519 public key, base64url (the JWK's `x`). */
    x: text('x').notNull(),
    status: text('status').notNull().default('active'),
    addedAt: timestamp('added_at', { withTimezone: true, mode: 'date' }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('agency_keys_ori_idx').on(t.ori),
    check('agency_keys_status_check', sql`${t.status} in ('active', 'retired')`),
  ],
);
