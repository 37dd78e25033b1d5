/**
 * The transparency log's storage (docs/transparency.md, "Storage"):
 *
 * - `log_entries`: one row per leaf, its canonical entry text and RFC 9162 leaf hash. An
 *   attestation's row also keeps the statement id and the salt of its commitment, so the hub
 *   can hand out inclusion evidence; expungement nulls both and keeps entry and hash.
 * - `log_nodes`: the hash of every *perfect* subtree ever completed, leaves (level 0) included.
 *   Proofs and appends read only these (crypto/merkle/proof-plan.ts, compact-range.ts).
 * - `log_head`: one row, the current size and root. Every appender locks it FOR UPDATE inside
 *   its transaction: that row lock is the single-writer guarantee, across hub replicas too.
 * - `log_checkpoints`: every checkpoint the hub signed (C2SP signed note), by size.
 * - `log_cosignatures`: witness cosignature lines, one per (size, witness agency).
 * - `log_expungements`: the record of each court-ordered expungement.
 *
 * Hashes and salts are base64url text, as the hub stores hub indexes: the same on both drivers.
 * Indexes and sizes are bigint columns read as JS numbers (far below 2^53, see crypto/merkle).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
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

export const logEntries = pgTable(
  'log_entries',
  {
    index: bigint('index', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** The entry's canonical JSON (protocol/tlog.ts); the leaf is its RFC 9162 hash. */
    entry: text('entry').notNull(),
    leafHash: text('leaf_hash').notNull(),
    /** The attestation this leaf commits to; null for other kinds and after expungement. */
    statementId: text('statement_id'),
    /** The commitment's 32-byte salt; null for other kinds and after expungement. */
    salt: text('salt'),
    appendedAt: timestamp('appended_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('log_entries_statement_id_unique')
      .on(t.statementId)
      .where(sql`${t.statementId} is not null`),
    // Not unique: two entries may have the same text (e.g. an agency suspended, reinstated and
    // suspended again within one second). Proof by leaf hash takes the first.
    index('log_entries_leaf_hash_idx').on(t.leafHash, t.index),
    check(
      'log_entries_kind_check',
      sql`${t.kind} in ('attestation', 'agency', 'keyholder_key', 'certification', 'credentialing_body', 'credential', 'credential_revocation', 'credential_affirmation', 'statistics_release')`,
    ),
  ],
);

export const logNodes = pgTable(
  'log_nodes',
  {
    level: integer('level').notNull(),
    index: bigint('index', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

export const logHead = pgTable(
  'log_head',
  {
    /** Always true: the table holds one row. */
    singleton: boolean('singleton').primaryKey().default(true),
    size: bigint('size', { mode: 'number' }).notNull(),
    root: text('root').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [check('log_head_singleton_check', sql`${t.singleton}`)],
);

export const logCheckpoints = pgTable('log_checkpoints', {
  size: bigint('size', { mode: 'number' }).primaryKey(),
  root: text('root').notNull(),
  /** The signed note as the hub signed it, without cosignatures. */
  note: text('note').notNull(),
  issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const logCosignatures = pgTable(
  'log_cosignatures',
  {
    size: bigint('size', { mode: 'number' })
      .notNull()
      .references(() => logCheckpoints.size),
    /** The witness agency. */
    ori: text('ori').notNull(),
    keyName: text('key_name').notNull(),
    /** The C2SP signature line, with its newline. */
    line: text('line').notNull(),
    /** The witness's timestamp (POSIX seconds) from the cosignature. */
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.size, t.ori] })],
);

export const logExpungements = pgTable('log_expungements', {
  attestationId: text('attestation_id').primaryKey(),
  /** The leaf that stays in the log, now without salt. */
  logIndex: bigint('log_index', { mode: 'number' }),
  issuer: text('issuer').notNull(),
  orderRef: text('order_ref').notNull(),
  expungedBy: text('expunged_by').notNull(),
  expungedAt: timestamp('expunged_at', { withTimezone: true, mode: 'date' }).notNull(),
});
