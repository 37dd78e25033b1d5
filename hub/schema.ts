/**
 * The hub's drizzle schema: every table of every feature, for drizzle-kit (hub/drizzle.config.ts)
 * and for `db.query`. The replay cache of request tokens lives in the hub's database so that it
 * holds across replicas (docs/storage.md).
 */
export { agencies, agencyKeys } from './registry/registry.table.js';
export { attestations, attestationKeys } from './intake/intake.table.js';
export { checkAudit } from './checks/audit.table.js';
export {
  logEntries,
  logNodes,
  logHead,
  logCheckpoints,
  logCosignatures,
  logExpungements,
} from './tlog/tlog.table.js';
export { requestReplay } from '../platform/db/request-replay.js';
export { statisticsSnapshots } from './statistics/statistics.table.js';
export {
  mailboxMessages,
  mailboxExpired,
  mailboxSeq,
  retentionNotices,
} from './mailbox/mailbox.table.js';
export { monitoringEnrollments, monitoringNotices } from './monitoring/monitoring.table.js';
export { certifications } from './certifications/certifications.table.js';
export { credentialingBodies, credentialingBodyKeys } from './credentials/bodies.table.js';
export {
  credentials,
  credentialRevocations,
  credentialAffirmations,
} from './credentials/credentials.table.js';
