import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditBounds, SUPPRESSED_PRIMARY } from './bounds-audit.js';
import { auditLinear } from './linear-audit.js';
import { primarySuppression, protect, publishedValues } from './suppression.js';
import { bruteForceValues, denseDetermined, smallTable } from './test-fixtures.js';

const MIN_CELL = 10;
/** Counts skewed so that many cells are small: zeros, small (1–9) and publishable (10–40). */
const skewedCount = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }) },
  { weight: 3, arbitrary: fc.integer({ min: 10, max: 40 }) },
);
const tableOf = (dims: fc.Arbitrary<number[]>) =>
  dims.chain((sizes) => {
    const n = sizes.reduce((a, b) => a * b, 1);
    return fc.tuple(fc.constant(sizes), fc.array(skewedCount, { minLength: n, maxLength: n }));
  });
/** categories 2–4 × years 2–3 × levels 2 × states 2. */
const statisticsLike = tableOf(
  fc.tuple(
    fc.integer({ min: 2, max: 4 }),
    fc.integer({ min: 2, max: 3 }),
    fc.constant(2),
    fc.constant(2),
  ),
);

describe('primarySuppression', () => {
  it('suppresses exactly the cells with 0 < count < minCell, totals included', () => {
    const t = smallTable([3], [0, 9, 10]);
    // cells: total 19, v0 = 0, v1 = 9, v2 = 10
    expect([...primarySuppression(t.counts, 10)]).toEqual([0, 0, SUPPRESSED_PRIMARY, 0]);
    expect([...primarySuppression(t.counts, 20)]).toEqual([1, 0, 1, 1]);
  });
});

describe('protect', () => {
  it('leaves no cell recoverable by equations or bounds, and suppresses only non-zero cells (property)', () => {
    fc.assert(
      fc.property(statisticsLike, ([sizes, interior]) => {
        const t = smallTable(sizes, interior);
        const { status, auditRounds } = protect(t.shape, t.counts, MIN_CELL);
        // The witnesses alone protect: the first audit finds nothing to add.
        expect(auditRounds).toBe(1);
        const values = publishedValues(t.counts, status);
        t.counts.forEach((count, cell) => {
          if (count > 0 && count < MIN_CELL) expect(status[cell]).toBe(SUPPRESSED_PRIMARY);
          if (count === 0) expect(status[cell]).toBe(0);
          if (status[cell] === 0) expect(values[cell]).toBe(count);
        });
        expect(auditLinear(t.shape, values, status)).toEqual([]);
        expect(denseDetermined(t.shape, values, status).size).toBe(0);
        expect(
          auditBounds(t.shape, values, status, { minCell: MIN_CELL, reasonsKnown: false }),
        ).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('puts every suppressed cell on a witness whose support is all suppressed (property)', () => {
    fc.assert(
      fc.property(statisticsLike, ([sizes, interior]) => {
        const t = smallTable(sizes, interior);
        const { status, witnesses } = protect(t.shape, t.counts, MIN_CELL);
        const onWitness = new Set<number>();
        for (const w of witnesses) {
          for (const cell of w.support) expect(status[cell]).not.toBe(0);
          for (const cell of w.support) onWitness.add(cell);
        }
        status.forEach((s, cell) => expect(s === 0 || onWitness.has(cell)).toBe(true));
      }),
      { numRuns: 40 },
    );
  });

  it('leaves every suppressed cell two or more values in small 2-D tables, by enumeration (property)', () => {
    const small = tableOf(fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })));
    fc.assert(
      fc.property(small, ([sizes, interior]) => {
        const t = smallTable(sizes, interior);
        const { status } = protect(t.shape, t.counts, MIN_CELL);
        // What an attacker can bound a suppressed cell by: the grand total (cell 0) when it is
        // published; when it is suppressed too, only that it may be as large as MIN_CELL − 1
        // (with a true total of 1, "at most the total" would pin every cell to 1).
        const cap = status[0] === 0 ? t.counts[0]! : Math.max(t.counts[0]!, MIN_CELL - 1);
        // Enumeration may stop once every suppressed cell has shown two values: the claim.
        const seen = bruteForceValues(t, status, 1, cap, 2);
        status.forEach((s, cell) => {
          if (s !== 0) expect(seen.get(cell)!.size).toBeGreaterThan(1);
        });
      }),
      // The seed that found the total-of-1 table, then 40 random runs.
      {
        numRuns: 40,
        examples: [
          [
            [
              [2, 2],
              [0, 0, 1, 0],
            ],
          ],
        ],
      },
    );
  });

  it('protects a lone small cell in a 2×2 table with the other three cells', () => {
    // 3 12 / 15 20: the 3 needs a rectangle; the margins 15, 35, 18, 32 and 50 stay published.
    const t = smallTable([2, 2], [3, 12, 15, 20]);
    const { status } = protect(t.shape, t.counts, MIN_CELL);
    expect([...status]).toEqual([0, 0, 0, 0, 1, 2, 0, 2, 2]);
  });
});
