import { describe, expect, it } from 'vitest';
import { auditBounds, SUPPRESSED_COMPLEMENTARY, SUPPRESSED_PRIMARY } from './bounds-audit.js';
import { auditLinear } from './linear-audit.js';
import { publishedValues } from './suppression.js';
import { bruteForceValues, smallTable } from './test-fixtures.js';

const hidden = { minCell: 10, reasonsKnown: false };
const known = { minCell: 10, reasonsKnown: true };

describe('auditBounds', () => {
  it('pins two suppressed cells whose known sum is 2, which the equations alone leave open', () => {
    // 1 1 30 | 32 over 1 dimension: cells v0, v1 suppressed, total published.
    const t = smallTable([3], [1, 1, 30]);
    const status = new Uint8Array(t.counts.length);
    status[1] = status[2] = SUPPRESSED_PRIMARY;
    const values = publishedValues(t.counts, status);
    expect(auditLinear(t.shape, values, status)).toEqual([]);
    expect(auditBounds(t.shape, values, status, hidden)).toEqual([
      { cell: 1, value: 1 },
      { cell: 2, value: 1 },
    ]);
    const seen = bruteForceValues(t, status, 1, 32);
    expect([...seen.get(1)!]).toEqual([1]);
  });

  it('pins a primary and a complementary cell when the reasons are known, not otherwise', () => {
    // 1 10 30: v0 primary (1), v1 complementary (10); their sum 11 is known.
    const t = smallTable([3], [1, 10, 30]);
    const status = new Uint8Array(t.counts.length);
    status[1] = SUPPRESSED_PRIMARY;
    status[2] = SUPPRESSED_COMPLEMENTARY;
    const values = publishedValues(t.counts, status);
    expect(auditBounds(t.shape, values, status, hidden)).toEqual([]);
    expect(auditBounds(t.shape, values, status, known)).toEqual([
      { cell: 1, value: 1 },
      { cell: 2, value: 10 },
    ]);
  });

  it('propagates bounds from one relation to the next', () => {
    // a b | 3      a + c = 2 with a, c ≥ 1 pins a = c = 1; only then a + b = 3 pins b = 2,
    // c d | .      and the suppressed totals follow. No cell is determined by the equations.
    // 2 . | .      (d = 40 published; row 1, column 1 and grand totals suppressed.)
    const t = smallTable([2, 2], [1, 2, 1, 40]);
    const status = new Uint8Array(t.counts.length);
    for (const cell of [0, 2, 4, 5, 6, 7]) status[cell] = SUPPRESSED_PRIMARY;
    const values = publishedValues(t.counts, status);
    expect(auditLinear(t.shape, values, status)).toEqual([]);
    const pinned = auditBounds(t.shape, values, status, hidden);
    expect(pinned).toEqual([0, 2, 4, 5, 6, 7].map((cell) => ({ cell, value: t.counts[cell] })));
    const seen = bruteForceValues(t, status, 1, 100);
    for (const { cell, value } of pinned) expect([...seen.get(cell)!]).toEqual([value]);
  });
});
