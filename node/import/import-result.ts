/** Options and results shared by the officer and outcome imports (docs/csv-formats.md). */
import type { ImportIssue } from './issues.js';
import type { YieldControl } from './slices.js';

export interface ImportLimits {
  /** Largest accepted file, in bytes. */
  readonly maxFileBytes: number;
  /** Most data rows in one file. */
  readonly maxRows: number;
  /** Longest row (and field), in characters. */
  readonly maxRowChars: number;
  /** Most issues listed in a rejection (all are counted). */
  readonly maxIssues: number;
}

/**
 * A national-scale agency (≈36 000 officers) exports well under 10 MB; the bounds leave a
 * wide margin and stop a mis-selected file (a database dump, a video) early.
 */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxRows: 250_000,
  maxRowChars: 4096,
  maxIssues: 1000,
};

export interface ImportProgress {
  /** validate: rows checked so far; write: rows written so far. */
  readonly phase: 'validate' | 'write';
  readonly done: number;
  readonly total: number;
}

export interface ImportOptions {
  /** The clock: the date-of-birth range and "not in the future" use its UTC date. */
  readonly now: () => Date;
  /** Validate and report what would change, writing nothing. */
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly limits?: Partial<ImportLimits>;
  /**
   * Awaited between slices of the work (node/import/slices.ts); default: one turn of the event
   * loop, so that a large file never holds it for long.
   */
  readonly yieldControl?: YieldControl;
}

export interface ImportSummary {
  /** Data rows in the file. */
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Outcomes this import marked as needing a new attestation. */
  readonly outcomesToAttest: number;
}

export type ImportResult =
  | { readonly ok: true; readonly dryRun: boolean; readonly summary: ImportSummary }
  | {
      readonly ok: false;
      readonly dryRun: boolean;
      /** The first `maxIssues` issues, by line. */
      readonly issues: readonly ImportIssue[];
      /** Every issue found, listed or not. */
      readonly issueCount: number;
    };

export function resolveLimits(limits: Partial<ImportLimits> | undefined): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...limits };
}

/** The UTC calendar date of an instant, `YYYY-MM-DD`. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
