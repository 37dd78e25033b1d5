/**
 * The check audit (design brief §6, §10): who checked, when, why, under which consent, and
 * how many records matched. It never holds the request's hub indexes — not even of the keys
 * that matched — nor anything that names the candidate: the matched attestation ids are
 * enough to tell an officer later who looked them up.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const checkAudit = pgTable(
  'check_audit',
  {
    checkId: text('check_id').primaryKey(),
    requester: text('requester').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }).notNull(),
    purpose: text('purpose').notNull(),
    consentRef: text('consent_ref').notNull(),
    epoch: integer('epoch').notNull(),
    /** How many keys the request carried (a count, never the keys). */
    keyCount: integer('key_count').notNull(),
    /** `answered`, or `too_many_matches` when the hub refused to answer (§5.8.1). */
    outcome: text('outcome').notNull(),
    matchCount: integer('match_count').notNull(),
    /** Ids of the matched statements; empty when refused. */
    matchedAttestationIds: text('matched_attestation_ids').array().notNull(),
  },
  (t) => [
    index('check_audit_requester_idx').on(t.requester, t.checkedAt),
    // Corrections find the checks that listed a statement (hub/mailbox/corrections.repository.ts,
    // `matched_attestation_ids && array[…]`): an index, not a scan of every check ever made.
    index('check_audit_matched_ids_idx').using('gin', t.matchedAttestationIds),
    check('check_audit_outcome_check', sql`${t.outcome} in ('answered', 'too_many_matches')`),
  ],
);
