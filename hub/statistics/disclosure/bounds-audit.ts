/**
 * The bounds auditor (docs/statistics.md §Auditor). Linear recovery is not the only attack:
 * counts are integers, and an attacker who knows the publication rules knows more about each
 * suppressed cell than the relations say. Zeros are always published, so every suppressed cell
 * is at least 1; if the reason for each suppression were published, a primary cell would be at
 * most minCell − 1 and a complementary one at least minCell. Two suppressed cells in a relation
 * with a known sum of 2 are then both 1, although neither is linearly determined.
 *
 * This auditor propagates those bounds through the relations (interval constraint propagation:
 * for Σ a_i·x_i = b, each a_i·x_i lies in b minus the range of the other terms) until nothing
 * changes, and reports every suppressed cell whose lower and upper bounds meet. It is sound —
 * a cell it reports really is determined — but not complete: linear programming over all
 * relations at once can prove tighter bounds than relation-by-relation propagation. The builder
 * does not rely on it: its witnesses prove every suppressed cell has two consistent integer values
 * under the "≥ 1" knowledge (witness.ts); this is the independent check.
 */
import { StatisticsError } from './errors.js';
import type { RecoveredCell } from './linear-audit.js';
import { relationsOf, type TableShape } from './table-shape.js';

export const SUPPRESSED_PRIMARY = 1;
export const SUPPRESSED_COMPLEMENTARY = 2;
/** Suppressed, reason not published. */
export const SUPPRESSED_UNSPECIFIED = 3;

export interface AttackerKnowledge {
  readonly minCell: number;
  /** Whether the attacker knows which suppressions are primary and which complementary. */
  readonly reasonsKnown: boolean;
}

/** Propagation stops after this many bound changes per relation, leaving the audit incomplete. */
const MAX_UPDATES_PER_RELATION = 64;

interface BoundRow {
  readonly vars: number[];
  readonly coefs: number[];
  readonly rhs: number;
}

/**
 * Suppressed cells whose bounds meet, with their value, in cell order. `status[cell]` is 0 for a
 * published cell, else one of the SUPPRESSED_* values.
 */
export function auditBounds(
  shape: TableShape,
  values: readonly (number | null)[],
  status: Uint8Array,
  knowledge: AttackerKnowledge,
): RecoveredCell[] {
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  const rows: BoundRow[] = [];
  const rowsOf = new Map<number, number[]>();
  for (const { total, parts } of relationsOf(shape)) {
    const vars: number[] = [];
    const coefs: number[] = [];
    let rhs = 0;
    for (const [cell, coef] of [[total, 1] as const, ...parts.map((p) => [p, -1] as const)]) {
      if (status[cell] === 0) {
        rhs -= coef * (values[cell] ?? NaN);
        continue;
      }
      vars.push(cell);
      coefs.push(coef);
      if (!lo.has(cell)) {
        const [l, h] = initialBounds(status[cell]!, knowledge);
        lo.set(cell, l);
        hi.set(cell, h);
      }
      const list = rowsOf.get(cell);
      if (list === undefined) rowsOf.set(cell, [rows.length]);
      else list.push(rows.length);
    }
    if (vars.length > 0) rows.push({ vars, coefs, rhs });
  }

  const queue = rows.map((_, i) => i);
  const queued = new Set(queue);
  let budget = MAX_UPDATES_PER_RELATION * rows.length;
  while (queue.length > 0 && budget > 0) {
    const r = queue.shift()!;
    queued.delete(r);
    for (const cell of tighten(rows[r]!, lo, hi)) {
      budget -= 1;
      if (lo.get(cell)! > hi.get(cell)!) {
        throw new StatisticsError('STATISTICS_TABLE_INVALID', 'no table fits', {
          field: `cells[${cell}]`,
        });
      }
      for (const other of rowsOf.get(cell)!) {
        if (!queued.has(other)) {
          queued.add(other);
          queue.push(other);
        }
      }
    }
  }
  const pinned: RecoveredCell[] = [];
  for (const [cell, l] of lo) if (l === hi.get(cell)) pinned.push({ cell, value: l });
  return pinned.sort((a, b) => a.cell - b.cell);
}

function initialBounds(status: number, knowledge: AttackerKnowledge): [number, number] {
  if (knowledge.reasonsKnown && status === SUPPRESSED_PRIMARY) return [1, knowledge.minCell - 1];
  if (knowledge.reasonsKnown && status === SUPPRESSED_COMPLEMENTARY) {
    return [knowledge.minCell, Infinity];
  }
  return [1, Infinity];
}

/** Narrows the bounds of the row's cells; returns the cells whose bounds changed. */
function tighten(row: BoundRow, lo: Map<number, number>, hi: Map<number, number>): number[] {
  // Range of each term a·x, and of their sum, counting infinite ends separately so that the
  // range of "all terms but one" is exact.
  const termLo = row.vars.map((v, i) => (row.coefs[i]! > 0 ? lo.get(v)! : -hi.get(v)!));
  const termHi = row.vars.map((v, i) => (row.coefs[i]! > 0 ? hi.get(v)! : -lo.get(v)!));
  const sumLo = finiteSum(termLo);
  const sumHi = finiteSum(termHi);
  const changed: number[] = [];
  row.vars.forEach((cell, i) => {
    const restLo = leaveOut(sumLo, termLo[i]!);
    const restHi = leaveOut(sumHi, termHi[i]!);
    // a·x = rhs − rest, so a·x ∈ [rhs − restHi, rhs − restLo].
    let newLo = row.rhs - restHi;
    let newHi = row.rhs - restLo;
    if (row.coefs[i]! < 0) [newLo, newHi] = [-newHi, -newLo];
    const l = Math.max(lo.get(cell)!, newLo);
    const h = Math.min(hi.get(cell)!, newHi);
    if (l !== lo.get(cell) || h !== hi.get(cell)) {
      lo.set(cell, l);
      hi.set(cell, h);
      changed.push(cell);
    }
  });
  return changed;
}

interface InfiniteSum {
  readonly finite: number;
  readonly infinite: number;
  readonly sign: number;
}

function finiteSum(terms: readonly number[]): InfiniteSum {
  let finite = 0;
  let infinite = 0;
  let sign = 0;
  for (const t of terms) {
    if (Number.isFinite(t)) finite += t;
    else {
      infinite += 1;
      sign = Math.sign(t);
    }
  }
  return { finite, infinite, sign };
}

function leaveOut(sum: InfiniteSum, term: number): number {
  const infinite = sum.infinite - (Number.isFinite(term) ? 0 : 1);
  if (infinite > 0) return sum.sign * Infinity;
  return sum.finite - (Number.isFinite(term) ? term : 0);
}
