import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStatisticsError } from './errors.js';
import { auditLinear } from './linear-audit.js';
import { primarySuppression, protect, publishedValues } from './suppression.js';
import { cellAt, relationsOf } from './table-shape.js';
import { bruteForceValues, denseDetermined, smallTable } from './test-fixtures.js';

/** Interior cell (r, c) of a 2-dimensional table (digits are 1-based; 0 is the total). */
const at = (t: { shape: Parameters<typeof cellAt>[0] }, ...ds: number[]) =>
  cellAt(
    t.shape,
    ds.map((d) => d + 1),
  );

describe('auditLinear', () => {
  // 4 20 15 | 39
  // 18 25 30 | 73
  // 12 16 22 | 50
  const table = smallTable([3, 3], [4, 20, 15, 18, 25, 30, 12, 16, 22]);

  it('recovers a small cell when only primary suppression is applied, as an attacker would', () => {
    const status = primarySuppression(table.counts, 10);
    expect([...status.keys()].filter((c) => status[c])).toEqual([at(table, 0, 0)]);
    // Independent attacker: every table of non-negative counts consistent with the release.
    const seen = bruteForceValues(table, status, 0, table.counts[0]!);
    expect([...seen.get(at(table, 0, 0))!]).toEqual([4]);
    expect(auditLinear(table.shape, publishedValues(table.counts, status), status)).toEqual([
      { cell: at(table, 0, 0), value: 4 },
    ]);
  });

  it('finds nothing once complementary suppression is applied, and the attacker agrees', () => {
    const { status } = protect(table.shape, table.counts, 10);
    const suppressed = [...status.keys()].filter((c) => status[c]);
    expect(suppressed.length).toBeGreaterThan(1);
    expect(auditLinear(table.shape, publishedValues(table.counts, status), status)).toEqual([]);
    // Knowing zeros are published (suppressed ≥ 1), each suppressed cell still has 2+ values.
    const seen = bruteForceValues(table, status, 1, table.counts[0]!);
    for (const cell of suppressed) expect(seen.get(cell)!.size).toBeGreaterThan(1);
  });

  it('recovers a bridge between two protected cycles, though no relation has a lone suppressed cell', () => {
    const t = smallTable([4, 4], [12, 14, 11, 30, 13, 15, 16, 20, 25, 30, 12, 13, 22, 18, 14, 12]);
    const status = new Uint8Array(t.counts.length);
    const pattern = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
      [1, 2],
    ];
    for (const [r, c] of pattern) status[at(t, r!, c!)] = 1;
    for (const { total, parts } of relationsOf(t.shape)) {
      expect([total, ...parts].filter((c) => status[c]).length).not.toBe(1);
    }
    const values = publishedValues(t.counts, status);
    expect(auditLinear(t.shape, values, status)).toEqual([{ cell: at(t, 1, 2), value: 16 }]);
    expect(denseDetermined(t.shape, values, status)).toEqual(new Map([[at(t, 1, 2), 16]]));
  });

  it('refuses published counts that contradict the relations', () => {
    const status = primarySuppression(table.counts, 10);
    const values = publishedValues(table.counts, status);
    values[at(table, 2, 2)] = 23;
    try {
      auditLinear(table.shape, values, status);
      expect.unreachable();
    } catch (e) {
      expect(isStatisticsError(e) && e.code).toBe('STATISTICS_TABLE_INVALID');
    }
  });

  it('agrees with dense rational elimination on random tables and suppressions (property)', () => {
    const sizes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
    const input = sizes.chain((s) => {
      const interior = s.reduce((a, b) => a * b, 1);
      const cells = s.reduce((a, b) => a * (b + 1), 1);
      return fc.tuple(
        fc.constant(s),
        fc.array(fc.nat(30), { minLength: interior, maxLength: interior }),
        fc.array(fc.boolean(), { minLength: cells, maxLength: cells }),
      );
    });
    fc.assert(
      fc.property(input, ([s, interior, mask]) => {
        const t = smallTable(s, interior);
        const status = Uint8Array.from(mask, (m) => (m ? 1 : 0));
        const values = publishedValues(t.counts, status);
        const sparse = auditLinear(t.shape, values, status);
        const dense = denseDetermined(t.shape, values, status);
        expect(new Map(sparse.map((r) => [r.cell, r.value]))).toEqual(dense);
        for (const r of sparse) expect(r.value).toBe(t.counts[r.cell]);
      }),
      { numRuns: 300 },
    );
  });
});
