/**
 * Verdict vectors (docs/protocol.md §5.9): a policy, the check time and the matches (the
 * members the verdict reads), with the verdict and per-match reasons written here by hand.
 */
import type {
  CheckPolicy,
  MatchAssessment,
  Verdict,
  VerdictInput,
} from '../../../protocol/index.js';
import { examplePolicy } from '../../../protocol/test-support/examples.js';

export interface VerdictCase {
  readonly name: string;
  readonly policy: CheckPolicy;
  readonly checkedAt: string;
  readonly matches: readonly VerdictInput[];
  readonly expect: { readonly verdict: Verdict; readonly reasons: readonly MatchAssessment[] };
}

const ID = (n: number) => `0190f1c2-3b4a-7c5d-8e6f-${String(n).padStart(12, '0')}`;
const AT = '2025-06-01T12:00:00Z';
const m = (n: number, o: Partial<VerdictInput> = {}): VerdictInput => ({
  attestationId: ID(n),
  category: 'termination',
  useOfForce: false,
  outcomeDate: '2021-03-01',
  status: 'final',
  disputed: null,
  matchedKinds: ['ssn'],
  contradictedKinds: [],
  ...o,
});
const r = (
  n: number,
  effect: MatchAssessment['effect'],
  ...reasons: MatchAssessment['reasons'][number][]
): MatchAssessment => ({
  attestationId: ID(n),
  effect,
  reasons,
});

/** Policy of the vectors: examplePolicy (termination, decertification, conviction disqualify). */
export function buildVerdictCases(): VerdictCase[] {
  const p = examplePolicy();
  const c = (
    name: string,
    policy: CheckPolicy,
    matches: VerdictInput[],
    verdict: Verdict,
    reasons: MatchAssessment[],
  ): VerdictCase => ({
    name,
    policy,
    checkedAt: AT,
    matches,
    expect: { verdict, reasons },
  });
  return [
    c('no match', p, [], 'no_record', []),
    c('final disqualifying record, strong match', p, [m(1)], 'record_found', [
      r(1, 'finding', 'disqualifying_category'),
    ]),
    c(
      'moderate match counts by default',
      p,
      [m(1, { matchedKinds: ['name_dob', 'last_dob'] })],
      'record_found',
      [r(1, 'finding', 'disqualifying_category')],
    ),
    c(
      'moderate match below a strong-only policy',
      examplePolicy({ findingStrength: 'strong' }),
      [m(1, { matchedKinds: ['name_dob'] })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'below_finding_strength')],
    ),
    c(
      'namesake: a name-and-date match under a different SSN is review, never a finding',
      p,
      [m(1, { matchedKinds: ['name_dob', 'last_dob'], contradictedKinds: ['ssn'] })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'contradicted')],
    ),
    c(
      'a licence match under a different SSN is review: two strong keys disagree',
      p,
      [m(1, { matchedKinds: ['license'], contradictedKinds: ['ssn'] })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'contradicted')],
    ),
    c(
      'contradicted after below_finding_strength and before outside_lookback',
      examplePolicy({ findingStrength: 'strong', lookbackYears: 1 }),
      [m(1, { matchedKinds: ['name_dob'], contradictedKinds: ['ssn'] })],
      'review',
      [
        r(
          1,
          'review',
          'disqualifying_category',
          'below_finding_strength',
          'contradicted',
          'outside_lookback',
        ),
      ],
    ),
    c(
      'a contradicted weak match lists both limits',
      p,
      [m(1, { matchedKinds: ['last_dob'], contradictedKinds: ['ssn'] })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'weak_match', 'contradicted')],
    ),
    c(
      'a contradiction of a record outside the policy changes nothing',
      p,
      [m(1, { category: 'suspension', matchedKinds: ['name_dob'], contradictedKinds: ['ssn'] })],
      'review',
      [r(1, 'review', 'review_category', 'contradicted')],
    ),
    c('weak-only match is never a finding', p, [m(1, { matchedKinds: ['last_dob'] })], 'review', [
      r(1, 'review', 'disqualifying_category', 'weak_match'),
    ]),
    c('pending appeal is review', p, [m(1, { status: 'pending_appeal' })], 'review', [
      r(1, 'review', 'disqualifying_category', 'not_final'),
    ]),
    c('notice sent is review', p, [m(1, { status: 'notice_sent' })], 'review', [
      r(1, 'review', 'disqualifying_category', 'not_final'),
    ]),
    c('overturned record does not count', p, [m(1, { status: 'overturned' })], 'no_record', [
      r(1, 'none', 'overturned'),
    ]),
    c('review category', p, [m(1, { category: 'suspension' })], 'review', [
      r(1, 'review', 'review_category'),
    ]),
    c(
      'other category under otherCategories review',
      p,
      [m(1, { category: 'sustained_serious_misconduct' })],
      'review',
      [r(1, 'review', 'other_category')],
    ),
    c(
      'other category ignored',
      examplePolicy({ otherCategories: 'ignore', useOfForce: 'by_category' }),
      [m(1, { category: 'sustained_serious_misconduct', useOfForce: true })],
      'no_record',
      [r(1, 'none', 'not_in_policy')],
    ),
    c(
      'use of force raises an ignored category to review',
      examplePolicy({ otherCategories: 'ignore' }),
      [m(1, { category: 'sustained_serious_misconduct', useOfForce: true })],
      'review',
      [r(1, 'review', 'use_of_force')],
    ),
    c(
      'use of force disqualifies under a strict policy',
      examplePolicy({ useOfForce: 'disqualifying' }),
      [m(1, { category: 'suspension', useOfForce: true })],
      'record_found',
      [r(1, 'finding', 'use_of_force')],
    ),
    c(
      'outcome just inside the lookback',
      examplePolicy({ lookbackYears: 5 }),
      [m(1, { outcomeDate: '2020-06-01' })],
      'record_found',
      [r(1, 'finding', 'disqualifying_category')],
    ),
    c(
      'outcome just outside the lookback',
      examplePolicy({ lookbackYears: 5 }),
      [m(1, { outcomeDate: '2020-05-31' })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'outside_lookback')],
    ),
    c('disputed record counted', p, [m(1, { disputed: { since: '2021-04-01' } })], 'record_found', [
      r(1, 'finding', 'disqualifying_category'),
    ]),
    c(
      'disputed record reviewed',
      examplePolicy({ disputed: 'review' }),
      [m(1, { disputed: { since: '2021-04-01' } })],
      'review',
      [r(1, 'review', 'disqualifying_category', 'disputed')],
    ),
    c(
      'every limit at once',
      examplePolicy({ lookbackYears: 1, disputed: 'review' }),
      [
        m(1, {
          status: 'notice_sent',
          matchedKinds: ['last_dob'],
          disputed: { since: '2021-03-02' },
        }),
      ],
      'review',
      [
        r(
          1,
          'review',
          'disqualifying_category',
          'not_final',
          'weak_match',
          'outside_lookback',
          'disputed',
        ),
      ],
    ),
    c(
      'the strongest effect decides',
      p,
      [
        m(1, { status: 'overturned' }),
        m(2, { category: 'suspension' }),
        m(3, { category: 'decertification' }),
      ],
      'record_found',
      [
        r(1, 'none', 'overturned'),
        r(2, 'review', 'review_category'),
        r(3, 'finding', 'disqualifying_category'),
      ],
    ),
  ];
}
