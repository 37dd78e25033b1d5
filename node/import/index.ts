/** CSV import of officers and outcomes (docs/csv-formats.md). */
export { importOfficers } from './import-officers.js';
export { importOutcomes } from './import-outcomes.js';
export {
  DEFAULT_IMPORT_LIMITS,
  type ImportLimits,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type ImportSummary,
} from './import-result.js';
export type { ImportIssue } from './issues.js';
export { OFFICER_COLUMNS, OUTCOME_COLUMNS, foldHeader, type ColumnSpec } from './columns.js';
export { MAX_FORMER_NAMES, SUFFIXES, keyStringsOf, identityOf } from './officer-row.js';
