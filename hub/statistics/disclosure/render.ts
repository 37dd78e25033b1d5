/**
 * Rendering a table for release: a JSON document and RFC 4180 CSV.
 *
 * A release says that a cell is suppressed, not why. Telling primary from complementary
 * suppressions would tell the reader that a primary cell is below minCell and a complementary
 * one at least minCell, and those bounds pin values down that the relations alone leave open
 * (docs/statistics.md §Reasons; bounds-audit.ts). `includeReasons` is for the operator's own
 * copy, never for publication.
 */
import type {
  RowDimensions,
  StatisticsMetadata,
  StatisticsTable,
  SuppressionReason,
} from './statistics-table.js';
import { TOTAL } from './table-shape.js';

export type SuppressionFlag = SuppressionReason | 'suppressed';

export interface PublishedRow {
  readonly dimensions: RowDimensions;
  readonly count: number | null;
  readonly suppressed: SuppressionFlag | null;
}

export interface PublishedTable {
  readonly metadata: StatisticsMetadata & { readonly reasonsIncluded: boolean };
  readonly rows: readonly PublishedRow[];
}

export interface RenderOptions {
  /** Keep 'primary' / 'complementary' instead of 'suppressed'. Not for publication. */
  readonly includeReasons?: boolean;
}

export function toPublication(table: StatisticsTable, options: RenderOptions = {}): PublishedTable {
  const includeReasons = options.includeReasons ?? false;
  return {
    metadata: { ...table.metadata, reasonsIncluded: includeReasons },
    rows: table.rows.map((row) => ({
      dimensions: row.dimensions,
      count: row.count,
      suppressed: row.suppressed === null || includeReasons ? row.suppressed : 'suppressed',
    })),
  };
}

/**
 * RFC 4180 CSV: a header line (the dimensions, then `count`, `suppressed`), one record per row
 * in the table's order, CRLF after every record (§2 rules 1–3). A total is `*`; a suppressed
 * count is an empty field and its flag says so; a published count's flag is empty.
 */
export function toCsv(table: StatisticsTable, options: RenderOptions = {}): string {
  const published = toPublication(table, options);
  const dimensions = published.metadata.dimensions;
  const lines = [[...dimensions, 'count', 'suppressed']];
  for (const row of published.rows) {
    lines.push([
      ...dimensions.map((d) => {
        const value = row.dimensions[d];
        return value === undefined ? '' : value === TOTAL ? TOTAL : String(value);
      }),
      row.count === null ? '' : String(row.count),
      row.suppressed ?? '',
    ]);
  }
  return lines.map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

/** RFC 4180 §2 rules 6–7: quote a field holding a comma, quote, CR or LF; double its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
