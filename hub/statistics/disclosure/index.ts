/** Public statistics: counting rules, the suppressed table, its auditor and renderers. */
export { StatisticsError, isStatisticsError, type StatisticsErrorCode } from './errors.js';
export {
  COUNTED_STATUSES,
  NO_STATE,
  selectCountableRecords,
  type AgencyJurisdiction,
  type AttestationMetadataRow,
  type CountableRecord,
  type StateValue,
} from './countable-records.js';
export {
  DEFAULT_DIMENSIONS,
  MAX_TABLE_CELLS,
  STATISTICS_DIMENSIONS,
  TOTAL,
  type Dimension,
} from './table-shape.js';
export {
  buildStatisticsTable,
  COUNTING_RULES,
  DEFAULT_MIN_CELL,
  MIN_CELL_RANGE,
  type DimensionValues,
  type RowDimensions,
  type StatisticsMetadata,
  type StatisticsOptions,
  type StatisticsRow,
  type StatisticsTable,
  type SuppressionReason,
  type TableDomains,
} from './statistics-table.js';
export {
  auditSuppression,
  type AuditableTable,
  type AuditFinding,
  type AuditOptions,
} from './audit.js';
export {
  csvField,
  toCsv,
  toPublication,
  type PublishedRow,
  type PublishedTable,
  type RenderOptions,
  type SuppressionFlag,
} from './render.js';
