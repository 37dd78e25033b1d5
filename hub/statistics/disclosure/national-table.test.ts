import { describe, expect, it } from 'vitest';
import { auditSuppression } from './audit.js';
import { toPublication } from './render.js';
import { buildStatisticsTable } from './statistics-table.js';
import { nationalRecords } from './test-fixtures.js';

describe('a national table (8 categories × 10 years × 5 levels × 57 states)', () => {
  it('is built and audited clean, and every published count is true', () => {
    const records = nationalRecords(2000, 7);
    const table = buildStatisticsTable(records, { now: new Date('2025-01-01T00:00:00Z') });
    expect(table.rows).toHaveLength(9 * 11 * 6 * 58);
    expect(table.rows.filter((r) => r.suppressed === 'primary').length).toBeGreaterThan(1000);
    expect(auditSuppression(toPublication(table))).toEqual([]);

    // Every row's true count, by adding each record to all 16 totals above it.
    const truth = new Map<string, number>();
    for (const r of records) {
      for (let mask = 0; mask < 16; mask++) {
        const key = [r.category, r.year, r.level, r.state].map((v, k) =>
          mask & (1 << k) ? '*' : v,
        );
        const id = key.join('|');
        truth.set(id, (truth.get(id) ?? 0) + 1);
      }
    }
    for (const row of table.rows) {
      const { category, year, level, state } = row.dimensions;
      const count = truth.get([category, year, level, state].join('|')) ?? 0;
      if (row.count !== null) expect(row.count).toBe(count);
      else expect(count).toBeGreaterThan(0);
    }
  });
});
