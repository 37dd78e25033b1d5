import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JURISDICTION_LEVELS } from '../../../protocol/registry-entry.js';
import { CATEGORIES } from '../../../protocol/categories.js';
import { auditSuppression } from './audit.js';
import type { CountableRecord } from './countable-records.js';
import { isStatisticsError } from './errors.js';
import { toPublication } from './render.js';
import { buildStatisticsTable, type RowDimensions } from './statistics-table.js';

const now = new Date('2025-01-15T10:20:30.456Z');

function records(spec: [Partial<CountableRecord>, number][]): CountableRecord[] {
  let n = 0;
  return spec.flatMap(([o, count]) =>
    Array.from({ length: count }, () => ({
      id: String(n++),
      category: 'termination' as const,
      useOfForce: false,
      year: 2023,
      level: 'local' as const,
      state: 'CA' as const,
      ...o,
    })),
  );
}

/** The true count of a row, counted from the records independently of the table. */
function trueCount(rs: readonly CountableRecord[], dims: RowDimensions): number {
  return rs.filter((r) =>
    Object.entries(dims).every(([d, v]) => v === '*' || r[d as keyof CountableRecord] === v),
  ).length;
}

function codeOf(f: () => unknown): { code: string; field: string | undefined } {
  try {
    f();
  } catch (e) {
    if (isStatisticsError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('did not throw');
}

describe('buildStatisticsTable', () => {
  it('publishes every cell and every total in a stable order, totals first', () => {
    const rs = records([
      [{}, 12],
      [{ year: 2024, state: 'TX' }, 15],
    ]);
    const table = buildStatisticsTable(rs, { now });
    const { domains } = table.metadata;
    expect(domains.year).toEqual([2023, 2024]);
    expect(domains.category).toEqual(CATEGORIES);
    expect(domains.level).toEqual(JURISDICTION_LEVELS);
    expect(domains.state).toHaveLength(57);
    expect(table.rows).toHaveLength(9 * 3 * 6 * 58);
    expect(table.rows[0]).toEqual({
      dimensions: { category: '*', year: '*', level: '*', state: '*' },
      count: 27,
      suppressed: null,
    });
    expect(table.rows[1]!.dimensions).toEqual({
      category: '*',
      year: '*',
      level: '*',
      state: 'AK',
    });
    expect(table.rows[58]!.dimensions).toEqual({
      category: '*',
      year: '*',
      level: 'federal',
      state: '*',
    });
    expect(buildStatisticsTable([...rs].reverse(), { now })).toEqual(table);
  });

  it('states its rules, threshold, clock and category list in the metadata', () => {
    const table = buildStatisticsTable([], { now, years: [2024] });
    expect(table.metadata).toMatchObject({
      generatedAt: '2025-01-15T10:20:30Z',
      minCell: 10,
      categoryListVersion: 1,
      dimensions: ['category', 'year', 'level', 'state'],
      zerosPublished: true,
      counting: { statuses: ['final'] },
    });
    expect(table.rows.every((r) => r.count === 0)).toBe(true);
  });

  it('suppresses a small cell and enough others that the auditor recovers nothing', () => {
    // 3 12 / 15 20 over two categories × two levels, one year, one state.
    const rs = records([
      [{ category: 'termination', level: 'local' }, 3],
      [{ category: 'termination', level: 'state' }, 12],
      [{ category: 'suspension', level: 'local' }, 15],
      [{ category: 'suspension', level: 'state' }, 20],
    ]);
    const table = buildStatisticsTable(rs, { now });
    const suppressed = table.rows.filter((r) => r.suppressed !== null);
    // The 3 and its totals over the single year and the single state, in row order.
    expect(suppressed.filter((r) => r.suppressed === 'primary').map((r) => r.dimensions)).toEqual([
      { category: 'termination', year: '*', level: 'local', state: '*' },
      { category: 'termination', year: '*', level: 'local', state: 'CA' },
      { category: 'termination', year: 2023, level: 'local', state: '*' },
      { category: 'termination', year: 2023, level: 'local', state: 'CA' },
    ]);
    expect(suppressed.some((r) => r.suppressed === 'complementary')).toBe(true);
    expect(auditSuppression(toPublication(table))).toEqual([]);
    for (const row of table.rows) {
      if (row.count !== null) expect(row.count).toBe(trueCount(rs, row.dimensions));
    }
  });

  it('accepts other dimensions, such as use of force', () => {
    const rs = records([
      [{ useOfForce: true }, 11],
      [{}, 30],
    ]);
    const table = buildStatisticsTable(rs, { now, dimensions: ['useOfForce', 'level'] });
    expect(
      table.rows.map((r) => [r.dimensions.useOfForce, r.dimensions.level, r.count]).slice(0, 8),
    ).toEqual([
      ['*', '*', 41],
      ['*', 'federal', 0],
      ['*', 'state', 0],
      ['*', 'local', 41],
      ['*', 'tribal', 0],
      ['*', 'territorial', 0],
      [true, '*', 11],
      [true, 'federal', 0],
    ]);
  });

  it('refuses bad options and records outside the period', () => {
    const rs = records([[{}, 1]]);
    expect(codeOf(() => buildStatisticsTable(rs, { now, minCell: 1 }))).toEqual({
      code: 'STATISTICS_OPTION_INVALID',
      field: 'minCell',
    });
    expect(codeOf(() => buildStatisticsTable(rs, { now: new Date(NaN) })).field).toBe('now');
    expect(
      codeOf(() => buildStatisticsTable(rs, { now, dimensions: ['year', 'year'] })).field,
    ).toBe('dimensions');
    expect(codeOf(() => buildStatisticsTable(rs, { now, years: [2022] }))).toEqual({
      code: 'STATISTICS_OUTSIDE_DOMAIN',
      field: 'records[0].year',
    });
  });

  it('publishes true counts, suppresses every small cell and leaks none (property)', () => {
    const record = fc.record({
      category: fc.constantFrom(...CATEGORIES.slice(0, 4)),
      year: fc.integer({ min: 2021, max: 2023 }),
      level: fc.constantFrom('local' as const, 'state' as const),
      state: fc.constantFrom('CA' as const, 'NV' as const),
    });
    // Few records over few combinations, so that many cells are small.
    const input = fc.array(fc.tuple(record, fc.integer({ min: 1, max: 14 })), { maxLength: 10 });
    fc.assert(
      fc.property(input, (spec) => {
        const rs = records(spec);
        const table = buildStatisticsTable(rs, { now, minCell: 10 });
        for (const row of table.rows) {
          const count = trueCount(rs, row.dimensions);
          if (row.count !== null) expect(row.count).toBe(count);
          if (count > 0 && count < 10) expect(row.suppressed).toBe('primary');
        }
        expect(auditSuppression(toPublication(table))).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
});
