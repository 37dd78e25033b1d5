/**
 * The node's inbox (docs/node.md "Inbox"): every message fetched from the hub's mailbox, stored
 * exactly as the hub signed it before it is acknowledged (so none is lost), with what the node
 * did with it; and, per stored check, the corrections that changed what its answer listed.
 */
import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { checks } from './checks.table.js';
import { checkVerdict } from './enums.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const inboxMessages = pgTable(
  'inbox_messages',
  {
    /** The hub's seq: the message's identity, so a message fetched twice is stored once. */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    /** The body's `type` (`correction`, …; unknown types are kept as received). */
    type: text('type').notNull(),
    /** The hub's createdAt. */
    createdAt: stamp('created_at').notNull(),
    receivedAt: stamp('received_at').notNull(),
    /** The hub-signed message, exactly as received. */
    jws: text('jws').notNull(),
    /**
     * What the node did: `applied` (a correction changed a check), `no_change`, `unknown_check`
     * (no local check has that id), `refused` (the message failed verification: see detail),
     * `unsupported` (a type this version does not know; kept for a later version).
     */
    outcome: text('outcome').notNull(),
    detail: text('detail'),
  },
  (t) => [index('inbox_messages_received_idx').on(t.receivedAt)],
);

export const checkCorrections = pgTable(
  'check_corrections',
  {
    /** The inbox message that carried it. */
    seq: bigint('seq', { mode: 'number' })
      .primaryKey()
      .references(() => inboxMessages.seq),
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id),
    /** The statement the check's answer listed, and the one that now stands (null: expunged). */
    attestationId: text('attestation_id').notNull(),
    currentId: text('current_id'),
    currentStatus: text('current_status'),
    /** The hub's list of what changed ({ field, from, to }[]). */
    changes: jsonb('changes').$type<unknown>().notNull(),
    verdictBefore: checkVerdict('verdict_before').notNull(),
    verdictAfter: checkVerdict('verdict_after').notNull(),
    receivedAt: stamp('received_at').notNull(),
  },
  (t) => [index('check_corrections_check_idx').on(t.checkId)],
);
