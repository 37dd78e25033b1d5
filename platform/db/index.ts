/** Service databases: one drizzle schema, PGlite or PostgreSQL (docs/storage.md). */
export {
  type Database,
  type DatabaseConfig,
  type DatabaseHandle,
  type DatabaseKind,
  type OpenDatabaseOptions,
  SCHEMA_NAME,
  redactUrl,
} from './database.js';
export { openDatabase } from './open.js';
export { pingDatabase } from './ping.js';
export { applyMigrations, requalify, type MigrateOptions, type MigrateResult } from './migrate.js';
export {
  acquireDataDirLock,
  DatabaseLockedError,
  LOCK_FILE_NAME,
  type DataDirLock,
  type LockOptions,
} from './data-dir-lock.js';
export { SQLSTATE, sqlErrorOf, isUniqueViolation, type SqlErrorInfo } from './sql-error.js';
export { DatabaseReplayCache, requestReplay } from './request-replay.js';
export {
  analyzeTables,
  analyzeWhenGrown,
  DEFAULT_ANALYZE_RULE,
  needsAnalyze,
  schemaTableNames,
  startAnalyzeMaintenance,
  tableActivity,
  type AnalyzeMaintenance,
  type AnalyzeMaintenanceOptions,
  type AnalyzeReason,
  type AnalyzeRule,
  type TableActivity,
} from './analyze-maintenance.js';
