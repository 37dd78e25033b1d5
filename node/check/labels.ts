/**
 * Words for people: what each code of a check answer means, in the terms an investigator or a
 * hiring officer uses. Wording only; the meaning is fixed by docs/protocol.md §5.8–§5.9.
 */
import type { MatchKeyKind, MatchStrength } from '../../crypto/match-key-kind.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Effect, ReasonCode, Verdict } from '../../protocol/check-verdict.js';

export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  record_found: 'Record found',
  review: 'Review needed',
  no_record: 'No record found',
};

export const VERDICT_SUMMARIES: Readonly<Record<Verdict, string>> = {
  record_found:
    'At least one matching record is disqualifying under your policy, once the reporting agency confirms it.',
  review: 'At least one matching record needs a person to review it under your policy.',
  no_record: 'No matching record counts under your policy.',
};

/** Shown with every answer that lists a match. */
export const HIT_REMINDER =
  'A match is a pointer, not a finding. Before acting on it, confirm with the reporting ' +
  'agency that the candidate is the person in its record and that the record is as stated; ' +
  'request the record from its records contact, with the candidate’s signed consent.';

/** Shown with an answer that lists no match. */
export const NO_MATCH_NOTE =
  'No attestation at the hub matched these identifiers. This is not proof that no record ' +
  'exists: an agency may not have reported, or may hold different identifiers.';

export const STATUS_LABELS: Readonly<Record<AttestationStatus, string>> = {
  notice_sent: 'notice sent (the officer may still respond or appeal)',
  pending_appeal: 'pending appeal',
  final: 'final',
  overturned: 'overturned (does not count)',
  retracted: 'retracted',
  expired: 'expired',
};

export const KIND_LABELS: Readonly<Record<MatchKeyKind, string>> = {
  ssn: 'Social Security number',
  license: 'peace-officer licence number',
  name_dob: 'full name and date of birth',
  last_dob: 'last name and date of birth',
};

export const STRENGTH_LABELS: Readonly<Record<MatchStrength, string>> = {
  strong: 'strong',
  moderate: 'moderate',
  weak: 'weak (a lead for review only)',
};

export const EFFECT_LABELS: Readonly<Record<Effect, string>> = {
  finding: 'disqualifying once confirmed',
  review: 'needs review',
  none: 'does not count',
};

export const REASON_LABELS: Readonly<Record<ReasonCode, string>> = {
  disqualifying_category: 'your policy treats this category as disqualifying',
  review_category: 'your policy asks for a review of this category',
  use_of_force: 'use of force was involved, which your policy raises',
  other_category: 'the category is in neither of your lists; your policy reviews such records',
  not_in_policy: 'the category is outside your policy; listed for information',
  overturned: 'the outcome was overturned',
  not_final: 'the outcome is not final yet',
  weak_match: 'only the last name and date of birth matched',
  below_finding_strength: 'the match is weaker than your policy requires for a finding',
  contradicted:
    "the record carries a Social Security number that differs from the candidate's: a namesake, or a typing error on either side",
  outside_lookback: 'the outcome is older than your policy’s lookback period',
  disputed: 'the officer disputes the record',
};
