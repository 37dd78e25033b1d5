/**
 * The keyholder's database (docs/keyholder.md "What it holds"): its key records, per-agency
 * daily counts of evaluated elements, operator-set allowances, and the request-token replay
 * table. Nothing here can hold a request's contents: no column takes an element, a proof or
 * a body. Migrations in ./migrations are generated from this file by drizzle-kit:
 *
 *   npx drizzle-kit generate --config keyholder/drizzle.config.ts --name <change>
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export { requestReplay } from '../platform/db/request-replay.js';

export const keyStatus = pgEnum('key_status', ['active', 'retired']);
/** How `secret_key` is stored: as-is, or sealed with the operator's key-encryption key. */
export const secretProtection = pgEnum('secret_protection', ['none', 'aes-256-gcm']);

/** One record per epoch: the whole key (share 1 of 1) or this keyholder's Shamir share. */
export const oprfKeys = pgTable(
  'oprf_keys',
  {
    /** 1..2^32-1 (docs/protocol.md §4.2), hence bigint. */
    epoch: bigint('epoch', { mode: 'number' }).primaryKey(),
    shareIndex: integer('share_index').notNull(),
    /** t of the key set; 1 for a whole key. */
    threshold: integer('threshold').notNull(),
    /** n of the key set; 1 for a whole key. */
    total: integer('total').notNull(),
    /** K_i, base64url: this keyholder's public share (= K for a whole key). */
    publicKey: text('public_key').notNull(),
    /** K, base64url: the key set's public key. */
    groupPublicKey: text('group_public_key').notNull(),
    /** [K_1 … K_n], base64url: published so a node can verify the key set (§4.7.1). */
    publicShares: jsonb('public_shares').$type<string[]>().notNull(),
    /** base64url of the scalar ('none'), or `<iv>.<ciphertext+tag>` base64url ('aes-256-gcm'). */
    secretKey: text('secret_key').notNull(),
    secretProtection: secretProtection('secret_protection').notNull(),
    /** Identifier of the key-encryption key that sealed the secret (never the key itself). */
    kekId: text('kek_id'),
    status: keyStatus('status').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // The ranges of docs/protocol.md §4.2 and §4.7, so that a hand-edited row cannot slip by.
    check('oprf_keys_epoch_range', sql`${t.epoch} between 1 and 4294967295`),
    check(
      'oprf_keys_set_shape',
      sql`1 <= ${t.threshold} and ${t.threshold} <= ${t.total} and ${t.total} <= 16`,
    ),
    check('oprf_keys_share_range', sql`${t.shareIndex} between 1 and ${t.total}`),
    check('oprf_keys_kek_id', sql`(${t.secretProtection} = 'none') = (${t.kekId} is null)`),
  ],
);

/** Elements evaluated per agency per UTC day: counts only. */
export const quotaUsage = pgTable(
  'quota_usage',
  {
    agencyOri: text('agency_ori').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    evaluated: integer('evaluated').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.agencyOri, t.day] }),
    check('quota_usage_evaluated_positive', sql`${t.evaluated} >= 0`),
  ],
);

/** Operator-set daily allowances (bulk re-tokenization); absent: the configured default. */
export const quotaAllowances = pgTable(
  'quota_allowances',
  {
    agencyOri: text('agency_ori').primaryKey(),
    daily: integer('daily').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [check('quota_allowances_daily_positive', sql`${t.daily} >= 0`)],
);

/**
 * Agencies this keyholder's operator has admitted, each by the key it authenticates with
 * (docs/keyholder.md "Admission"). The hub's registry says who an agency is; it does not decide
 * who may evaluate here: the hub operator controls the registry, and a keyholder that accepted
 * every registered agency would let the hub enrol a made-up agency and test guessed identities
 * against its own pseudonyms. Binding the key (its RFC 7638 thumbprint, the request token's
 * `kid`) and not only the ORI means the hub cannot take over an admitted agency by rotating its
 * registered key either. An ORI and a thumbprint are public registry data, not identifiers of
 * people.
 */
export const admissions = pgTable(
  'admissions',
  {
    agencyOri: text('agency_ori').notNull(),
    kid: text('kid').notNull(),
    admittedAt: timestamp('admitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set when the operator revokes the admission; a revoked key is refused. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    /** The operator's own note (a ticket, who asked): at most 200 characters. */
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.agencyOri, t.kid] }),
    check('admissions_note_length', sql`char_length(${t.note}) <= 200`),
  ],
);

/** Every admission and revocation, in order: the operator's own append-only record of them. */
export const admissionEvents = pgTable(
  'admission_events',
  {
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    action: text('action').notNull(),
    agencyOri: text('agency_ori').notNull(),
    kid: text('kid').notNull(),
    note: text('note'),
  },
  (t) => [check('admission_events_action', sql`${t.action} in ('admit', 'revoke')`)],
);
