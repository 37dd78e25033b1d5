import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStatisticsError } from './errors.js';
import {
  composedEpsilon,
  discreteLaplace,
  EPSILON_RANGE,
  noisyCounts,
  noiseStatement,
} from './noise.js';
import { countGroups, createShape, digit, fillTotals, type TableShape } from './table-shape.js';

/** Deterministic bytes: SHA-256 of (seed, counter) blocks. */
function seeded(seed: string) {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n: number): Uint8Array => {
    while (pool.length < n) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      pool = new Uint8Array([...pool, ...block]);
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

const SHAPE: TableShape = createShape(
  ['category', 'level', 'useOfForce'],
  [
    ['termination', 'suspension', 'decertification'],
    ['state', 'local'],
    ['true', 'false'],
  ],
);
const interior = (shape: TableShape, cell: number) =>
  shape.dimensions.every((_, k) => digit(shape, cell, k) !== 0);

const table = fc.array(fc.nat({ max: 30 }), { minLength: 12, maxLength: 12 }).map((values) => {
  const groups = values.map((count, i) => ({
    values: {
      category: SHAPE.domains[0]![i % 3]!,
      level: SHAPE.domains[1]![Math.floor(i / 3) % 2]!,
      useOfForce: SHAPE.domains[2]![Math.floor(i / 6) % 2]!,
    },
    count,
  }));
  return countGroups(SHAPE, groups);
});
const epsilon = fc.constantFrom(0.1, 0.5, 1, 2, 10);

describe('noisy counts', () => {
  it('are whole, non-negative, and every total is the sum of its parts', () => {
    fc.assert(
      fc.property(table, epsilon, fc.string(), (counts, eps, seed) => {
        const noisy = noisyCounts(SHAPE, counts, eps, seeded(seed));
        expect(noisy.every((c) => Number.isSafeInteger(c) && c >= 0)).toBe(true);
        // Recomputing the totals from the noisy interior changes nothing: additive.
        expect(fillTotals(SHAPE, [...noisy])).toEqual(noisy);
      }),
    );
  });

  it('are the same for the same seed, and draw noise for empty cells too', () => {
    fc.assert(
      fc.property(table, fc.string(), (counts, seed) => {
        expect(noisyCounts(SHAPE, counts, 0.5, seeded(seed))).toEqual(
          noisyCounts(SHAPE, counts, 0.5, seeded(seed)),
        );
      }),
    );
    // An all-zero table does not stay all zero at ε = 0.1: absence is not published exactly.
    const zeros = countGroups(SHAPE, []);
    const noisy = noisyCounts(SHAPE, zeros, 0.1, seeded('zeros'));
    expect(noisy.some((c, cell) => interior(SHAPE, cell) && c > 0)).toBe(true);
  });

  it('leave the input unchanged', () => {
    const counts = countGroups(SHAPE, []);
    const copy = [...counts];
    noisyCounts(SHAPE, counts, 1, seeded('x'));
    expect(counts).toEqual(copy);
  });
});

describe('discrete Laplace draws', () => {
  it('have mean 0 and the variance 2α/(1−α)² of their parameter α = exp(−ε)', () => {
    for (const eps of [0.5, 1, 2]) {
      const rng = seeded(`dist-${eps}`);
      const n = 20_000;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const z = discreteLaplace(eps, rng);
        expect(Number.isInteger(z)).toBe(true);
        sum += z;
        squares += z * z;
      }
      const alpha = Math.exp(-eps);
      const variance = (2 * alpha) / (1 - alpha) ** 2;
      // Within five standard errors (seeded: the same draws every run).
      expect(Math.abs(sum / n)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(Math.abs(squares / n - variance) / variance).toBeLessThan(0.1);
    }
  });

  it('give P(0) = (1−α)/(1+α)', () => {
    const rng = seeded('p0');
    const n = 20_000;
    let zeros = 0;
    for (let i = 0; i < n; i++) if (discreteLaplace(1, rng) === 0) zeros++;
    const alpha = Math.exp(-1);
    const p = (1 - alpha) / (1 + alpha);
    expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe('the budget', () => {
  it('refuses ε outside its range, naming it', () => {
    for (const bad of [0, -1, EPSILON_RANGE.min / 2, EPSILON_RANGE.max * 2, Number.NaN]) {
      let error: unknown;
      try {
        discreteLaplace(bad, seeded('e'));
      } catch (e) {
        error = e;
      }
      expect(isStatisticsError(error) && error.code === 'STATISTICS_OPTION_INVALID').toBe(true);
      expect(() => noiseStatement(bad)).toThrow();
    }
  });

  it('is stated per release and adds up over releases', () => {
    expect(noiseStatement(0.5)).toMatchObject({ mechanism: 'discrete_laplace', epsilon: 0.5 });
    fc.assert(
      fc.property(fc.array(fc.constantFrom<number>(0.1, 0.5, 1), { maxLength: 20 }), (series) => {
        const total = composedEpsilon(series);
        expect(total).toBeCloseTo(series.length === 0 ? 0 : series.reduce((a, b) => a + b), 9);
        expect(composedEpsilon([...series, 1])).toBeCloseTo(total + 1, 9);
      }),
    );
  });
});
