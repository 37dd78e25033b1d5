/**
 * The verdict of a check under the requester's policy (docs/protocol.md §5.9). Pure and
 * deterministic: the hub computes it before signing the response, and the requesting node (or
 * anyone holding the response) recomputes it from the signed matches and policy.
 *
 * Per match, in this order:
 * 1. basis — overturned records never count (`overturned`, effect none). Otherwise the category
 *    class: `disqualifying_category` → finding, `review_category` → review, else
 *    `other_category` → review when otherCategories = review, or `not_in_policy` → none. When the
 *    record involved use of force and the policy's useOfForce rule gives a higher class
 *    (at_least_review → review, disqualifying → finding), the basis is `use_of_force`.
 * 2. limits — when the effect is not none, every condition that holds is listed after the basis,
 *    in this order: `not_final` (notice_sent, pending_appeal), `weak_match` (only weak keys
 *    matched), `below_finding_strength` (moderate when the policy asks for strong),
 *    `contradicted` (a key of a kind at least as strong as the match differs on the two sides:
 *    the same name and date of birth under two different SSNs),
 *    `outside_lookback` (outcomeDate before the lookback cut-off), `disputed` (policy review).
 *    Any limit turns a finding into review: only final records count as findings, and a weak
 *    match is never more than a lead.
 * The verdict is record_found if any match is a finding, else review if any is review, else
 * no_record. A hit is still a pointer: record_found means "confirm with the reporting agency".
 */
import {
  MATCH_KEY_STRENGTH,
  MATCH_STRENGTHS,
  strongest,
  type MatchKeyKind,
  type MatchStrength,
} from '../crypto/match-key-kind.js';
import type { AttestationStatus } from './attestation.js';
import type { Category } from './categories.js';
import type { CheckPolicy } from './check-request.js';
import type { IsoDate, Timestamp } from './common.js';

export const VERDICTS = ['record_found', 'review', 'no_record'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const EFFECTS = ['finding', 'review', 'none'] as const;
export type Effect = (typeof EFFECTS)[number];

export const BASIS_REASONS = [
  'disqualifying_category',
  'review_category',
  'use_of_force',
  'other_category',
  'not_in_policy',
  'overturned',
] as const;
export const LIMIT_REASONS = [
  'not_final',
  'weak_match',
  'below_finding_strength',
  'contradicted',
  'outside_lookback',
  'disputed',
] as const;
export const REASON_CODES = [...BASIS_REASONS, ...LIMIT_REASONS] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** What the verdict reads from a match (a subset of CheckMatch, §5.8). */
export interface VerdictInput {
  readonly attestationId: string;
  readonly category: Category;
  readonly useOfForce: boolean;
  readonly outcomeDate: IsoDate;
  readonly status: AttestationStatus;
  readonly disputed: { readonly since: IsoDate } | null;
  readonly matchedKinds: readonly MatchKeyKind[];
  readonly contradictedKinds: readonly MatchKeyKind[];
}

export interface MatchAssessment {
  readonly attestationId: string;
  readonly effect: Effect;
  /** The basis first, then the limits that hold, in the order of LIMIT_REASONS. */
  readonly reasons: readonly ReasonCode[];
}

export interface VerdictResult {
  readonly verdict: Verdict;
  /** One assessment per match, in the order of the matches. */
  readonly reasons: readonly MatchAssessment[];
}

const RANK: Record<Effect, number> = { none: 0, review: 1, finding: 2 };

function atLeastAsStrong(a: MatchStrength, b: MatchStrength): boolean {
  return MATCH_STRENGTHS.indexOf(a) <= MATCH_STRENGTHS.indexOf(b);
}

/**
 * The first outcome date still inside the lookback window: the check's calendar date moved
 * back `years` years. Dates compare as strings, so 02-29 needs no special case.
 */
export function lookbackCutoff(checkedAt: Timestamp, years: number): IsoDate {
  const year = Number(checkedAt.slice(0, 4)) - years;
  return `${String(year).padStart(4, '0')}${checkedAt.slice(4, 10)}`;
}

export function assessMatch(
  match: VerdictInput,
  policy: CheckPolicy,
  checkedAt: Timestamp,
): MatchAssessment {
  const id = match.attestationId;
  if (match.status === 'overturned' || match.status === 'retracted' || match.status === 'expired') {
    // Retracted and expired records never reach a response (§5.8); kept total for safety.
    return { attestationId: id, effect: 'none', reasons: ['overturned'] };
  }

  let effect: Effect;
  let basis: ReasonCode;
  if (policy.disqualifying.includes(match.category)) {
    [effect, basis] = ['finding', 'disqualifying_category'];
  } else if (policy.review.includes(match.category)) {
    [effect, basis] = ['review', 'review_category'];
  } else if (policy.otherCategories === 'review') {
    [effect, basis] = ['review', 'other_category'];
  } else {
    [effect, basis] = ['none', 'not_in_policy'];
  }
  if (match.useOfForce && policy.useOfForce !== 'by_category') {
    const raised: Effect = policy.useOfForce === 'disqualifying' ? 'finding' : 'review';
    if (RANK[raised] > RANK[effect]) [effect, basis] = [raised, 'use_of_force'];
  }
  if (effect === 'none') return { attestationId: id, effect, reasons: [basis] };

  const strength = strongest(match.matchedKinds.map((k) => MATCH_KEY_STRENGTH[k])) ?? 'weak';
  const limits: ReasonCode[] = [];
  if (match.status !== 'final') limits.push('not_final');
  if (strength === 'weak') limits.push('weak_match');
  if (strength === 'moderate' && policy.findingStrength === 'strong') {
    limits.push('below_finding_strength');
  }
  if (match.contradictedKinds.some((k) => atLeastAsStrong(MATCH_KEY_STRENGTH[k], strength))) {
    limits.push('contradicted');
  }
  if (
    policy.lookbackYears !== null &&
    match.outcomeDate < lookbackCutoff(checkedAt, policy.lookbackYears)
  ) {
    limits.push('outside_lookback');
  }
  if (match.disputed !== null && policy.disputed === 'review') limits.push('disputed');

  if (effect === 'finding' && limits.length > 0) effect = 'review';
  return { attestationId: id, effect, reasons: [basis, ...limits] };
}

export function computeVerdict(
  matches: readonly VerdictInput[],
  policy: CheckPolicy,
  checkedAt: Timestamp,
): VerdictResult {
  const reasons = matches.map((m) => assessMatch(m, policy, checkedAt));
  const top = reasons.reduce((best, a) => Math.max(best, RANK[a.effect]), 0);
  const verdict: Verdict = top === 2 ? 'record_found' : top === 1 ? 'review' : 'no_record';
  return { verdict, reasons };
}
