/**
 * Distinct officers (docs/statistics.md, "Distinct officers"): how many officers have at least
 * one counted record, by category × year of the final decision, with every margin. The hub
 * counts them in SQL by linking statements that share a strong hub index under one key epoch
 * (statistics.repository.ts); this module protects and shapes what it counted. Pure, no I/O.
 *
 * Distinct counts are not additive: an officer with final outcomes in two categories is one
 * officer in each category and one in their total, so a total is at most the sum of its parts
 * and at least the largest. Neither the witnesses of the statement table nor its auditors apply
 * (they read equalities). The rule here needs no equalities:
 *
 * 1. primary: a cell with 0 < officers < threshold, threshold = max(minCell, 3);
 * 2. linked: a cell whose statement cell (same category and year, level and state totals) is
 *    suppressed in the statement table — a published officer count would bound it from below;
 * 3. margins: every total over a suppressed cell (its category total, its year total, the grand
 *    total), so no relation that includes a suppressed cell has all its other members published.
 *
 * What a reader can then conclude about a suppressed cell p is 1 ≤ p ≤ its statement count and
 * p ≤ each of its (suppressed) margins: at least the two values 1 and 2 when its statement cell
 * is published (that count is ≥ minCell ≥ 2), and only 1 ≤ p when it is not. Even knowing the
 * reason (rule 1 for an interior cell under a published statement cell: p ≤ threshold − 1 ≥ 2),
 * p keeps two values — which is why the threshold is at least 3.
 */
import type { Category } from '../../../protocol/categories.js';
import { discreteLaplace, type NoiseRng } from './noise.js';
import type { StatisticsTable } from './statistics-table.js';
import { TOTAL } from './table-shape.js';

/** How statements are linked into one officer, stated in every release that has officers. */
export const OFFICER_LINKING = {
  unit: 'officer: the statements linked by a shared strong hub index (ssn or license) under one key epoch, transitively',
  statements: 'the statements counted in the statement table',
  unlinked: 'a statement with no strong hub index is one officer on its own',
} as const;

/** The smallest officer threshold: with a threshold of 2, a suppressed cell would be 1. */
export const MIN_OFFICER_THRESHOLD = 3;

/** Officers counted in the database, for one cell or margin (TOTAL where summed out). */
export interface OfficerGroup {
  readonly category: Category | typeof TOTAL;
  readonly year: number | typeof TOTAL;
  readonly officers: number;
}

export type OfficerSuppression = 'primary' | 'linked' | 'margin';

export interface OfficerRow {
  readonly dimensions: {
    readonly category: Category | typeof TOTAL;
    readonly year: number | typeof TOTAL;
  };
  /** Distinct officers, or null when suppressed. */
  readonly count: number | null;
  readonly suppressed: OfficerSuppression | null;
}

export interface OfficerTable {
  readonly metadata: {
    readonly dimensions: readonly ['category', 'year'];
    readonly domains: { readonly category: readonly Category[]; readonly year: readonly number[] };
    readonly threshold: number;
    readonly linking: typeof OFFICER_LINKING;
  };
  /** Every cell, totals first then domain order (category most significant), as the statement table. */
  readonly rows: readonly OfficerRow[];
}

type Value<T> = T | typeof TOTAL;
const key = (category: Value<Category>, year: Value<number>) => `${category}|${year}`;

/** The officer threshold for a statement table's minCell. */
export function officerThreshold(minCell: number): number {
  return Math.max(minCell, MIN_OFFICER_THRESHOLD);
}

/**
 * The protected officer table for the statement table `statements` (its category and year
 * domains, its threshold and its suppression) and the officers counted per cell and margin.
 * With `noise`, every cell and margin gets discrete Laplace noise of parameter exp(−ε) and is
 * post-processed (clamped to [0, its statement count], a margin to [largest part, sum of
 * parts]) before suppression; draws are in row order.
 */
export function buildOfficerTable(
  statements: StatisticsTable,
  groups: readonly OfficerGroup[],
  noise?: { readonly epsilon: number; readonly rng: NoiseRng },
): OfficerTable {
  const categories = statements.metadata.domains.category ?? [];
  const years = statements.metadata.domains.year ?? [];
  const threshold = officerThreshold(statements.metadata.minCell);

  // The statement cell of each (category, year): level, state, use of force summed out.
  const statementCell = new Map<string, { count: number | null; suppressed: boolean }>();
  for (const row of statements.rows) {
    const d = row.dimensions;
    if ((d.level ?? TOTAL) !== TOTAL || (d.state ?? TOTAL) !== TOTAL) continue;
    if ((d.useOfForce ?? TOTAL) !== TOTAL) continue;
    statementCell.set(key(d.category ?? TOTAL, d.year ?? TOTAL), {
      count: row.count,
      suppressed: row.suppressed !== null,
    });
  }

  const counted = new Map<string, number>();
  for (const g of groups) counted.set(key(g.category, g.year), g.officers);
  const cats: Value<Category>[] = [TOTAL, ...categories];
  const yrs: Value<number>[] = [TOTAL, ...years];
  const value = new Map<string, number>();
  for (const c of cats) for (const y of yrs) value.set(key(c, y), counted.get(key(c, y)) ?? 0);

  if (noise) {
    // Interior cells first, then margins (bounded by their noisy parts), in row order.
    const upper = (c: Value<Category>, y: Value<number>) =>
      statementCell.get(key(c, y))?.count ?? Number.MAX_SAFE_INTEGER;
    for (const c of categories)
      for (const y of years) {
        const noisy = value.get(key(c, y))! + discreteLaplace(noise.epsilon, noise.rng);
        value.set(key(c, y), Math.min(Math.max(0, noisy), upper(c, y)));
      }
    const margin = (c: Value<Category>, y: Value<number>, parts: number[]) => {
      const noisy = value.get(key(c, y))! + discreteLaplace(noise.epsilon, noise.rng);
      const low = Math.max(0, ...parts);
      const high = Math.max(
        low,
        Math.min(
          parts.reduce((s, p) => s + p, 0),
          upper(c, y),
        ),
      );
      value.set(key(c, y), Math.min(Math.max(low, noisy), high));
    };
    for (const y of years)
      margin(
        TOTAL,
        y,
        categories.map((c) => value.get(key(c, y))!),
      );
    for (const c of categories)
      margin(
        c,
        TOTAL,
        years.map((y) => value.get(key(c, y))!),
      );
    margin(
      TOTAL,
      TOTAL,
      categories.flatMap((c) => years.map((y) => value.get(key(c, y))!)),
    );
  }

  const reason = new Map<string, OfficerSuppression>();
  for (const c of cats)
    for (const y of yrs) {
      const v = value.get(key(c, y))!;
      if (v === 0) continue;
      if (v < threshold) reason.set(key(c, y), 'primary');
      else if (statementCell.get(key(c, y))?.suppressed === true) reason.set(key(c, y), 'linked');
    }
  // Margins of every suppressed cell (its category total, its year total, the grand total);
  // and the one non-zero part of a suppressed margin that has only one, which it would equal.
  // Each pass only adds suppressions, so this ends.
  /** The parts of a margin that is total in one dimension; none for an interior cell. */
  const partsOf = (c: Value<Category>, y: Value<number>): string[] =>
    c === TOTAL ? categories.map((p) => key(p, y)) : y === TOTAL ? years.map((p) => key(c, p)) : [];
  for (let changed = true; changed;) {
    changed = false;
    const suppress = (k: string) => {
      if (reason.has(k)) return;
      reason.set(k, 'margin');
      changed = true;
    };
    for (const c of cats)
      for (const y of yrs) {
        if (!reason.has(key(c, y))) continue;
        suppress(key(c, TOTAL));
        suppress(key(TOTAL, y));
        suppress(key(TOTAL, TOTAL));
        if (c === TOTAL && y === TOTAL) {
          // The grand total is a margin of the category totals and of the year totals.
          for (const line of [
            categories.map((p) => key(p, TOTAL)),
            years.map((p) => key(TOTAL, p)),
          ]) {
            const nonZero = line.filter((k) => value.get(k)! > 0);
            if (nonZero.length === 1) suppress(nonZero[0]!);
          }
          continue;
        }
        const nonZero = partsOf(c, y).filter((k) => value.get(k)! > 0);
        if (nonZero.length === 1) suppress(nonZero[0]!);
      }
  }

  const rows: OfficerRow[] = [];
  for (const c of cats)
    for (const y of yrs) {
      const suppressed = reason.get(key(c, y)) ?? null;
      rows.push({
        dimensions: { category: c, year: y },
        count: suppressed === null ? value.get(key(c, y))! : null,
        suppressed,
      });
    }
  return {
    metadata: {
      dimensions: ['category', 'year'],
      domains: { category: categories, year: years },
      threshold,
      linking: OFFICER_LINKING,
    },
    rows,
  };
}
