import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../protocol/categories.js';
import type { CountableRecord } from './countable-records.js';
import { toPublication } from './render.js';
import { buildStatisticsTable } from './statistics-table.js';
import { percentOf, ratePer1000, tieredRows } from './tiered-publication.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const record: fc.Arbitrary<Omit<CountableRecord, 'id'>> = fc.record({
  category: fc.constantFrom(...CATEGORIES.slice(0, 3)),
  useOfForce: fc.boolean(),
  year: fc.constantFrom(2024, 2025),
  level: fc.constantFrom('state' as const, 'local' as const),
  state: fc.constantFrom('CA' as const, 'TX' as const),
});
/** Small tables (no state dimension: its 57 values would make each one 9 396 cells). */
const published = fc.array(record, { maxLength: 120 }).map((rs) =>
  toPublication(
    buildStatisticsTable(
      rs.map((r, i) => ({ ...r, id: String(i) })),
      { now: NOW, minCell: 3, years: [2024, 2025], dimensions: ['category', 'year', 'level'] },
    ),
  ),
);
const isTotal = (v: unknown) => v === '*';

describe('tiered rows', () => {
  it('publish the counts at tier full, nothing at withheld', () => {
    fc.assert(
      fc.property(published, fc.nat(), (table, sworn) => {
        expect(tieredRows(table, 'full', sworn)).toBe(table.rows);
        expect(tieredRows(table, 'withheld', sworn)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('carry no count below tier full, and no number where a cell is suppressed', () => {
    fc.assert(
      fc.property(published, fc.integer({ min: 0, max: 5000 }), (table, sworn) => {
        for (const tier of ['percentages', 'rates'] as const) {
          const rows = tieredRows(table, tier, sworn);
          expect(rows).toHaveLength(table.rows.length);
          rows.forEach((row, i) => {
            expect('count' in row).toBe(false);
            expect(row.dimensions).toBe(table.rows[i]!.dimensions);
            expect(row.suppressed).toBe(table.rows[i]!.suppressed);
            if (row.suppressed !== null) {
              expect(row.percent).toBeNull();
              expect(row.ratePer1000 ?? null).toBeNull();
            }
            if (tier === 'percentages') expect('ratePer1000' in row).toBe(false);
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('give each published cell its share of the grand total, to 0.1, and rates only nationally', () => {
    fc.assert(
      fc.property(published, fc.integer({ min: 1, max: 5000 }), (table, sworn) => {
        const grand = table.rows[0]!; // totals first: the grand total leads
        expect(Object.values(grand.dimensions).every(isTotal)).toBe(true);
        const rows = tieredRows(table, 'rates', sworn);
        rows.forEach((row, i) => {
          const count = table.rows[i]!.count;
          if (count === null || grand.count === null) {
            expect(row.percent).toBeNull();
            return;
          }
          const share = grand.count === 0 ? 0 : (100 * count) / grand.count;
          expect(Math.abs(row.percent! - share)).toBeLessThanOrEqual(0.05 + 1e-9);
          const national = isTotal(row.dimensions.level) && isTotal(row.dimensions.state ?? '*');
          if (!national) expect(row.ratePer1000).toBeNull();
          else
            expect(Math.abs(row.ratePer1000! - (1000 * count) / sworn)).toBeLessThanOrEqual(
              0.005 + 1e-9,
            );
        });
        if (grand.count !== null && grand.count > 0) expect(rows[0]!.percent).toBe(100);
      }),
      { numRuns: 30 },
    );
  });

  it('round half up, exactly', () => {
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(1, 16)).toBe(6.3); // 6.25 up
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(ratePer1000(1, 8000)).toBe(0.13); // 0.125 up
    expect(ratePer1000(7, 412)).toBe(16.99);
  });
});
