/** Public statistics: counting rules, the suppressed table, its auditor and renderers. */
export { StatisticsError, isStatisticsError, type StatisticsErrorCode } from './errors.js';
export {
  COUNTED_STATUSES,
  countableRecord,
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
  assembleTable,
  buildStatisticsTable,
  COUNTING_RULES,
  prepareGroupedTable,
  type CellGroup,
  type PreparedTable,
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
