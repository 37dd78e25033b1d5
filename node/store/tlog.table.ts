/**
 * The node as a monitor of the hub's transparency log (docs/node.md "Monitor"):
 *
 * - `log_checkpoints`: every checkpoint this node verified (signature, origin, consistency with
 *   the one before), as the signed note received. The largest is "the last verified
 *   checkpoint" every new one must extend; the others are kept as evidence (a signed note is
 *   the hub's own word).
 * - `attestation_log`: where each of our accepted statements sits in the log (index and the
 *   hub's salt, from the receipt) and the tree size at which its inclusion was last verified.
 * - `log_alerts`: what did not verify, with a stable code; one open row per alert key (repeats
 *   count up), closed by a person or, for transient codes, by the next successful pass.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { attestations } from './attestations.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const count = (name: string) => bigint(name, { mode: 'number' });

export const logCheckpoints = pgTable('log_checkpoints', {
  size: count('size').primaryKey(),
  origin: text('origin').notNull(),
  /** base64url of the 32-byte root hash. */
  root: text('root').notNull(),
  /** The signed note as received, cosignature lines included. */
  note: text('note').notNull(),
  /** Where the checkpoint came from: `monitor`, `receipt` or `answer`. */
  source: text('source').notNull(),
  verifiedAt: stamp('verified_at').notNull(),
});

export const attestationLog = pgTable(
  'attestation_log',
  {
    attestationId: uuid('attestation_id')
      .primaryKey()
      .references((): AnyPgColumn => attestations.id, { onDelete: 'cascade' }),
    logIndex: count('log_index').notNull(),
    /** base64url of the hub's 32-byte salt (protocol/tlog.ts statementCommitment). */
    salt: text('salt').notNull(),
    /** The tree size at which the statement's inclusion was last proved. */
    verifiedSize: count('verified_size').notNull(),
    verifiedAt: stamp('verified_at').notNull(),
  },
  (t) => [index('attestation_log_verified_idx').on(t.verifiedSize, t.logIndex)],
);

export const logAlerts = pgTable(
  'log_alerts',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    /** Repeats of an open alert with the same key count up instead of adding rows. */
    alertKey: text('alert_key').notNull(),
    message: text('message').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    /** First raised. */
    at: stamp('at').notNull(),
    lastAt: stamp('last_at').notNull(),
    count: integer('count').notNull().default(1),
    resolvedAt: stamp('resolved_at'),
  },
  (t) => [
    uniqueIndex('log_alerts_open_key')
      .on(t.alertKey)
      .where(sql`resolved_at is null`),
    index('log_alerts_at_idx').on(t.at),
  ],
);
