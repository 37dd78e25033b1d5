/** The agency node's local store: schema, migrations and repositories (docs/storage.md). */
export {
  nodeTables,
  NODE_MIGRATIONS_FOLDER,
  type NodeDatabase,
  type NodeTables,
} from './database.js';
export * from './enums.table.js';
export { officers, officerAliases } from './officers.table.js';
export { outcomes } from './outcomes.table.js';
export { attestations } from './attestations.table.js';
export { checks } from './checks.table.js';
export { outbox } from './outbox.table.js';
export { nodeSettings } from './settings.table.js';
export { attestationLog, logAlerts, logCheckpoints } from './tlog.table.js';
export {
  officersRepository,
  type Officer,
  type OfficerAlias,
  type OfficerFields,
  type OfficerRow,
  type OfficersRepository,
} from './officers.repository.js';
export {
  caseKey,
  outcomesRepository,
  type NewOutcome,
  type Outcome,
  type OutcomeFields,
  type OutcomesRepository,
  type OutcomeToAttest,
} from './outcomes.repository.js';
export {
  attestationsRepository,
  type Attestation,
  type AttestationsRepository,
  type NewAttestation,
} from './attestations.repository.js';
export {
  checksRepository,
  type Check,
  type CheckAnswer,
  type ChecksRepository,
  type NewCheck,
} from './checks.repository.js';
export {
  outboxRepository,
  type NewOutboxItem,
  type OutboxItem,
  type OutboxRepository,
} from './outbox.repository.js';
export { settingsRepository, type SettingsRepository } from './settings.repository.js';
export {
  logRepository,
  type LogRepository,
  type NewAlert,
  type NewCheckpoint,
  type StoredAlert,
  type StoredCheckpoint,
  type TrackedStatement,
} from './tlog.repository.js';
export { checkCorrections, inboxMessages } from './inbox.table.js';
export {
  inboxRepository,
  type AppliedCorrection,
  type CheckCorrection,
  type InboxMessage,
  type InboxOutcome,
  type NewInboxMessage,
} from './inbox.repository.js';
export { retiredOutcomes } from './retention.table.js';
export { caseDigest, retentionRepository, type RetireAction } from './retention.repository.js';
export { monitoringEnrollments, monitoringNotices } from './monitoring.table.js';
export {
  monitoringRepository,
  type EnrollmentRow,
  type MonitoringNoticeRow,
  type MonitoringRepository,
  type NewEnrollmentRow,
} from './monitoring.repository.js';
export {
  consoleAudit,
  consoleSessions,
  consoleSignInFailures,
  consoleUsers,
} from './console.table.js';
export {
  consoleRepository,
  type ConsoleAuditEvent,
  type ConsoleRepository,
  type ConsoleUser,
  type NewAuditEvent,
  type NewConsoleUser,
} from './console.repository.js';
