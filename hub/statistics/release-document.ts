/**
 * The bodies of a statistics release (docs/protocol.md §5.17, docs/statistics.md "Output") and
 * the manifest the hub signs over them. Each body is a function of the stored table and the
 * release's facts (number, coverage, tier) alone — no clock, no randomness — so the same inputs
 * give byte-identical bodies on every replica and after every restart, and the digests in the
 * signed manifest and in the log entry stay true of what is served.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url } from '../../crypto/encoding.js';
import { formatTimestamp } from '../../protocol/common.js';
import type {
  Coverage,
  CoverageSeriesEntry,
  ReleaseTier,
} from '../../protocol/statistics-coverage.js';
import type { StatisticsReleaseLogEntry } from '../../protocol/tlog.js';
import {
  csvField,
  toPublication,
  TOTAL,
  type PublishedTable,
  type StatisticsTable,
} from './disclosure/index.js';
import type { OfficerTable } from './disclosure/officers.js';
import { tieredColumns, tieredRows } from './disclosure/tiered-publication.js';
import { periodDuration, type ReleaseWindow, type StatisticsPeriod } from './statistics-period.js';

/** The release format; a reader refuses a format it does not know. */
export const RELEASE_FORMAT = 1;

/** What makes a stored table a release. */
export interface ReleaseFacts {
  readonly version: number;
  readonly coverage: Coverage;
  readonly tier: ReleaseTier;
  /**
   * Coverage per closed certification period up to `coverage`'s (docs/statistics.md
   * "Coverage"); absent for releases stored before the series was kept.
   */
  readonly coverageSeries?: readonly CoverageSeriesEntry[] | undefined;
}

export interface ReleaseInput {
  readonly period: StatisticsPeriod;
  readonly window: ReleaseWindow;
  /** The stored table, suppression reasons included (never published). */
  readonly table: StatisticsTable;
  /** Its distinct officers (disclosure/officers.ts); absent for tables stored before them. */
  readonly officers?: OfficerTable | undefined;
  readonly facts: ReleaseFacts;
}

/**
 * The published officer table, sparse like the statement table, with the tier's numbers
 * (tiered-publication.ts: `percent` is of the officers' grand total; every row is national, so
 * `ratePer1000` is officers with a final outcome per 1,000 known sworn officers) and reasons
 * replaced by `suppressed`.
 */
export function officerPublication(officers: OfficerTable, tier: ReleaseTier, knownSworn: number) {
  const published = {
    metadata: { dimensions: officers.metadata.dimensions },
    rows: officers.rows
      .filter((r) => r.count !== 0)
      .map((r) => ({
        dimensions: r.dimensions,
        count: r.count,
        suppressed: r.suppressed === null ? null : ('suppressed' as const),
      })),
  };
  return {
    metadata: officers.metadata,
    rows: tieredRows(published, tier, knownSworn),
  };
}

/**
 * The published table, sparse: only the cells that are not zero — those with a count, and the
 * suppressed ones. Every cell of the domains that is not listed is 0 (docs/statistics.md,
 * "Output"): the national table has 34 452 cells, nearly all of them structurally empty.
 */
export function sparsePublication(table: StatisticsTable): PublishedTable {
  const published = toPublication(table);
  return { ...published, rows: published.rows.filter((r) => r.count !== 0) };
}

/** The public JSON document of a release. */
export function releaseDocument(release: ReleaseInput) {
  const published = sparsePublication(release.table);
  const { generatedAt, ...rest } = published.metadata;
  const { facts } = release;
  return {
    metadata: {
      format: RELEASE_FORMAT,
      version: facts.version,
      generatedAt,
      /** Statements received before this instant are counted. */
      asOf: formatTimestamp(release.window.cutoff),
      period: periodDuration(release.period),
      /** The cutoff of the next release. */
      nextAsOf: formatTimestamp(release.window.nextCutoff),
      tier: facts.tier,
      coverage: facts.coverage,
      ...(facts.coverageSeries === undefined ? {} : { coverageSeries: facts.coverageSeries }),
      /** Rows are the cells that are not zero; every other cell of the domains is 0. */
      layout: 'sparse',
      ...rest,
    },
    rows: tieredRows(published, facts.tier, facts.coverage.knownSworn),
    ...(release.officers === undefined
      ? {}
      : {
          officers: officerPublication(release.officers, facts.tier, facts.coverage.knownSworn),
        }),
  };
}

/**
 * RFC 4180 CSV of a release: the dimensions, then the tier's value columns (`count`; `percent`;
 * `percent`, `ratePer1000`), then `suppressed`; one record per row of the sparse table (a cell
 * not listed is 0), CRLF after each.
 * A withheld release is the header line alone.
 */
export function releaseCsv(release: ReleaseInput): string {
  const published = sparsePublication(release.table);
  const dimensions = published.metadata.dimensions;
  const columns = tieredColumns(release.facts.tier);
  const lines: string[][] = [[...dimensions, ...columns, 'suppressed']];
  const rows = tieredRows(published, release.facts.tier, release.facts.coverage.knownSworn);
  for (const row of rows) {
    lines.push([
      ...dimensions.map((d) => {
        const value = row.dimensions[d];
        return value === undefined ? '' : value === TOTAL ? TOTAL : String(value);
      }),
      ...columns.map((c) => {
        const value = row[c];
        return value === null || value === undefined ? '' : String(value);
      }),
      row.suppressed ?? '',
    ]);
  }
  return lines.map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

/** base64url SHA-256 of a body's bytes, as the manifest and the log entry give it. */
export function bodyDigest(bytes: Uint8Array): string {
  return toBase64url(sha256(bytes));
}

/** The log entry of a release (protocol/tlog.ts); the signed manifest has the same members. */
export function releaseLogEntry(
  release: ReleaseInput,
  digests: { readonly json: string; readonly csv: string },
  at: Date,
): StatisticsReleaseLogEntry {
  return {
    v: 1,
    kind: 'statistics_release',
    version: release.facts.version,
    asOf: formatTimestamp(release.window.cutoff),
    tier: release.facts.tier,
    coverage: release.facts.coverage,
    json: digests.json,
    csv: digests.csv,
    at: formatTimestamp(at),
  };
}
