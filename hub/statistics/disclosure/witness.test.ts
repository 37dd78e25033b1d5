import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relationsOf } from './table-shape.js';
import { smallTable } from './test-fixtures.js';
import { cheapestWitness, fallbackWitness, witnessOf, type DimensionChoice } from './witness.js';

const sizes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe('witnesses', () => {
  it('change no relation: every total of δ equals the sum of its parts (property)', () => {
    const choices = sizes.chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.tuple(
          ...s.map((n) =>
            fc.oneof(
              fc
                .integer({ min: 1, max: n })
                .map((value): DimensionChoice => ({ kind: 'fixed', value })),
              ...(n < 2
                ? []
                : [
                    fc
                      .uniqueArray(fc.integer({ min: 1, max: n }), { minLength: 2, maxLength: 2 })
                      .map(([plus, minus]): DimensionChoice => {
                        return { kind: 'box', plus: plus!, minus: minus! };
                      }),
                  ]),
            ),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(choices, ([s, choice]) => {
        const { shape } = smallTable(s, []);
        const w = witnessOf(shape, choice);
        const delta = new Array<number>(shape.cellCount).fill(0);
        w.support.forEach((cell, i) => (delta[cell] = w.signs[i]!));
        expect(new Set(w.support).size).toBe(2 ** s.length);
        for (const { total, parts } of relationsOf(shape)) {
          expect(delta[total]).toBe(parts.reduce((sum, p) => sum + delta[p]!, 0));
        }
      }),
    );
  });

  it('found by the search contain the cell, avoid zeros and move all ones the same way (property)', () => {
    const input = sizes.chain((s) => {
      const n = s.reduce((a, b) => a * b, 1);
      return fc.tuple(fc.constant(s), fc.array(fc.nat(4), { minLength: n, maxLength: n }));
    });
    fc.assert(
      fc.property(input, fc.nat(), ([s, interior], pick) => {
        const t = smallTable(s, interior);
        const nonZero = t.counts.map((c, cell) => [c, cell]).filter(([c]) => c! > 0);
        if (nonZero.length === 0) return;
        const cell = nonZero[pick % nonZero.length]![1]!;
        const ctx = {
          shape: t.shape,
          counts: t.counts,
          suppressed: new Uint8Array(t.counts.length),
        };
        for (const w of [cheapestWitness(ctx, cell), fallbackWitness(ctx, cell)]) {
          expect(w.support).toContain(cell);
          const ones = new Set<number>();
          w.support.forEach((c, i) => {
            expect(t.counts[c]).toBeGreaterThan(0);
            if (t.counts[c] === 1) ones.add(w.signs[i]!);
          });
          expect(ones.size).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('prefer partners that are already suppressed', () => {
    // 3 50 50 / 50 50 50 / 50 50 50 with (1, 2) and (2, 2), (2, 0) already suppressed.
    const t = smallTable([3, 3], [3, 50, 50, 50, 50, 50, 50, 50, 50]);
    const at = (r: number, c: number) => (r + 1) * 4 + (c + 1);
    const suppressed = new Uint8Array(t.counts.length);
    for (const c of [at(0, 0), at(0, 2), at(2, 0), at(2, 2)]) suppressed[c] = 1;
    const w = cheapestWitness({ shape: t.shape, counts: t.counts, suppressed }, at(0, 0));
    expect([...w.support].sort((a, b) => a - b)).toEqual([at(0, 0), at(0, 2), at(2, 0), at(2, 2)]);
  });
});
