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
 * 3. margins: every category total and year total over a suppressed cell, so no relation
 *    that includes a suppressed cell has all its other members published but the grand total;
 * 4. the grand total: published unless it is itself primary or linked, some cell is linked
 *    (G would bound that cell, and so its suppressed statement count, from below), or
 *    publishing it would leave some suppressed interior cell with a single value
 *    (`keepsTwoValues`): it is then suppressed too, with rule 3's consequences for it.
 *
 * What a reader can then conclude about a suppressed cell p is 1 ≤ p ≤ its statement count and
 * p ≤ each of its (suppressed) margins: at least the two values 1 and 2 when its statement cell
 * is published (that count is ≥ minCell ≥ 2), and only 1 ≤ p when it is not. Even knowing the
 * reason (rule 1 for an interior cell under a published statement cell: p ≤ threshold − 1 ≥ 2),
 * p keeps two values — which is why the threshold is at least 3.
 *
 * With the grand total G published, a reader also has G ≤ Σ category totals and G ≤ Σ year
 * totals, which bound a suppressed cell from below when officers barely overlap (with none, and
 * every other cell known, p = G − the rest). Rule 4 publishes G only when every suppressed
 * interior cell p has a second value p ± 1 in a table that publishes exactly the same thing:
 * the same cells suppressed for the same kind of reason, every published count unchanged, the
 * suppressed margins moved as they must (category and year totals between their largest part
 * and the sum of their parts, at most G and at most their statement count).
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

/**
 * The officers' privacy budget when noise is on (docs/statistics.md "Noise"), stated beside the
 * statement table's `metadata.noise` so a reader knows ε per cell, for the officer table and for
 * the whole release.
 */
export interface OfficerNoiseStatement {
  readonly mechanism: 'discrete_laplace';
  /** Of each officer cell and margin's draw. */
  readonly epsilonPerCell: number;
  /** Cells one record that links nothing can change: an interior cell, its two margins, G. */
  readonly cellsPerRecord: 4;
  /** Of the officer table: cellsPerRecord × epsilonPerCell (basic composition). */
  readonly epsilon: number;
  /** Of the release: the statement table's ε plus the officer table's. */
  readonly releaseEpsilon: number;
  readonly limit: 'a record carrying strong indexes of two otherwise separate officers merges them: no bounded sensitivity, no stated epsilon for such a record';
}

/** k·ε without binary noise in the last digits (0.1 × 4 is written 0.4). */
const times = (k: number, epsilon: number) => Number((k * epsilon).toPrecision(12));

export function officerNoiseStatement(epsilon: number): OfficerNoiseStatement {
  return {
    mechanism: 'discrete_laplace',
    epsilonPerCell: epsilon,
    cellsPerRecord: 4,
    epsilon: times(4, epsilon),
    releaseEpsilon: times(5, epsilon),
    limit:
      'a record carrying strong indexes of two otherwise separate officers merges them: no bounded sensitivity, no stated epsilon for such a record',
  };
}

export interface OfficerTable {
  readonly metadata: {
    readonly dimensions: readonly ['category', 'year'];
    readonly domains: { readonly category: readonly Category[]; readonly year: readonly number[] };
    readonly threshold: number;
    readonly linking: typeof OFFICER_LINKING;
    /** Present when the counts carry noise (tables built before it was stated lack it). */
    readonly noise?: OfficerNoiseStatement;
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
  // Margins of every suppressed cell (its category total, its year total; the grand total by
  // rule 4); and the one non-zero part of a suppressed margin that has only one, which it would
  // equal. Each pass only adds suppressions, so this ends.
  /** The parts of a margin that is total in one dimension; none for an interior cell. */
  const partsOf = (c: Value<Category>, y: Value<number>): string[] =>
    c === TOTAL ? categories.map((p) => key(p, y)) : y === TOTAL ? years.map((p) => key(c, p)) : [];
  const grand = key(TOTAL, TOTAL);
  const propagate = () => {
    for (let changed = true; changed;) {
      changed = false;
      const suppress = (k: string) => {
        if (reason.has(k) || k === grand) return;
        reason.set(k, 'margin');
        changed = true;
      };
      marginPass(suppress);
    }
  };
  const marginPass = (suppress: (k: string) => void) => {
    for (const c of cats)
      for (const y of yrs) {
        if (!reason.has(key(c, y))) continue;
        suppress(key(c, TOTAL));
        suppress(key(TOTAL, y));
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
  };
  propagate();
  if (!reason.has(grand) && value.get(grand)! > 0) {
    const statementCount = (c: Value<Category>, y: Value<number>) =>
      statementCell.get(key(c, y))?.count ?? null;
    // A linked cell's statement count is suppressed: the lower bounds G gives on officers
    // (G ≤ Σ parts) would bound it from below too, so G then stays suppressed (rule 2's reason).
    const linked = [...reason.values()].includes('linked');
    const exposed =
      linked ||
      categories.some((c) =>
        years.some(
          (y) =>
            reason.has(key(c, y)) &&
            !keepsTwoValues({ c, y, categories, years, value, reason, statementCount, threshold }),
        ),
      );
    if (exposed) {
      reason.set(grand, 'margin');
      propagate();
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
      ...(noise ? { noise: officerNoiseStatement(noise.epsilon) } : {}),
    },
    rows,
  };
}

/**
 * Rule 4's test for one suppressed interior cell (c, y) with the grand total G published:
 * whether p + 1 or p − 1 fits a table that publishes the same thing. Other interior cells keep
 * their values; the cell's category total C and year total Y, both suppressed, move only as
 * they must. A statement count that is suppressed is not known here: a move that would need it
 * is refused (conservative).
 *
 * - p + 1: at most its statement count, and below the threshold if it is a primary cell (else
 *   it would be published); C and Y rise to at least p + 1, within their statement counts and G.
 * - p − 1: at least 1 (zero cells are published); C must stay ≤ the sum of its parts, so when
 *   it equals that sum it falls by 1 — at least its largest part — and then G ≤ Σ category
 *   totals must still hold; the same for Y and the year totals.
 */
function keepsTwoValues(t: {
  readonly c: Category;
  readonly y: number;
  readonly categories: readonly Category[];
  readonly years: readonly number[];
  readonly value: ReadonlyMap<string, number>;
  readonly reason: ReadonlyMap<string, OfficerSuppression>;
  readonly statementCount: (c: Value<Category>, y: Value<number>) => number | null;
  readonly threshold: number;
}): boolean {
  const v = (c: Value<Category>, y: Value<number>) => t.value.get(key(c, y))!;
  const p = v(t.c, t.y);
  const g = v(TOTAL, TOTAL);
  const up = p + 1;
  const upCap = Math.min(
    t.statementCount(t.c, t.y) ?? p,
    t.reason.get(key(t.c, t.y)) === 'primary' ? t.threshold - 1 : Infinity,
  );
  const marginRises = (m: number, cap: number | null) => up <= m || up <= Math.min(cap ?? m, g);
  if (
    up <= upCap &&
    marginRises(v(t.c, TOTAL), t.statementCount(t.c, TOTAL)) &&
    marginRises(v(TOTAL, t.y), t.statementCount(TOTAL, t.y))
  ) {
    return true;
  }
  if (p - 1 < 1) return false;
  /** Whether margin m over `parts` (p at `at`) can stay true with p − 1, G ≤ Σ `siblings`. */
  const marginFalls = (m: number, parts: number[], at: number, siblings: number[]) => {
    const lowered = parts.map((x, i) => (i === at ? x - 1 : x));
    if (m <= lowered.reduce((a, b) => a + b, 0)) return true;
    return m - 1 >= Math.max(...lowered, 1) && g <= siblings.reduce((a, b) => a + b, 0) - 1;
  };
  return (
    marginFalls(
      v(t.c, TOTAL),
      t.years.map((y) => v(t.c, y)),
      t.years.indexOf(t.y),
      t.categories.map((c) => v(c, TOTAL)),
    ) &&
    marginFalls(
      v(TOTAL, t.y),
      t.categories.map((c) => v(c, t.y)),
      t.categories.indexOf(t.c),
      t.years.map((y) => v(TOTAL, y)),
    )
  );
}
