/**
 * What a release publishes of its table at each coverage tier (protocol/statistics-coverage.ts;
 * docs/statistics.md, "Coverage"). The table is built and suppressed the same way at every tier;
 * the tier decides only which numbers of it leave the hub:
 *
 * - `full`: the published table (render.ts), counts and all.
 * - `rates`: no count. Each row has `percent`, and the rows whose level and state are both
 *   totals (national rows, by category, year, use of force) also `ratePer1000`.
 * - `percentages`: no count; each row has `percent` only.
 * - `withheld`: no rows.
 *
 * `percent` is the cell's count as a percentage of the grand total, rounded half up to 0.1;
 * null where the cell is suppressed, and everywhere when the grand total itself is suppressed
 * (a percentage of a hidden total would be a share of a number the table does not give).
 * `ratePer1000` is the count per 1,000 sworn officers of the active agencies with a known
 * headcount (the coverage denominator), rounded half up to 0.01; null where the cell is
 * suppressed, and on the non-national rows, whose officers the hub cannot count by group.
 * Rounding is in integers: the same table gives the same bytes on every platform.
 */
import { TOTAL } from './table-shape.js';
import type { PublishedRow, PublishedTable, SuppressionFlag } from './render.js';
import type { RowDimensions } from './statistics-table.js';
import type { ReleaseTier } from '../../../protocol/statistics-coverage.js';

export interface TieredRow {
  readonly dimensions: RowDimensions;
  /** Only at tier `full`. */
  readonly count?: number | null;
  /** At tiers `percentages` and `rates`. */
  readonly percent?: number | null;
  /** At tier `rates`. */
  readonly ratePer1000?: number | null;
  readonly suppressed: SuppressionFlag | null;
}

/** round(numerator / denominator, half up) for non-negative integers, exactly. */
function roundedRatio(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** count ÷ total as a percentage to 0.1. */
export function percentOf(count: number, total: number): number {
  return roundedRatio(count * 1000, total) / 10;
}

/** count per 1,000 of `sworn`, to 0.01. */
export function ratePer1000(count: number, sworn: number): number {
  return roundedRatio(count * 100_000, sworn) / 100;
}

function isNational(dimensions: RowDimensions): boolean {
  return (dimensions.level ?? TOTAL) === TOTAL && (dimensions.state ?? TOTAL) === TOTAL;
}

/**
 * The rows a release publishes at `tier`. `knownSworn` is the coverage denominator (used at tier
 * `rates`; a zero denominator gives null rates).
 */
export function tieredRows(
  published: {
    readonly metadata: Pick<PublishedTable['metadata'], 'dimensions'>;
    readonly rows: readonly PublishedRow[];
  },
  tier: ReleaseTier,
  knownSworn: number,
): readonly TieredRow[] {
  if (tier === 'full') return published.rows;
  if (tier === 'withheld') return [];
  const grand = published.rows.find((r) =>
    published.metadata.dimensions.every((d) => r.dimensions[d] === TOTAL),
  );
  const total = grand?.count ?? null;
  return published.rows.map((row: PublishedRow): TieredRow => {
    const visible = row.count === null || total === null ? null : row.count;
    const percent = visible === null ? null : total === 0 ? 0 : percentOf(visible, total!);
    if (tier === 'percentages') {
      return { dimensions: row.dimensions, percent, suppressed: row.suppressed };
    }
    const rate =
      visible === null || knownSworn <= 0 || !isNational(row.dimensions)
        ? null
        : ratePer1000(visible, knownSworn);
    return { dimensions: row.dimensions, percent, ratePer1000: rate, suppressed: row.suppressed };
  });
}

/** The value columns a CSV release has at `tier`, after the dimensions. */
export function tieredColumns(tier: ReleaseTier): readonly ('count' | 'percent' | 'ratePer1000')[] {
  if (tier === 'full') return ['count'];
  if (tier === 'rates') return ['percent', 'ratePer1000'];
  return ['percent'];
}
