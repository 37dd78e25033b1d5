/**
 * Test support: small tables of any shape, and two attackers written independently of the
 * auditors — a brute-force enumerator and a dense rational solver — so that the tests do not
 * check the auditors against themselves. Not exported from index.ts.
 */
import { isTerritory, US_JURISDICTION_CODES } from '../../../crypto/us-jurisdictions.js';
import { CATEGORIES } from '../../../protocol/categories.js';
import type { JurisdictionLevel } from '../../../protocol/registry-entry.js';
import { NO_STATE, type CountableRecord } from './countable-records.js';
import {
  createShape,
  digit,
  fillTotals,
  relationsOf,
  STATISTICS_DIMENSIONS,
  type TableShape,
} from './table-shape.js';

export interface SmallTable {
  readonly shape: TableShape;
  readonly counts: number[];
}

/** A table with domains of the given sizes (values v0, v1, …) and interior counts in cell order. */
export function smallTable(sizes: readonly number[], interior: readonly number[]): SmallTable {
  const shape = createShape(
    STATISTICS_DIMENSIONS.slice(0, sizes.length),
    sizes.map((n) => Array.from({ length: n }, (_, i) => `v${i}`)),
  );
  const counts = new Array<number>(shape.cellCount).fill(0);
  let next = 0;
  for (let cell = 0; cell < shape.cellCount; cell++) {
    if (isInterior(shape, cell)) counts[cell] = interior[next++] ?? 0;
  }
  return { shape, counts: fillTotals(shape, counts) };
}

export function isInterior(shape: TableShape, cell: number): boolean {
  return shape.dimensions.every((_, k) => digit(shape, cell, k) !== 0);
}

/**
 * Every value each suppressed cell takes over all tables that agree with the published cells
 * and have interior counts in [lowerBound, cap] where suppressed (a published interior cell is
 * fixed). Enumerates the suppressed interior cells depth first, pruning any published total
 * already exceeded or no longer reachable.
 *
 * With `enough`, the enumeration stops as soon as every suppressed cell has shown at least
 * `enough` values: a test that asks "two or more values each?" gets the same answer, without
 * enumerating every table once the answer is yes (when it is no, the search runs to the end).
 */
export function bruteForceValues(
  { shape, counts }: SmallTable,
  status: Uint8Array,
  lowerBound: number,
  cap: number,
  enough = Infinity,
): Map<number, Set<number>> {
  const unknown = counts.map((_, cell) => cell).filter((c) => isInterior(shape, c) && status[c]);
  const covering = new Map<number, number[]>();
  for (let cell = 0; cell < shape.cellCount; cell++) {
    if (isInterior(shape, cell) || status[cell]) continue;
    for (const u of unknown)
      if (covers(shape, cell, u)) covering.set(u, [...(covering.get(u) ?? []), cell]);
  }
  const assigned = counts.map((c, cell) => (isInterior(shape, cell) && !status[cell] ? c : 0));
  const remaining = counts.map((_, cell) => unknown.filter((u) => covers(shape, cell, u)).length);
  const sums = counts.map((_, cell) => sumUnder(shape, assigned, cell));
  const seen = new Map<number, Set<number>>();
  const suppressed = counts.map((_, cell) => cell).filter((cell) => status[cell]);
  let done = false;
  const record = (): void => {
    let short = false;
    for (const cell of suppressed) {
      const value = isInterior(shape, cell) ? assigned[cell]! : sums[cell]!;
      const values = (seen.get(cell) ?? new Set()).add(value);
      seen.set(cell, values);
      if (values.size < enough) short = true;
    }
    done = !short;
  };
  // The totals each unknown cell contributes to, computed once.
  const touchedBy = new Map(unknown.map((u) => [u, totalsOf(shape, u)]));
  const visit = (i: number): void => {
    if (i === unknown.length) {
      record();
      return;
    }
    const u = unknown[i]!;
    const totals = covering.get(u) ?? [];
    const touched = touchedBy.get(u)!;
    for (let v = lowerBound; v <= cap && !done; v++) {
      assigned[u] = v;
      for (const t of touched) {
        sums[t]! += v;
        remaining[t]! -= 1;
      }
      const over = totals.some((t) => sums[t]! > counts[t]!);
      const ok = totals.every((t) => remaining[t]! > 0 || sums[t] === counts[t]);
      if (ok && !over) visit(i + 1);
      for (const t of touched) {
        sums[t]! -= v;
        remaining[t]! += 1;
      }
      if (over) break;
    }
    assigned[u] = 0;
  };
  visit(0);
  return seen;
}

/** Whether marginal (or interior) cell `total` covers interior cell `cell`. */
function covers(shape: TableShape, total: number, cell: number): boolean {
  return shape.dimensions.every((_, k) => {
    const d = digit(shape, total, k);
    return d === 0 || d === digit(shape, cell, k);
  });
}

function totalsOf(shape: TableShape, cell: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < shape.cellCount; t++) if (covers(shape, t, cell)) out.push(t);
  return out;
}

function sumUnder(shape: TableShape, interior: readonly number[], total: number): number {
  let sum = 0;
  for (let c = 0; c < shape.cellCount; c++) {
    if (isInterior(shape, c) && covers(shape, total, c)) sum += interior[c]!;
  }
  return sum;
}

/**
 * The suppressed cells determined by the relations, by dense Gauss–Jordan elimination over
 * exact fractions (BigInt numerator/denominator), with their values. Slow and simple on purpose.
 */
export function denseDetermined(
  shape: TableShape,
  values: readonly (number | null)[],
  status: Uint8Array,
): Map<number, number> {
  const vars = values.map((_, c) => c).filter((c) => status[c]);
  const column = new Map(vars.map((c, i) => [c, i]));
  const matrix: Fraction[][] = [];
  for (const { total, parts } of relationsOf(shape)) {
    const row: Fraction[] = Array.from({ length: vars.length + 1 }, () => [0n, 1n]);
    let used = false;
    for (const [cell, sign] of [[total, 1n] as const, ...parts.map((p) => [p, -1n] as const)]) {
      const i = column.get(cell);
      if (i === undefined)
        row[vars.length] = add(row[vars.length]!, [-sign * BigInt(values[cell]!), 1n]);
      else {
        row[i] = [sign, 1n];
        used = true;
      }
    }
    if (used) matrix.push(row);
  }
  let rank = 0;
  const pivotRow = new Map<number, number>();
  for (let col = 0; col < vars.length && rank < matrix.length; col++) {
    const r = matrix.findIndex((row, i) => i >= rank && row[col]![0] !== 0n);
    if (r < 0) continue;
    [matrix[rank], matrix[r]] = [matrix[r]!, matrix[rank]!];
    const pivot = matrix[rank]!;
    const inv = pivot[col]!;
    for (let j = 0; j <= vars.length; j++) pivot[j] = divideF(pivot[j]!, inv);
    matrix.forEach((row, i) => {
      if (i === rank || row[col]![0] === 0n) return;
      const f = row[col]!;
      for (let j = 0; j <= vars.length; j++) row[j] = add(row[j]!, negate(mul(f, pivot[j]!)));
    });
    pivotRow.set(col, rank++);
  }
  const determined = new Map<number, number>();
  for (const [col, r] of pivotRow) {
    const row = matrix[r]!;
    if (row.slice(0, vars.length).every((f, j) => j === col || f[0] === 0n)) {
      const [n, d] = row[vars.length]!;
      determined.set(vars[col]!, Number(n / d));
    }
  }
  return determined;
}

type Fraction = [bigint, bigint];
function norm([n, d]: Fraction): Fraction {
  if (d < 0n) [n, d] = [-n, -d];
  let [a, b] = [n < 0n ? -n : n, d];
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? [0n, 1n] : [n / a, d / a];
}
const add = (x: Fraction, y: Fraction): Fraction => norm([x[0] * y[1] + y[0] * x[1], x[1] * y[1]]);
const mul = (x: Fraction, y: Fraction): Fraction => norm([x[0] * y[0], x[1] * y[1]]);
const negate = (x: Fraction): Fraction => [-x[0], x[1]];
const divideF = (x: Fraction, y: Fraction): Fraction => norm([x[0] * y[1], x[1] * y[0]]);

/**
 * A synthetic national year-by-year dataset from a fixed seed: states weighted unevenly,
 * levels as in the US (mostly local; territorial agencies only in territories; some federal and
 * tribal agencies with no single state), categories skewed toward suspensions and terminations.
 */
export function nationalRecords(perYear: number, seed: number): CountableRecord[] {
  let state = seed >>> 0;
  const random = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) if ((r -= weights[i]!) <= 0) return items[i]!;
    return items[items.length - 1]!;
  };
  const states = [...US_JURISDICTION_CODES];
  const stateWeights = states.map(() => Math.exp(random() * 4));
  const categoryWeights = [5, 1, 1, 0.3, 2, 0.8, 12, 4];
  const records: CountableRecord[] = [];
  for (let year = 2015; year < 2025; year++) {
    for (let i = 0; i < perYear; i++) {
      const where = pick(states, stateWeights);
      const level: JurisdictionLevel = isTerritory(where)
        ? pick(['territorial', 'local', 'federal'] as const, [3, 1, 0.3])
        : pick(['local', 'state', 'federal', 'tribal'] as const, [75, 12, 8, 3]);
      const noState = (level === 'federal' || level === 'tribal') && random() < 0.1;
      records.push({
        id: String(records.length),
        category: pick(CATEGORIES, categoryWeights),
        useOfForce: random() < 0.3,
        year,
        level,
        state: noState ? NO_STATE : where,
      });
    }
  }
  return records;
}
