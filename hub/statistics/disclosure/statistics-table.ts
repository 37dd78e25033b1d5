/**
 * The public statistics table (docs/statistics.md): counts by category × year × jurisdiction
 * level × state (the dimensions are configurable), every marginal total down to the grand
 * total, small cells suppressed so that no suppressed value can be recovered from the rest.
 */
import type { Category } from '../../../protocol/categories.js';
import type { NoiseStatement } from './noise.js';
import { formatTimestamp, type Timestamp } from '../../../protocol/common.js';
import { CURRENT_CATEGORY_LIST_VERSION } from '../../../protocol/categories.js';
import type { JurisdictionLevel } from '../../../protocol/registry-entry.js';
import { SUPPRESSED_PRIMARY } from './bounds-audit.js';
import type { CountableRecord, StateValue } from './countable-records.js';
import { StatisticsError } from './errors.js';
import { protect } from './suppression.js';
import {
  countCells,
  countGroups,
  createShape,
  DEFAULT_DIMENSIONS,
  domainsFor,
  STATISTICS_DIMENSIONS,
  TOTAL,
  valueOf,
  type Dimension,
  type TableShape,
} from './table-shape.js';

/** Cells with a count from 1 to DEFAULT_MIN_CELL − 1 are suppressed ("rule of ten"). */
export const DEFAULT_MIN_CELL = 10;
/** Bounds on minCell: 2 suppresses only ones; beyond the upper bound a table says nothing. */
export const MIN_CELL_RANGE = { min: 2, max: 1000 } as const;

export interface DimensionValues {
  readonly category: Category;
  readonly year: number;
  readonly level: JurisdictionLevel;
  readonly state: StateValue;
  readonly useOfForce: boolean;
}
export type RowDimensions = { readonly [D in Dimension]?: DimensionValues[D] | typeof TOTAL };
export type TableDomains = { readonly [D in Dimension]?: readonly DimensionValues[D][] };

export type SuppressionReason = 'primary' | 'complementary';

export interface StatisticsRow {
  readonly dimensions: RowDimensions;
  /** The count, or null when suppressed. */
  readonly count: number | null;
  readonly suppressed: SuppressionReason | null;
}

/** How records were selected (countable-records.ts), stated in every release. */
export const COUNTING_RULES = {
  chain: 'current statement of each supersession chain',
  statuses: ['final'],
  year: 'calendar year of outcomeDate',
  jurisdiction: "issuer's registry entry at generation time",
} as const;

export interface StatisticsMetadata {
  readonly generatedAt: Timestamp;
  readonly minCell: number;
  readonly categoryListVersion: number;
  readonly dimensions: readonly Dimension[];
  readonly domains: TableDomains;
  readonly counting: typeof COUNTING_RULES;
  /** Zero counts are always published (docs/statistics.md §Zeros). */
  readonly zerosPublished: true;
  /** Present when the counts carry differential-privacy noise (noise.ts). */
  readonly noise?: NoiseStatement;
}

export interface StatisticsTable {
  readonly metadata: StatisticsMetadata;
  /** One row per cell, in the stable order (table-shape.ts): totals first, then domain order. */
  readonly rows: readonly StatisticsRow[];
}

export interface StatisticsOptions {
  /** The clock: generatedAt. */
  readonly now: Date;
  readonly minCell?: number;
  readonly dimensions?: readonly Dimension[];
  /** The release period; default every year from the first to the last record's. */
  readonly years?: readonly number[];
}

export function buildStatisticsTable(
  records: readonly CountableRecord[],
  options: StatisticsOptions,
): StatisticsTable {
  const prepared = prepareTable(options, (dimensions) =>
    domainsFor(
      dimensions,
      records.map((r) => r.year),
      options.years,
    ),
  );
  const counts = countCells(prepared.shape, records);
  const { status } = protect(prepared.shape, counts, prepared.minCell);
  return assembleTable(prepared, counts, status);
}

/**
 * The interior counts of a table, already grouped (the hub counts in SQL: docs/statistics.md,
 * "Releases"). `values` holds a value for every dimension of the table; groups with equal values
 * add up.
 */
export interface CellGroup {
  readonly values: { readonly [D in Dimension]?: DimensionValues[D] };
  readonly count: number;
}

/** A validated table shape with its options, before counting. */
export interface PreparedTable {
  readonly shape: TableShape;
  readonly minCell: number;
  readonly now: Date;
}

/**
 * Validates the options and lays out the table: the first step of buildStatisticsTable, for a
 * caller that counts elsewhere and suppresses elsewhere (another thread). `domains` lays out
 * each dimension's values (table-shape.ts domainsFor).
 */
export function prepareTable(
  options: StatisticsOptions,
  domains: (dimensions: readonly Dimension[]) => string[][],
): PreparedTable {
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  if (!Number.isInteger(minCell) || minCell < MIN_CELL_RANGE.min || minCell > MIN_CELL_RANGE.max) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'minCell out of range', {
      field: 'minCell',
    });
  }
  if (!(options.now instanceof Date) || !Number.isFinite(options.now.getTime())) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'not a valid Date', { field: 'now' });
  }
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  if (dimensions.some((d) => !STATISTICS_DIMENSIONS.includes(d))) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'unknown dimension', {
      field: 'dimensions',
    });
  }
  return { shape: createShape(dimensions, domains(dimensions)), minCell, now: options.now };
}

/** The counts of every cell from grouped interior counts (countCells for records). */
export function prepareGroupedTable(
  groups: readonly CellGroup[],
  options: StatisticsOptions,
): { prepared: PreparedTable; counts: number[] } {
  const prepared = prepareTable(options, (dimensions) =>
    domainsFor(
      dimensions,
      groups.map((g) => g.values.year ?? Number.NaN).filter((y) => !Number.isNaN(y)),
      options.years,
    ),
  );
  return { prepared, counts: countGroups(prepared.shape, groups) };
}

/** The rows and metadata of a table whose suppression `status` (per cell) is decided. */
export function assembleTable(
  prepared: PreparedTable,
  counts: readonly number[],
  status: Uint8Array,
): StatisticsTable {
  const { shape, minCell } = prepared;
  const dimensions = shape.dimensions;
  const rows = counts.map((count, cell): StatisticsRow => ({
    dimensions: rowDimensions(shape, cell),
    count: status[cell] === 0 ? count : null,
    suppressed:
      status[cell] === 0 ? null : status[cell] === SUPPRESSED_PRIMARY ? 'primary' : 'complementary',
  }));
  const metadata: StatisticsMetadata = {
    generatedAt: formatTimestamp(prepared.now),
    minCell,
    categoryListVersion: CURRENT_CATEGORY_LIST_VERSION,
    dimensions: [...dimensions],
    domains: Object.fromEntries(
      dimensions.map((d, k) => [d, shape.domains[k]!.map((v) => typed(d, v))]),
    ) as TableDomains,
    counting: COUNTING_RULES,
    zerosPublished: true,
  };
  return { metadata, rows };
}

export function rowDimensions(shape: TableShape, cell: number): RowDimensions {
  return Object.fromEntries(
    shape.dimensions.map((d, k) => {
      const value = valueOf(shape, cell, k);
      return [d, value === TOTAL ? TOTAL : typed(d, value)];
    }),
  ) as RowDimensions;
}

/** A domain value as published: years as numbers, useOfForce as booleans. */
function typed(dimension: Dimension, value: string): string | number | boolean {
  if (dimension === 'year') return Number(value);
  if (dimension === 'useOfForce') return value === 'true';
  return value;
}

/** The shape of a table from its metadata (the inverse of buildStatisticsTable's). */
export function shapeOf(metadata: Pick<StatisticsMetadata, 'dimensions' | 'domains'>): TableShape {
  const domains = metadata.dimensions.map((d) => {
    const domain = metadata.domains[d];
    if (domain === undefined) {
      throw new StatisticsError('STATISTICS_TABLE_INVALID', 'no domain', {
        field: `metadata.domains.${d}`,
      });
    }
    return (domain as readonly (string | number | boolean)[]).map(String);
  });
  return createShape(metadata.dimensions, domains);
}
