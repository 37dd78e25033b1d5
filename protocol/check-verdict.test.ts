import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_KEY_KINDS, type MatchKeyKind } from '../crypto/match-key-kind.js';
import { CATEGORIES } from './categories.js';
import type { CheckPolicy } from './check-request.js';
import {
  assessMatch,
  BASIS_REASONS,
  computeVerdict,
  LIMIT_REASONS,
  lookbackCutoff,
  type VerdictInput,
} from './check-verdict.js';
import { examplePolicy } from './test-support/examples.js';

const CHECKED_AT = '2025-06-01T12:00:00Z';
const match = (o: Partial<VerdictInput> = {}): VerdictInput => ({
  attestationId: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
  category: 'termination',
  useOfForce: false,
  outcomeDate: '2020-03-01',
  status: 'final',
  disputed: null,
  matchedKinds: ['ssn'],
  contradictedKinds: [],
  ...o,
});
const assess = (o: Partial<VerdictInput>, p: Partial<CheckPolicy> = {}) => {
  const a = assessMatch(match(o), examplePolicy(p), CHECKED_AT);
  return [a.effect, ...a.reasons].join(' ');
};
// examplePolicy: disqualifying termination, decertification, criminal_conviction_on_duty;
// review resignation/retirement under investigation, suspension; others review; use of force at least review.

describe('assessMatch: the basis', () => {
  it('makes a final, strongly matched record in a disqualifying category a finding', () => {
    expect(assess({})).toBe('finding disqualifying_category');
  });

  it('sends review categories to review and other categories where the policy says', () => {
    expect(assess({ category: 'suspension' })).toBe('review review_category');
    expect(assess({ category: 'sustained_serious_misconduct' })).toBe('review other_category');
    expect(
      assess(
        { category: 'sustained_serious_misconduct' },
        { otherCategories: 'ignore', useOfForce: 'by_category' },
      ),
    ).toBe('none not_in_policy');
  });

  it('raises a use-of-force record to the policy’s use-of-force class, never lowers it', () => {
    const other = { category: 'sustained_serious_misconduct' as const, useOfForce: true };
    expect(assess(other, { otherCategories: 'ignore' })).toBe('review use_of_force');
    expect(assess(other, { otherCategories: 'ignore', useOfForce: 'by_category' })).toBe(
      'none not_in_policy',
    );
    expect(
      assess({ category: 'suspension', useOfForce: true }, { useOfForce: 'disqualifying' }),
    ).toBe('finding use_of_force');
    expect(assess({ category: 'suspension', useOfForce: true })).toBe('review review_category');
    expect(assess({ useOfForce: true }, { useOfForce: 'at_least_review' })).toBe(
      'finding disqualifying_category',
    );
    expect(
      assess({ category: 'suspension', useOfForce: false }, { useOfForce: 'disqualifying' }),
    ).toBe('review review_category');
  });

  it('never counts an overturned record', () => {
    expect(assess({ status: 'overturned' })).toBe('none overturned');
    expect(
      assess(
        { status: 'overturned', useOfForce: true, matchedKinds: ['last_dob'] },
        { useOfForce: 'disqualifying' },
      ),
    ).toBe('none overturned');
  });
});

describe('assessMatch: the limits', () => {
  it('turns non-final records into review (only final records are findings)', () => {
    expect(assess({ status: 'notice_sent' })).toBe('review disqualifying_category not_final');
    expect(assess({ status: 'pending_appeal' })).toBe('review disqualifying_category not_final');
    expect(assess({ status: 'pending_appeal', category: 'suspension' })).toBe(
      'review review_category not_final',
    );
  });

  it('never lets a weak-only match be a finding', () => {
    expect(assess({ matchedKinds: ['last_dob'] })).toBe('review disqualifying_category weak_match');
    expect(assess({ matchedKinds: ['last_dob', 'name_dob'] })).toBe(
      'finding disqualifying_category',
    );
  });

  it('honours the policy’s finding strength', () => {
    expect(assess({ matchedKinds: ['name_dob'] })).toBe('finding disqualifying_category');
    expect(assess({ matchedKinds: ['name_dob'] }, { findingStrength: 'strong' })).toBe(
      'review disqualifying_category below_finding_strength',
    );
    expect(assess({ matchedKinds: ['license', 'name_dob'] }, { findingStrength: 'strong' })).toBe(
      'finding disqualifying_category',
    );
    // weak is reported as weak_match only, not also below_finding_strength.
    expect(assess({ matchedKinds: ['last_dob'] }, { findingStrength: 'strong' })).toBe(
      'review disqualifying_category weak_match',
    );
  });

  it('limits outcomes older than the lookback, counting from the check’s date', () => {
    expect(lookbackCutoff(CHECKED_AT, 5)).toBe('2020-06-01');
    expect(assess({ outcomeDate: '2020-06-01' }, { lookbackYears: 5 })).toBe(
      'finding disqualifying_category',
    );
    expect(assess({ outcomeDate: '2020-05-31' }, { lookbackYears: 5 })).toBe(
      'review disqualifying_category outside_lookback',
    );
    expect(assess({ outcomeDate: '1990-01-01' }, { lookbackYears: null })).toBe(
      'finding disqualifying_category',
    );
    // From 29 February the cut-off falls between 28 February and 1 March of a common year.
    expect(lookbackCutoff('2024-02-29T00:00:00Z', 1)).toBe('2023-02-29');
    const leap = (outcomeDate: string) =>
      assessMatch(
        match({ outcomeDate }),
        examplePolicy({ lookbackYears: 1 }),
        '2024-02-29T00:00:00Z',
      ).effect;
    expect(leap('2023-02-28')).toBe('review');
    expect(leap('2023-03-01')).toBe('finding');
  });

  it('makes a disputed record review only when the policy says so', () => {
    const disputed = { since: '2020-04-01' };
    expect(assess({ disputed })).toBe('finding disqualifying_category');
    expect(assess({ disputed }, { disputed: 'review' })).toBe(
      'review disqualifying_category disputed',
    );
  });

  it('lists every limit that holds, in a fixed order, also on review records', () => {
    expect(
      assess(
        {
          status: 'notice_sent',
          matchedKinds: ['last_dob'],
          outcomeDate: '2001-01-01',
          disputed: { since: '2001-02-01' },
        },
        { lookbackYears: 10, disputed: 'review' },
      ),
    ).toBe('review disqualifying_category not_final weak_match outside_lookback disputed');
    expect(assess({ category: 'suspension', matchedKinds: ['last_dob'] })).toBe(
      'review review_category weak_match',
    );
  });
});

describe('computeVerdict', () => {
  const p = examplePolicy();

  it('is no_record without matches', () => {
    expect(computeVerdict([], p, CHECKED_AT)).toEqual({ verdict: 'no_record', reasons: [] });
  });

  it('takes the strongest effect over the matches, keeping one assessment per match in order', () => {
    const a = match({
      attestationId: '0190f1c2-3b4a-7c5d-8e6f-000000000001',
      status: 'overturned',
    });
    const b = match({
      attestationId: '0190f1c2-3b4a-7c5d-8e6f-000000000002',
      category: 'suspension',
    });
    const c = match({ attestationId: '0190f1c2-3b4a-7c5d-8e6f-000000000003' });
    expect(computeVerdict([a], p, CHECKED_AT).verdict).toBe('no_record');
    expect(computeVerdict([a, b], p, CHECKED_AT).verdict).toBe('review');
    const all = computeVerdict([a, b, c], p, CHECKED_AT);
    expect(all.verdict).toBe('record_found');
    expect(all.reasons.map((r) => r.attestationId)).toEqual([a, b, c].map((m) => m.attestationId));
  });
});

const arbPolicy: fc.Arbitrary<CheckPolicy> = fc
  .record({
    split: fc.array(fc.constantFrom(0, 1, 2), {
      minLength: CATEGORIES.length,
      maxLength: CATEGORIES.length,
    }),
    otherCategories: fc.constantFrom('review' as const, 'ignore' as const),
    useOfForce: fc.constantFrom(
      'by_category' as const,
      'at_least_review' as const,
      'disqualifying' as const,
    ),
    findingStrength: fc.constantFrom('strong' as const, 'moderate' as const),
    lookbackYears: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
    disputed: fc.constantFrom('count' as const, 'review' as const),
  })
  .map(({ split, ...rest }) => ({
    categoryList: 1,
    disqualifying: CATEGORIES.filter((_, i) => split[i] === 1),
    review: CATEGORIES.filter((_, i) => split[i] === 2),
    ...rest,
  }));

const arbKinds = fc.uniqueArray(fc.constantFrom(...MATCH_KEY_KINDS), {
  minLength: 1,
  maxLength: 4,
});
const arbMatch: fc.Arbitrary<VerdictInput> = fc.record({
  attestationId: fc.uuid({ version: 7 }),
  category: fc.constantFrom(...CATEGORIES),
  useOfForce: fc.boolean(),
  outcomeDate: fc
    .date({ min: new Date('1950-01-01'), max: new Date('2025-06-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  status: fc.constantFrom(
    'notice_sent' as const,
    'pending_appeal' as const,
    'final' as const,
    'overturned' as const,
  ),
  disputed: fc.option(fc.constant({ since: '2020-01-01' }), { nil: null }),
  matchedKinds: arbKinds as fc.Arbitrary<MatchKeyKind[]>,
  contradictedKinds: fc.constantFrom([], ['ssn' as const]),
});
const RANK = { no_record: 0, review: 1, record_found: 2 } as const;

describe('verdict properties', () => {
  it('a match under a contradicting SSN is never a finding, under any policy', () => {
    fc.assert(
      fc.property(arbPolicy, arbMatch, (policy, m) => {
        const a = assessMatch({ ...m, contradictedKinds: ['ssn'] }, policy, CHECKED_AT);
        expect(a.effect).not.toBe('finding');
        if (a.effect !== 'none') expect(a.reasons).toContain('contradicted');
      }),
    );
  });

  it('a weak-only match is never a finding, under any policy', () => {
    fc.assert(
      fc.property(arbMatch, arbPolicy, (m, p) => {
        const a = assessMatch({ ...m, matchedKinds: ['last_dob'] }, p, CHECKED_AT);
        expect(a.effect).not.toBe('finding');
      }),
    );
  });

  it('only final records are findings, and overturned records never count', () => {
    fc.assert(
      fc.property(arbMatch, arbPolicy, (m, p) => {
        const a = assessMatch(m, p, CHECKED_AT);
        if (m.status !== 'final') expect(a.effect).not.toBe('finding');
        if (m.status === 'overturned')
          expect(a).toEqual({
            attestationId: m.attestationId,
            effect: 'none',
            reasons: ['overturned'],
          });
      }),
    );
  });

  it('lists one basis first, then distinct limits in their fixed order, and none when nothing counts', () => {
    fc.assert(
      fc.property(arbMatch, arbPolicy, (m, p) => {
        const { effect, reasons } = assessMatch(m, p, CHECKED_AT);
        expect(BASIS_REASONS).toContain(reasons[0]);
        const limits = reasons.slice(1) as string[];
        expect(limits).toEqual(LIMIT_REASONS.filter((l) => limits.includes(l)));
        if (effect === 'none') expect(reasons).toHaveLength(1);
        if (effect === 'finding') expect(limits).toEqual([]);
      }),
    );
  });

  it('never lowers the verdict when a match is added, and ignores match order', () => {
    fc.assert(
      fc.property(fc.array(arbMatch, { maxLength: 6 }), arbMatch, arbPolicy, (ms, extra, p) => {
        const before = computeVerdict(ms, p, CHECKED_AT);
        const after = computeVerdict([...ms, extra], p, CHECKED_AT);
        expect(RANK[after.verdict]).toBeGreaterThanOrEqual(RANK[before.verdict]);
        expect(computeVerdict([...ms].reverse(), p, CHECKED_AT).verdict).toBe(before.verdict);
      }),
    );
  });

  it('never lowers a verdict when a category moves from review to disqualifying', () => {
    fc.assert(
      fc.property(fc.array(arbMatch, { maxLength: 6 }), arbPolicy, (ms, p) => {
        const moved = { ...p, disqualifying: [...p.disqualifying, ...p.review], review: [] };
        expect(RANK[computeVerdict(ms, moved, CHECKED_AT).verdict]).toBeGreaterThanOrEqual(
          RANK[computeVerdict(ms, p, CHECKED_AT).verdict],
        );
      }),
    );
  });
});
