/**
 * `spx audit-log`: an outside auditor's verification of the hub's whole transparency log from
 * its public endpoints (docs/transparency.md "Auditing the log from the public endpoints").
 */
export {
  AUDIT_FAILURE_CODES,
  type AuditDetail,
  type AuditFailure,
  type AuditFailureCode,
  type AuditReport,
  type EntryCounts,
} from './audit-result.js';
export {
  auditLog,
  pageRanges,
  type AuditOptions,
  type AuditSource,
  type AuditTrust,
} from './audit-log.js';
export { checkEntriesPage, type PageCheck } from './entries-page.js';
export {
  formatAuditState,
  parseAuditState,
  stateFromNote,
  type AuditState,
} from './audit-state.js';
export { isLogOrigin } from './trust-input.js';
export { parseHubUrl, publicHubSource } from './public-hub.js';
export { AUDIT_FAILED_EXIT_CODE, registerAuditCommand, type AuditCliDeps } from './cli.js';
