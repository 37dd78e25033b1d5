/**
 * Primary and complementary suppression (docs/statistics.md §Suppression).
 *
 * Primary: every cell, interior or marginal, with 0 < count < minCell. Zeros are published.
 *
 * Complementary: each primary cell not yet covered, most sensitive (smallest) first, gets the
 * cheapest valid witness through it (witness.ts), and every cell of that witness's support is
 * suppressed. Every suppressed cell then lies on a valid witness whose support is entirely
 * suppressed, which proves that no attacker who knows the published cells, the relations and
 * that suppressed cells are ≥ 1 can pin its value down — not by solving the relations, and not
 * with non-negativity or integrality either.
 *
 * The proof is the design; the auditors are the check. Both auditors run on the result, and any
 * cell they report (a defect, if it ever happens) gets a fallback witness, until they report
 * nothing. That loop ends: each round suppresses at least one more cell, and a table where
 * every non-zero cell is suppressed is safe (doubling every count gives another consistent table).
 */
import { auditBounds, SUPPRESSED_COMPLEMENTARY, SUPPRESSED_PRIMARY } from './bounds-audit.js';
import { StatisticsError } from './errors.js';
import { auditLinear } from './linear-audit.js';
import type { TableShape } from './table-shape.js';
import { cheapestWitness, fallbackWitness, type Witness, type WitnessContext } from './witness.js';

/** 0 published, SUPPRESSED_PRIMARY or SUPPRESSED_COMPLEMENTARY, per cell. */
export function primarySuppression(counts: readonly number[], minCell: number): Uint8Array {
  const status = new Uint8Array(counts.length);
  counts.forEach((count, cell) => {
    if (count > 0 && count < minCell) status[cell] = SUPPRESSED_PRIMARY;
  });
  return status;
}

/** The published value of each cell: its count, or null when suppressed. */
export function publishedValues(counts: readonly number[], status: Uint8Array): (number | null)[] {
  return counts.map((count, cell) => (status[cell] === 0 ? count : null));
}

export interface Protection {
  readonly status: Uint8Array;
  /** The witnesses chosen, in order: each proves its support cells are protected. */
  readonly witnesses: readonly Witness[];
  /** Audit rounds run; 1 means the first audit found nothing. */
  readonly auditRounds: number;
}

export function protect(shape: TableShape, counts: readonly number[], minCell: number): Protection {
  const status = primarySuppression(counts, minCell);
  const covered = new Uint8Array(counts.length);
  const witnesses: Witness[] = [];
  const ctx: WitnessContext = { shape, counts, suppressed: status };
  const apply = (witness: Witness): number => {
    witnesses.push(witness);
    let added = 0;
    for (const cell of witness.support) {
      if (status[cell] === 0) {
        status[cell] = SUPPRESSED_COMPLEMENTARY;
        added += 1;
      }
      covered[cell] = 1;
    }
    return added;
  };

  const primaries: number[] = [];
  status.forEach((s, cell) => {
    if (s === SUPPRESSED_PRIMARY) primaries.push(cell);
  });
  primaries.sort((a, b) => counts[a]! - counts[b]! || a - b);
  for (const cell of primaries) if (covered[cell] === 0) apply(cheapestWitness(ctx, cell));

  for (let round = 1; ; round++) {
    const values = publishedValues(counts, status);
    const found = new Set([
      ...auditLinear(shape, values, status).map((r) => r.cell),
      ...auditBounds(shape, values, status, { minCell, reasonsKnown: false }).map((r) => r.cell),
    ]);
    if (found.size === 0) return { status, witnesses, auditRounds: round };
    let added = 0;
    for (const cell of found) added += apply(fallbackWitness(ctx, cell));
    if (added === 0) {
      throw new StatisticsError('STATISTICS_SUPPRESSION_FAILED', 'audit and witnesses disagree');
    }
  }
}
