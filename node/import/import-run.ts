/** What both importers share: progress reporting, rejection results, dry run vs. transaction. */
import type { NodeDatabase } from '../store/database.js';
import type { ColumnSpec } from './columns.js';
import type { ImportOptions, ImportProgress, ImportResult } from './import-result.js';
import type { IssueList } from './issues.js';

/** Reports about every 1% (at least every 250 rows) and always the last row. */
export function progressReporter(
  onProgress: ImportOptions['onProgress'],
  phase: ImportProgress['phase'],
  total: number,
): (done: number) => void {
  const step = Math.max(1, Math.min(250, Math.floor(total / 100)));
  return (done) => {
    if (onProgress && (done % step === 0 || done === total)) onProgress({ phase, done, total });
  };
}

export function rejected(
  issues: IssueList,
  columns: readonly ColumnSpec[],
  dryRun: boolean,
): ImportResult {
  return {
    ok: false,
    dryRun,
    issues: issues.sorted(columns.map((c) => c.name)),
    issueCount: issues.count,
  };
}

/**
 * Runs `work` in one transaction (all or nothing), or for a dry run on the database directly:
 * a dry run only reads, and `work` must not write when told `dryRun`.
 */
export function runImportWork(
  db: NodeDatabase,
  dryRun: boolean,
  work: (tx: NodeDatabase) => Promise<ImportResult>,
): Promise<ImportResult> {
  return dryRun ? work(db) : db.transaction((tx) => work(tx));
}
