/**
 * The hub's mailbox (docs/protocol.md §5.12, docs/hub.md "Mailbox"): one row per message, kept
 * until its recipient acknowledges it and then for the acknowledged-retention period, or until
 * the unacknowledged-retention period ends. The message is stored exactly as the hub signed it;
 * `type` and `size` are copies the operator's queries use. Seqs come from their own sequence so
 * the hub can sign a message's seq before it inserts it.
 *
 * What the hub learns from this table is what the exchange already tells it: which agency is
 * told about which check (the check audit has it) — never an identifier.
 */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const mailboxSeq = pgSequence('mailbox_seq', { startWith: 1 });

export const mailboxMessages = pgTable(
  'mailbox_messages',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    recipient: text('recipient').notNull(),
    type: text('type').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The hub-signed message (compact JWS, typ spx-mailbox-message+jws). */
    jws: text('jws').notNull(),
    size: integer('size').notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // Fetch: a recipient's unacknowledged messages in seq order.
    index('mailbox_unacknowledged_idx')
      .on(t.recipient, t.seq)
      .where(sql`${t.acknowledgedAt} is null`),
    index('mailbox_created_idx').on(t.createdAt),
  ],
);

/** Per recipient: messages deleted unacknowledged at the end of retention (a node long offline). */
export const mailboxExpired = pgTable('mailbox_expired', {
  recipient: text('recipient').primaryKey(),
  count: integer('count').notNull(),
  lastExpiredAt: timestamp('last_expired_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/**
 * The hub's own retention notices (docs/protocol.md §5.12.3, §5.13): one row per record whose
 * due day came while its agency had not published the `expired` statement, keyed by the
 * standing statement, written in the transaction that queues the notices — so a pass that runs
 * again, after a restart or on another replica, sends nothing twice. An id, a day and a count:
 * nothing the check audit and the attestations do not already hold.
 */
export const retentionNotices = pgTable('retention_notices', {
  attestationId: text('attestation_id').primaryKey(),
  /** The due day (YYYY-MM-DD) the notices named. */
  dueDate: text('due_date').notNull(),
  /** Corrections queued: one per earlier answered check that listed the record. */
  recipients: integer('recipients').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull(),
});
