/**
 * What the statistics page shows, read from the release's published JSON body — the bytes whose
 * digest the hub signed — and from nothing else, so the page cannot show a number the release
 * does not (a suppressed cell is null there, and stays "suppressed" here). Pure.
 *
 * The page shows the national breakdowns along one dimension at a time (every other dimension
 * a total): by category, by year, by jurisdiction level. Which number depends on the release's
 * coverage tier (docs/statistics.md "Coverage"): counts at `full`, percentages of the grand
 * total at `percentages` and `rates`, nothing at `withheld`. A cell the sparse release does not
 * list is 0.
 */
import { categoryDefinition, CATEGORIES, type Category } from '../../protocol/categories.js';
import type { Coverage, ReleaseTier } from '../../protocol/statistics-coverage.js';

export const TOTAL = '*';

/** The members of the published JSON document the page reads. */
export interface ReleaseDocument {
  readonly metadata: {
    readonly version: number;
    readonly asOf: string;
    readonly nextAsOf: string;
    readonly period: string;
    readonly tier: ReleaseTier;
    readonly coverage: Coverage;
    readonly minCell: number;
    readonly dimensions: readonly string[];
    readonly domains: Readonly<Record<string, readonly (string | number)[]>>;
    readonly noise?: unknown;
  };
  readonly rows: readonly {
    readonly dimensions: Readonly<Record<string, string | number>>;
    readonly count?: number | null;
    readonly percent?: number | null;
    readonly ratePer1000?: number | null;
    readonly suppressed: string | null;
  }[];
}

/** One bar: its label and value, or null when the release suppresses the cell. */
export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
  /** At tier `rates`, national rows also have a rate per 1,000 sworn officers. */
  readonly ratePer1000?: number | null;
}

export interface Breakdown {
  readonly dimension: string;
  readonly bars: readonly Bar[];
}

export interface StatisticsView {
  readonly tier: ReleaseTier;
  /** What the values are: `count` or `percent` (null when withheld). */
  readonly measure: 'count' | 'percent' | null;
  readonly total: Bar | undefined;
  readonly breakdowns: readonly Breakdown[];
}

const LEVEL_LABELS: Readonly<Record<string, string>> = {
  federal: 'Federal',
  state: 'State',
  local: 'Local',
  tribal: 'Tribal',
  territorial: 'Territorial',
};

export function valueLabel(dimension: string, value: string | number): string {
  const text = String(value);
  if (text === TOTAL) return 'All';
  if (dimension === 'category' && (CATEGORIES as readonly string[]).includes(text)) {
    return categoryDefinition(text as Category).label;
  }
  if (dimension === 'level') return LEVEL_LABELS[text] ?? text;
  if (dimension === 'state' && text === 'none') return 'No state';
  if (dimension === 'useOfForce') return text === 'true' ? 'Use of force' : 'No use of force';
  return text;
}

/** The page's breakdowns, in this order, those the release has. */
export const PAGE_DIMENSIONS = ['category', 'year', 'level'] as const;

export function statisticsView(doc: ReleaseDocument): StatisticsView {
  const { tier, dimensions, domains } = doc.metadata;
  const measure = tier === 'withheld' ? null : tier === 'full' ? 'count' : 'percent';
  const index = new Map<string, ReleaseDocument['rows'][number]>();
  const keyOf = (d: Readonly<Record<string, string | number>>) =>
    dimensions.map((name) => String(d[name] ?? TOTAL)).join('\u0000');
  for (const row of doc.rows) index.set(keyOf(row.dimensions), row);

  const barAt = (cell: Record<string, string | number>, label: string, key: string): Bar => {
    const row = index.get(keyOf(cell));
    // Not listed: a zero cell of the sparse release.
    if (row === undefined)
      return { key, label, value: 0, ...(tier === 'rates' ? { ratePer1000: 0 } : {}) };
    const value = measure === null ? null : (row[measure] ?? null);
    return {
      key,
      label,
      value: row.suppressed === null ? value : null,
      ...(tier === 'rates'
        ? { ratePer1000: row.suppressed === null ? (row.ratePer1000 ?? null) : null }
        : {}),
    };
  };
  const totals = Object.fromEntries(dimensions.map((d) => [d, TOTAL]));
  if (measure === null) return { tier, measure, total: undefined, breakdowns: [] };
  const breakdowns = PAGE_DIMENSIONS.filter((d) => dimensions.includes(d)).map((dimension) => ({
    dimension,
    bars: (domains[dimension] ?? []).map((value) =>
      barAt({ ...totals, [dimension]: value }, valueLabel(dimension, value), String(value)),
    ),
  }));
  return { tier, measure, total: barAt(totals, 'All outcomes', TOTAL), breakdowns };
}
