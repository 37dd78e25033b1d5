import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coverageOf,
  coverageTier,
  CoverageSchema,
  releaseTier,
  RELEASE_TIERS,
  type CoverageAgency,
} from './statistics-coverage.js';

const agency: fc.Arbitrary<CoverageAgency> = fc.oneof(
  fc.record({ sworn: fc.integer({ min: 0, max: 100_000 }), certified: fc.boolean() }),
  fc.constant({ sworn: null, certified: false }),
);
const agencies = fc.array(agency, { maxLength: 40 });
const rank = (tier: string) => RELEASE_TIERS.indexOf(tier as (typeof RELEASE_TIERS)[number]);

describe('coverage', () => {
  it('is the certified share of the known sworn officers, agencies without a headcount apart', () => {
    fc.assert(
      fc.property(agencies, (list) => {
        const c = coverageOf('2026-Q1', list);
        const known = list.filter((a) => a.sworn !== null);
        expect(c.knownSworn).toBe(known.reduce((s, a) => s + a.sworn!, 0));
        expect(c.certifiedSworn).toBe(
          known.filter((a) => a.certified).reduce((s, a) => s + a.sworn!, 0),
        );
        expect(c.unknownHeadcount).toBe(list.length - known.length);
        expect(c.agencies).toBe(list.length);
        expect(c.certifiedAgencies).toBe(list.filter((a) => a.certified).length);
        expect(CoverageSchema.parse(c)).toEqual(c);
        // The percentage is rounded down, never up, and agrees with the tier's exact comparison.
        if (c.knownSworn > 0) {
          expect(c.percent).toBeLessThanOrEqual((100 * c.certifiedSworn) / c.knownSworn);
          expect(c.percent).toBeGreaterThan((100 * c.certifiedSworn) / c.knownSworn - 0.01);
        } else expect(c.percent).toBe(0);
      }),
    );
  });

  it('never rises in tier when an agency withdraws its certification', () => {
    fc.assert(
      fc.property(agencies, fc.nat(), (list, pick) => {
        const certified = list.flatMap((a, i) => (a.certified ? [i] : []));
        fc.pre(certified.length > 0);
        const i = certified[pick % certified.length]!;
        const fewer = list.map((a, j) => (j === i ? { ...a, certified: false } : a));
        const before = coverageTier(coverageOf('2026-Q1', list));
        const after = coverageTier(coverageOf('2026-Q1', fewer));
        expect(rank(after)).toBeLessThanOrEqual(rank(before));
      }),
    );
  });

  it('puts 40 %, 60 % and 80 % exactly into the higher tier, and just under into the lower', () => {
    expect(releaseTier(0, 0)).toBe('withheld');
    expect(releaseTier(0, 10)).toBe('withheld');
    expect(releaseTier(39_999, 100_000)).toBe('withheld');
    expect(releaseTier(40, 100)).toBe('percentages');
    expect(releaseTier(59_999, 100_000)).toBe('percentages');
    expect(releaseTier(3, 5)).toBe('rates');
    expect(releaseTier(79_999, 100_000)).toBe('rates');
    expect(releaseTier(4, 5)).toBe('full');
    expect(releaseTier(7, 7)).toBe('full');
  });

  it('has the tier its thresholds say, for any ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 7 }), fc.nat(), (known, k) => {
        const certified = k % (known + 1);
        const share = certified / known;
        const expected =
          share >= 0.8
            ? 'full'
            : share >= 0.6
              ? 'rates'
              : share >= 0.4
                ? 'percentages'
                : 'withheld';
        // Floating point is only trusted away from the thresholds; the exact cases are above.
        fc.pre([0.4, 0.6, 0.8].every((t) => Math.abs(share - t) > 1e-9));
        expect(releaseTier(certified, known)).toBe(expected);
      }),
    );
  });

  it('refuses a certified agency without a headcount, and a negative headcount', () => {
    expect(() => coverageOf('2026-Q1', [{ sworn: null, certified: true }])).toThrow(RangeError);
    expect(() => coverageOf('2026-Q1', [{ sworn: -1, certified: false }])).toThrow(RangeError);
  });
});
