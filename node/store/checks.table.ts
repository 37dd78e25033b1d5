/**
 * Checks this node has made. A check is the hiring agency's own record of having asked, kept
 * for its hiring file: who asked, why, under which consent, and the hub's signed answer.
 * Deliberately absent: the candidate's identifiers, match keys and tokens. A background unit
 * keeps the candidate's identity in its own case file; `candidate_ref` is the reference to
 * that file the user chooses to give (free text, local only). The signed response carries
 * hub indexes of the candidate's keys, which are pseudonymous and already held by the hub.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { checkPurpose, checkState, checkVerdict } from './enums.table.js';

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const checks = pgTable(
  'checks',
  {
    /** Node-generated UUIDv7, so the user can cite the check before the hub answers. */
    id: uuid('id').primaryKey(),
    purpose: checkPurpose('purpose').notNull(),
    /** Reference to the candidate's signed consent; sent to the hub (opaque, §5.7). */
    consentRef: text('consent_ref').notNull(),
    /** The user's own reference to the candidate's file; never sent. */
    candidateRef: text('candidate_ref'),
    /** The local user who asked (an investigator's login name). */
    requestedBy: text('requested_by').notNull(),
    state: checkState('state').notNull().default('pending'),
    /** The hub's checkId from the signed response. */
    hubCheckId: uuid('hub_check_id'),
    /** The hub's signed check response (compact JWS), exactly as received. */
    responseJws: text('response_jws'),
    /**
     * The whole answer as received (docs/protocol.md §5.8.2): the signed response, the
     * attestations and their transparency-log evidence (checkpoint, inclusion proofs), so the
     * hiring file holds an answer anyone can verify again without asking the hub.
     */
    answer: jsonb('answer').$type<unknown>(),
    /**
     * The evidence bundle (protocol/check-evidence.ts) as built when the answer was verified:
     * the answer, the registry entries and hub keys it was verified with. Kept so the hiring
     * file can download it again later (the console's past checks); no identifier in it.
     */
    evidence: jsonb('evidence').$type<unknown>(),
    verdict: checkVerdict('verdict'),
    matchCount: integer('match_count'),
    /** Why the check failed (a problem or node error code). */
    errorCode: text('error_code'),
    createdAt: stamp('created_at').notNull(),
    answeredAt: stamp('answered_at'),
    /**
     * After corrections (node/inbox): the verdict the answer would have now, under the same
     * policy, and the matches it rests on, keyed by the attestationId the answer listed (null:
     * no longer shown). Null until a correction arrives; `verdict` stays the hub's answer.
     */
    currentVerdict: checkVerdict('current_verdict'),
    currentMatches: jsonb('current_matches').$type<unknown>(),
    correctedAt: stamp('corrected_at'),
  },
  (t) => [index('checks_created_idx').on(t.createdAt)],
);
