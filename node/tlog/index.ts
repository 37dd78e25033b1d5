/**
 * The node as a monitor and witness of the hub's transparency log (docs/node.md "Monitor",
 * "Witness"): pure verification of checkpoints, receipts and proofs; the node's view of the
 * log (the last verified checkpoint); the monitor pass and its loop; cosigning as a witness.
 */
export {
  alertKey,
  LOG_ALERT_CODES,
  logAlert,
  MONITOR_ALERT_EXIT_CODE,
  TRANSIENT_ALERT_CODES,
  type AlertDetail,
  type LogAlert,
  type LogAlertCode,
} from './alerts.js';
export {
  hubNoteKeys,
  quorumAlert,
  verifyCheckpointNote,
  type CheckpointVerification,
  type LogTrust,
  type TreeHead,
  type VerifiedCheckpoint,
} from './verify-checkpoint.js';
export {
  relateHeads,
  statementLeafHash,
  verifyHeadConsistency,
  verifyStatementInclusion,
  type HeadRelation,
  type ProofCheck,
  type StatementEvidence,
} from './verify-proofs.js';
export {
  verifyReceiptEvidence,
  type ReceiptItemCheck,
  type ReceiptVerification,
  type ReceiptWithEvidence,
  type SentStatement,
} from './verify-receipt.js';
export {
  createLogView,
  type AdvanceOptions,
  type AdvanceResult,
  type CheckpointSource,
  type LogSettings,
  type LogView,
  type LogViewDeps,
  type ReceiptOutcome,
} from './log-view.js';
export { runMonitor, type MonitorDeps, type MonitorHub, type MonitorResult } from './monitor.js';
export { SYSTEM_TIMERS, startMonitorLoop, type MonitorLoop, type Timers } from './monitor-loop.js';
export {
  cosignAndSubmit,
  cosignCheckpointText,
  witnessKeyText,
  witnessVerifierKey,
  witnessVerifierKeyOf,
  type CosignOutcome,
  type WitnessIdentity,
} from './witness.js';
export { logStatus, type LogStatus } from './status.js';
export { parseWitnessKeys, type Parsed } from './witness-keys.js';
