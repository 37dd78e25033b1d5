/**
 * Credentialing bodies (docs/protocol.md §5.16.2, docs/hub.md "Credentialing bodies"): enrolled
 * by the hub operator, which stands for the Attorney General's certification of the body. Kept
 * apart from the agency registry: a body is not an agency (it has no ORI, reports nothing and
 * certifies no period), and it must not appear where agencies are counted.
 *
 * Keys as the registry keeps agencies' keys: never deleted, so a credential keeps verifying
 * after its body's key changes.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const credentialingBodies = pgTable(
  'credentialing_bodies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone').notNull(),
    status: text('status').notNull().default('active'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** When the status last changed (enrolment, suspension, reinstatement, retirement). */
    statusSince: timestamp('status_since', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    check(
      'credentialing_bodies_status_check',
      sql`${t.status} in ('active', 'suspended', 'retired')`,
    ),
  ],
);

export const credentialingBodyKeys = pgTable(
  'credentialing_body_keys',
  {
    /** RFC 7638 thumbprint. */
    kid: text('kid').primaryKey(),
    body: text('body')
      .notNull()
      .references(() => credentialingBodies.id),
    /** The Ed25519 public key, base64url (the JWK's `x`). */
    x: text('x').notNull(),
    status: text('status').notNull().default('active'),
    addedAt: timestamp('added_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('credentialing_body_keys_body_idx').on(t.body),
    check('credentialing_body_keys_status_check', sql`${t.status} in ('active', 'retired')`),
  ],
);
