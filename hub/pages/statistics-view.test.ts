import { describe, expect, it } from 'vitest';
import type { ReleaseTier } from '../../protocol/statistics-coverage.js';
import { statisticsView, type ReleaseDocument } from './statistics-view.js';

const DIMENSIONS = ['category', 'year', 'level', 'state'];

function doc(tier: ReleaseTier, rows: ReleaseDocument['rows']): ReleaseDocument {
  return {
    metadata: {
      version: 3,
      asOf: '2026-05-02T00:00:00Z',
      nextAsOf: '2026-05-03T00:00:00Z',
      period: 'P1D',
      tier,
      coverage: {
        period: '2026-Q1',
        certifiedSworn: 50,
        knownSworn: 100,
        percent: 50,
        agencies: 2,
        certifiedAgencies: 1,
        unknownHeadcount: 0,
      },
      minCell: 3,
      dimensions: DIMENSIONS,
      domains: {
        category: ['termination', 'decertification', 'suspension'],
        year: [2025, 2026],
        level: ['local', 'tribal'],
        state: ['CA', 'none'],
      },
    },
    rows,
  };
}

const national = (over: Record<string, string | number>) => ({
  category: '*',
  year: '*',
  level: '*',
  state: '*',
  ...over,
});

describe('statisticsView', () => {
  it('shows counts at tier full, a listed suppressed cell as null, an unlisted cell as 0', () => {
    const view = statisticsView(
      doc('full', [
        { dimensions: national({}), count: 12, suppressed: null },
        { dimensions: national({ category: 'termination' }), count: 11, suppressed: null },
        {
          dimensions: national({ category: 'decertification' }),
          count: null,
          suppressed: 'suppressed',
        },
        // Not national: never on the page's breakdowns.
        {
          dimensions: { ...national({ category: 'suspension' }), state: 'CA' },
          count: 7,
          suppressed: null,
        },
      ]),
    );
    expect(view.measure).toBe('count');
    expect(view.total?.value).toBe(12);
    const categories = view.breakdowns.find((b) => b.dimension === 'category')!;
    expect(categories.bars.map((b) => [b.label, b.value])).toEqual([
      ['Termination', 11],
      ['Decertification', null],
      ['Suspension for misconduct', 0],
    ]);
    expect(view.breakdowns.map((b) => b.dimension)).toEqual(['category', 'year', 'level']);
  });

  it('shows percentages below full coverage, and never a count the release does not give', () => {
    const view = statisticsView(
      doc('percentages', [
        { dimensions: national({}), percent: 100, suppressed: null },
        // A malformed row with a count at this tier must not leak through.
        { dimensions: national({ year: 2025 }), percent: 60, count: 6, suppressed: null } as never,
        { dimensions: national({ year: 2026 }), percent: null, suppressed: 'suppressed' },
      ]),
    );
    expect(view.measure).toBe('percent');
    const years = view.breakdowns.find((b) => b.dimension === 'year')!;
    expect(years.bars.map((b) => b.value)).toEqual([60, null]);
  });

  it('adds national rates at tier rates', () => {
    const view = statisticsView(
      doc('rates', [
        {
          dimensions: national({ level: 'local' }),
          percent: 80,
          ratePer1000: 1.5,
          suppressed: null,
        },
      ]),
    );
    const levels = view.breakdowns.find((b) => b.dimension === 'level')!;
    expect(levels.bars[0]).toMatchObject({ label: 'Local', value: 80, ratePer1000: 1.5 });
    expect(levels.bars[1]).toMatchObject({ label: 'Tribal', value: 0, ratePer1000: 0 });
  });

  it('shows nothing of a withheld release', () => {
    const view = statisticsView(doc('withheld', []));
    expect(view).toEqual({ tier: 'withheld', measure: null, total: undefined, breakdowns: [] });
  });
});
