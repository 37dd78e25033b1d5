/**
 * The exact linear auditor (docs/statistics.md §Auditor). A suppressed cell is recoverable from
 * a publication when its value is the same in every table that agrees with the published cells
 * and satisfies the additive relations. Write each relation with the published cells moved to
 * the right-hand side, A·x = b over the suppressed cells x: cell j is determined exactly when
 * the unit vector e_j lies in the row space of A, i.e. when x_j is zero in every null vector of A.
 *
 * 1. Relations only link cells of one connected component (cells sharing a relation), so each
 *    component is solved on its own.
 * 2. Exact echelon form of the component's rows (echelon.ts, integers, no rounding).
 * 3. Certificates of safety: a null vector of the echelon form, from pseudo-random values of the
 *    free columns and back-substitution, computed modulo the prime P. Over the rationals that
 *    back-substitution defines a true null vector z (every pivot is checked invertible mod P), and
 *    z_j mod P ≠ 0 implies z_j ≠ 0, so every such cell is proved undetermined. Two vectors are
 *    tried; a determined cell is 0 in both, an undetermined one only by a 1-in-P accident.
 * 4. Every cell left is decided exactly: e_j is reduced by the echelon rows (in integers); it is
 *    in the row space iff nothing is left, and then the same reduction applied to b gives x_j.
 * The answer never depends on the pseudo-random values; only the time does (steps 3 and 4 are
 * what keeps the national table's audit to seconds: see docs/statistics.md §Timing).
 */
import { echelonForm, reduce, type Echelon, type Row } from './echelon.js';
import { StatisticsError } from './errors.js';
import { relationsOf, type TableShape } from './table-shape.js';

export interface RecoveredCell {
  readonly cell: number;
  readonly value: number;
}

/** A prime below 2^26, so a product of two residues is exact in a double. */
const P = 67_108_859;
const NULL_VECTORS = 2;

/**
 * The suppressed cells (`suppressed[cell] !== 0`) whose value the published cells
 * (`values[cell]`, read only where not suppressed) determine, with that value, in cell order.
 * Throws STATISTICS_TABLE_INVALID when the published values contradict the relations.
 */
export function auditLinear(
  shape: TableShape,
  values: readonly (number | null)[],
  suppressed: Uint8Array,
): RecoveredCell[] {
  const recovered: RecoveredCell[] = [];
  for (const rows of components(restrictedRelations(shape, values, suppressed))) {
    recovered.push(...determinedCells(rows));
  }
  return recovered.sort((a, b) => a.cell - b.cell);
}

/** Each relation total − Σ parts = 0, with the published members moved to the right-hand side. */
function restrictedRelations(
  shape: TableShape,
  values: readonly (number | null)[],
  suppressed: Uint8Array,
): Row[] {
  const rows: Row[] = [];
  for (const { total, parts } of relationsOf(shape)) {
    const cols: number[] = [];
    const vals: bigint[] = [];
    let rhs = 0n;
    // The total has the lowest index of its relation and parts ascend, so cols ascend.
    for (const [cell, coefficient] of [
      [total, 1n] as const,
      ...parts.map((p) => [p, -1n] as const),
    ]) {
      if (suppressed[cell] !== 0) {
        cols.push(cell);
        vals.push(coefficient);
        continue;
      }
      const value = values[cell];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new StatisticsError('STATISTICS_TABLE_INVALID', 'bad count', {
          field: `cells[${cell}]`,
        });
      }
      rhs -= coefficient * BigInt(value);
    }
    if (cols.length > 0) rows.push({ cols, vals, rhs });
    else if (rhs !== 0n) {
      throw new StatisticsError('STATISTICS_TABLE_INVALID', 'total ≠ sum', {
        field: `cells[${total}]`,
      });
    }
  }
  return rows;
}

/** Rows grouped by the connected components of the cells they link (union–find). */
function components(rows: readonly Row[]): Row[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    while (x !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  for (const row of rows) {
    for (const col of row.cols) if (!parent.has(col)) parent.set(col, col);
    const first = find(row.cols[0]!);
    for (const col of row.cols) parent.set(find(col), first);
  }
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const root = find(row.cols[0]!);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [row]);
    else group.push(row);
  }
  return [...groups.values()];
}

function determinedCells(rows: readonly Row[]): RecoveredCell[] {
  const echelon = echelonForm(rows);
  const cells = [...new Set(rows.flatMap((row) => row.cols))];
  let undecided = cells;
  for (let round = 0; round < NULL_VECTORS && undecided.length > 0; round++) {
    const z = nullVectorModP(echelon, cells, round);
    if (z === null) break;
    undecided = undecided.filter((cell) => z.get(cell) === 0);
  }
  const recovered: RecoveredCell[] = [];
  for (const cell of undecided) {
    // scale·e_j − Σ y_i·rows_i = left over; nothing left means scale·x_j = Σ y_i·b_i.
    const { row, scale } = reduce(echelon, { cols: [cell], vals: [1n], rhs: 0n }, 1n);
    if (row.cols.length > 0) continue;
    const numerator = -row.rhs;
    if (numerator % scale !== 0n) {
      throw new StatisticsError('STATISTICS_TABLE_INVALID', 'non-integer count', {
        field: `cells[${cell}]`,
      });
    }
    recovered.push({ cell, value: Number(numerator / scale) });
  }
  return recovered;
}

/**
 * A null vector of the echelon rows modulo P: free columns get values of a fixed pseudo-random
 * sequence (a linear congruential generator; any values are correct, these are just unlikely to
 * cancel), pivots are solved newest row first. Null when a pivot is 0 mod P (then every cell is
 * decided exactly instead).
 */
function nullVectorModP(
  echelon: Echelon,
  cells: readonly number[],
  round: number,
): Map<number, number> | null {
  const z = new Map<number, number>();
  let state = 0x2545f491 + round * 0x9e3779b;
  for (const cell of cells) {
    if (echelon.pivotIndex.has(cell)) continue;
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    z.set(cell, 1 + (state % (P - 1)));
  }
  for (let i = echelon.rows.length - 1; i >= 0; i--) {
    const row = echelon.rows[i]!;
    const pivot = echelon.pivots[i]!;
    let sum = 0;
    let pivotValue = 0;
    row.cols.forEach((col, k) => {
      const v = modP(row.vals[k]!);
      if (col === pivot) pivotValue = v;
      else sum = (sum + v * z.get(col)!) % P;
    });
    if (pivotValue === 0) return null;
    z.set(pivot, (((P - sum) % P) * inverseModP(pivotValue)) % P);
  }
  return z;
}

function modP(v: bigint): number {
  const r = Number(v % BigInt(P));
  return r < 0 ? r + P : r;
}

/** a^(−1) mod P by the extended Euclidean algorithm; a ≠ 0 mod P. */
function inverseModP(a: number): number {
  let [r0, r1] = [P, a];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return t0 < 0 ? t0 + P : t0;
}
