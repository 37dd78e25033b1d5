/**
 * The shape of a statistics table: its dimensions, each dimension's domain, and every cell —
 * interior cells (a value in every dimension) and marginal cells (the total `*` in one or more
 * dimensions), down to the grand total.
 *
 * A cell is an index in mixed radix: in dimension k its digit is 0 for `*` and 1..n_k for the
 * domain values, the first dimension most significant. Index order is therefore the published
 * row order: totals before details, and domain order within a dimension.
 *
 * The additive relations: for every cell m with `*` in dimension k,
 *   m = Σ over v in domain_k of m[k := v].
 * They are the only relations between cells; every total obtained by summing out any subset of
 * dimensions is published (or suppressed), so all of them hold.
 */
import { US_JURISDICTION_CODES } from '../../../crypto/us-jurisdictions.js';
import { CATEGORIES } from '../../../protocol/categories.js';
import { JURISDICTION_LEVELS } from '../../../protocol/registry-entry.js';
import { NO_STATE, type CountableRecord } from './countable-records.js';
import { StatisticsError } from './errors.js';

export const STATISTICS_DIMENSIONS = ['category', 'year', 'level', 'state', 'useOfForce'] as const;
export type Dimension = (typeof STATISTICS_DIMENSIONS)[number];
export const DEFAULT_DIMENSIONS: readonly Dimension[] = ['category', 'year', 'level', 'state'];

/** The value of a marginal cell in a dimension it sums out. */
export const TOTAL = '*';

/** The largest table built; beyond it suppression and audit would not finish in reasonable time. */
export const MAX_TABLE_CELLS = 250_000;

export interface TableShape {
  readonly dimensions: readonly Dimension[];
  /** Per dimension, its values as strings (years in decimal, useOfForce as true/false). */
  readonly domains: readonly (readonly string[])[];
  /** Per dimension, domain size + 1 (the extra digit 0 is `*`). */
  readonly radix: readonly number[];
  readonly strides: readonly number[];
  readonly cellCount: number;
  readonly lookup: readonly ReadonlyMap<string, number>[];
}

export function createShape(
  dimensions: readonly Dimension[],
  domains: readonly (readonly string[])[],
): TableShape {
  if (dimensions.length === 0 || new Set(dimensions).size !== dimensions.length) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'distinct dimensions', {
      field: 'dimensions',
    });
  }
  const radix = domains.map((d) => d.length + 1);
  const strides: number[] = new Array<number>(dimensions.length).fill(1);
  for (let k = dimensions.length - 2; k >= 0; k--) strides[k] = strides[k + 1]! * radix[k + 1]!;
  const cellCount = strides[0]! * radix[0]!;
  if (cellCount > MAX_TABLE_CELLS) {
    throw new StatisticsError('STATISTICS_OPTION_INVALID', 'table too large', {
      field: 'dimensions',
    });
  }
  const lookup = domains.map((d) => new Map(d.map((value, i) => [value, i + 1])));
  return { dimensions, domains, radix, strides, cellCount, lookup };
}

/** The digit of `cell` in dimension k (0 = `*`). */
export function digit(shape: TableShape, cell: number, k: number): number {
  return Math.floor(cell / shape.strides[k]!) % shape.radix[k]!;
}

export function digitsOf(shape: TableShape, cell: number): number[] {
  return shape.dimensions.map((_, k) => digit(shape, cell, k));
}

export function cellAt(shape: TableShape, digits: readonly number[]): number {
  return digits.reduce((cell, d, k) => cell + d * shape.strides[k]!, 0);
}

/** The cell `cell` with its digit in dimension k replaced by `d`. */
export function withDigit(shape: TableShape, cell: number, k: number, d: number): number {
  return cell + (d - digit(shape, cell, k)) * shape.strides[k]!;
}

/** The value of `cell` in dimension k: a domain value or TOTAL. */
export function valueOf(shape: TableShape, cell: number, k: number): string {
  const d = digit(shape, cell, k);
  return d === 0 ? TOTAL : shape.domains[k]![d - 1]!;
}

export interface Relation {
  /** The marginal cell. */
  readonly total: number;
  /** The cells it sums, in domain order. */
  readonly parts: readonly number[];
}

/** Every additive relation of the table (see the file comment), in cell order. */
export function relationsOf(shape: TableShape): Relation[] {
  const relations: Relation[] = [];
  for (let total = 0; total < shape.cellCount; total++) {
    for (let k = 0; k < shape.dimensions.length; k++) {
      if (digit(shape, total, k) !== 0) continue;
      const parts: number[] = [];
      for (let d = 1; d < shape.radix[k]!; d++) parts.push(total + d * shape.strides[k]!);
      relations.push({ total, parts });
    }
  }
  return relations;
}

/** A record's value in a dimension, spelled as in the domain. */
export function recordValue(record: CountableRecord, dimension: Dimension): string {
  switch (dimension) {
    case 'category':
      return record.category;
    case 'year':
      return String(record.year);
    case 'level':
      return record.level;
    case 'state':
      return record.state;
    case 'useOfForce':
      return String(record.useOfForce);
  }
}

/**
 * The domain of each dimension. Categories, levels and states are fixed lists, so a table has
 * the same rows from one release to the next and a missing row never stands for a zero; years
 * are `years` when given (the release period), else every year from the first to the last
 * record's.
 */
export function domainsFor(
  dimensions: readonly Dimension[],
  recordYears: readonly number[],
  years: readonly number[] | undefined,
): string[][] {
  return dimensions.map((dimension) => {
    switch (dimension) {
      case 'category':
        return [...CATEGORIES];
      case 'year':
        return yearDomain(recordYears, years);
      case 'level':
        return [...JURISDICTION_LEVELS];
      case 'state':
        return [...[...US_JURISDICTION_CODES].sort(), NO_STATE];
      case 'useOfForce':
        return ['true', 'false'];
    }
  });
}

function yearDomain(recordYears: readonly number[], years: readonly number[] | undefined) {
  if (years !== undefined) {
    if (years.some((y) => !Number.isInteger(y) || y < 1900 || y > 9999)) {
      throw new StatisticsError('STATISTICS_OPTION_INVALID', 'years are 1900..9999', {
        field: 'years',
      });
    }
    return [...new Set(years)].sort((a, b) => a - b).map(String);
  }
  if (recordYears.length === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (const year of recordYears) {
    first = Math.min(first, year);
    last = Math.max(last, year);
  }
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}

/** The true count of every cell: records counted in interior cells, then fillTotals. */
export function countCells(shape: TableShape, records: readonly CountableRecord[]): number[] {
  const counts = new Array<number>(shape.cellCount).fill(0);
  records.forEach((record, i) => {
    let cell = 0;
    shape.dimensions.forEach((dimension, k) => {
      const d = shape.lookup[k]!.get(recordValue(record, dimension));
      if (d === undefined) {
        throw new StatisticsError('STATISTICS_OUTSIDE_DOMAIN', 'value not in domain', {
          field: `records[${i}].${dimension}`,
        });
      }
      cell += d * shape.strides[k]!;
    });
    counts[cell]! += 1;
  });
  return fillTotals(shape, counts);
}

/**
 * The true count of every cell from counts already grouped by interior cell (the hub groups in
 * SQL): the same as countCells over the records the groups were counted from.
 */
export function countGroups(
  shape: TableShape,
  groups: readonly {
    readonly values: Partial<Record<Dimension, unknown>>;
    readonly count: number;
  }[],
): number[] {
  const counts = new Array<number>(shape.cellCount).fill(0);
  groups.forEach((group, i) => {
    if (!Number.isSafeInteger(group.count) || group.count < 0) {
      throw new StatisticsError('STATISTICS_RECORD_INVALID', 'not a count', {
        field: `groups[${i}].count`,
      });
    }
    let cell = 0;
    shape.dimensions.forEach((dimension, k) => {
      const d = shape.lookup[k]!.get(String(group.values[dimension]));
      if (d === undefined) {
        throw new StatisticsError('STATISTICS_OUTSIDE_DOMAIN', 'value not in domain', {
          field: `groups[${i}].${dimension}`,
        });
      }
      cell += d * shape.strides[k]!;
    });
    counts[cell]! += group.count;
  });
  return fillTotals(shape, counts);
}

/**
 * Sets every marginal cell of `counts` (in place, returned) to the sum of the interior cells
 * under it. One dimension at a time, each cell with `*` in that dimension becomes the sum of its
 * parts, which already hold the totals over the earlier dimensions.
 */
export function fillTotals(shape: TableShape, counts: number[]): number[] {
  for (let k = 0; k < shape.dimensions.length; k++) {
    for (let cell = 0; cell < shape.cellCount; cell++) {
      if (digit(shape, cell, k) !== 0) continue;
      let sum = 0;
      for (let d = 1; d < shape.radix[k]!; d++) sum += counts[cell + d * shape.strides[k]!]!;
      counts[cell] = sum;
    }
  }
  return counts;
}
