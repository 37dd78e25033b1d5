/**
 * Exact sparse row echelon form over the rationals, kept in integers: each row operation is
 * fraction-free (p·row − r·pivotRow, p and r the two entries of the eliminated column) and
 * every result is divided by the gcd of its entries, so no value is ever rounded (BigInt,
 * never floating point).
 *
 * Rows are inserted one at a time. An inserted row is first reduced by the pivot rows already
 * there, oldest first: a pivot row contains no pivot column of an older row (it was reduced by
 * them when inserted), so eliminating oldest-first never brings back a column already handled
 * and the reduction ends. What is left either vanishes (the row was a combination of earlier
 * ones — its right-hand side must vanish too, or the equations contradict each other) or gets a
 * pivot: the column of the reduced row that the fewest input rows contain, to limit fill-in.
 */
import { StatisticsError } from './errors.js';

/** Σ vals[i]·x[cols[i]] = rhs, cols ascending, no zero entries. */
export interface Row {
  readonly cols: readonly number[];
  readonly vals: readonly bigint[];
  readonly rhs: bigint;
}

export interface Echelon {
  /** Pivot rows in insertion order. */
  readonly rows: readonly Row[];
  /** pivots[i] is the pivot column of rows[i]. */
  readonly pivots: readonly number[];
  /** Column → index of the row that has it as pivot. */
  readonly pivotIndex: ReadonlyMap<number, number>;
}

export function echelonForm(input: readonly Row[]): Echelon {
  const occurrences = new Map<number, number>();
  for (const row of input) {
    for (const col of row.cols) occurrences.set(col, (occurrences.get(col) ?? 0) + 1);
  }
  const rows: Row[] = [];
  const pivots: number[] = [];
  const pivotIndex = new Map<number, number>();
  const echelon: Echelon = { rows, pivots, pivotIndex };
  const ordered = [...input].sort((a, b) => a.cols.length - b.cols.length);
  for (const original of ordered) {
    const { row } = reduce(echelon, original, 1n);
    if (row.cols.length === 0) {
      if (row.rhs !== 0n) {
        throw new StatisticsError('STATISTICS_TABLE_INVALID', 'published counts contradict');
      }
      continue;
    }
    let pivot = row.cols[0]!;
    for (const col of row.cols) if (occurrences.get(col)! < occurrences.get(pivot)!) pivot = col;
    pivotIndex.set(pivot, rows.length);
    pivots.push(pivot);
    rows.push(row);
  }
  return echelon;
}

/**
 * `row` reduced by the pivot rows: the result is scale·row − Σ y_i·rows[i] for some rationals y_i,
 * with no pivot column left. `scale` starts at the value given and is returned multiplied by the
 * same factors as the row, so a caller can tell how the result relates to the input.
 */
export function reduce(
  echelon: Echelon,
  input: Row,
  initialScale: bigint,
): { row: Row; scale: bigint } {
  let row = input;
  let scale = initialScale;
  const heap = new MinHeap();
  const queued = new Set<number>();
  const enqueue = (cols: readonly number[]): void => {
    for (const col of cols) {
      const index = echelon.pivotIndex.get(col);
      if (index !== undefined && !queued.has(index)) {
        queued.add(index);
        heap.push(index);
      }
    }
  };
  enqueue(row.cols);
  while (heap.size > 0) {
    const index = heap.pop();
    const col = echelon.pivots[index]!;
    const at = binarySearch(row.cols, col);
    if (at < 0) continue;
    const pivotRow = echelon.rows[index]!;
    const p = pivotRow.vals[binarySearch(pivotRow.cols, col)]!;
    const r = row.vals[at]!;
    row = combine(row, p, pivotRow, r);
    scale *= p;
    const g = gcd(rowGcd(row), scale < 0n ? -scale : scale);
    if (g > 1n) {
      row = divide(row, g);
      scale /= g;
    }
    enqueue(pivotRow.cols);
  }
  return { row, scale };
}

/** p·a − r·b, merged by column, zeros dropped. */
function combine(a: Row, p: bigint, b: Row, r: bigint): Row {
  const cols: number[] = [];
  const vals: bigint[] = [];
  let i = 0;
  let j = 0;
  while (i < a.cols.length || j < b.cols.length) {
    const ca = i < a.cols.length ? a.cols[i]! : Infinity;
    const cb = j < b.cols.length ? b.cols[j]! : Infinity;
    let value: bigint;
    const col = Math.min(ca, cb);
    if (ca === cb) value = p * a.vals[i++]! - r * b.vals[j++]!;
    else if (ca < cb) value = p * a.vals[i++]!;
    else value = -r * b.vals[j++]!;
    if (value !== 0n) {
      cols.push(col);
      vals.push(value);
    }
  }
  return { cols, vals, rhs: p * a.rhs - r * b.rhs };
}

function rowGcd(row: Row): bigint {
  let g = row.rhs < 0n ? -row.rhs : row.rhs;
  for (const v of row.vals) {
    g = gcd(g, v < 0n ? -v : v);
    if (g === 1n) return g;
  }
  return g;
}

function divide(row: Row, g: bigint): Row {
  return { cols: row.cols, vals: row.vals.map((v) => v / g), rhs: row.rhs / g };
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function binarySearch(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const items = this.items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }
  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
