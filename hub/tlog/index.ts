/**
 * The hub's transparency log (docs/transparency.md): storage and appends under the head lock,
 * proofs from stored perfect nodes, signed checkpoints and the checkpointer, witness
 * cosignatures, expungement, and the public /v1/log routes.
 */
export {
  planAppend,
  type AppendPlan,
  type EntryRow,
  type NewLogEntry,
  type NodeRow,
} from './append-plan.js';
export { agencyEntry, attestationEntry, keyholderKeyEntry } from './entries.js';
export {
  isLogOrigin,
  LOG_ORIGIN_PATTERN,
  logVerifierKey,
  signCheckpoint,
  withCosignatures,
} from './checkpoint-note.js';
export {
  appendEntries,
  lockHead,
  logRepository,
  readHead,
  readNodes,
  type AppendResult,
  type LogHeadState,
  type StoredCheckpoint,
} from './tlog.repository.js';
export { consistencyProof, inclusionProof, inclusionProofs } from './proofs.js';
export {
  issueCheckpoint,
  transparencyLog,
  type LogSigning,
  type TransparencyLog,
} from './tlog.service.js';
export {
  startCheckpointer,
  type Checkpointer,
  type CheckpointerOptions,
  type CheckpointerTimers,
} from './checkpointer.js';
export { checkCosignature, MAX_COSIGNATURE_SKEW_SECONDS } from './cosignature-check.js';
export { cosignatureService } from './cosignatures.js';
export { expungeAttestation, type ExpungeRequest, type ExpungedStatement } from './expunge.js';
export {
  KeyholderKeySetSchema,
  logKeyholderKeySet,
  readKeyholderKeySet,
  type KeyholderKeySet,
} from './keyholder-keys.js';
export { logRoutes, type LogRoutesDeps } from './tlog.routes.js';
export { startLogProcess, type LogProcessOptions } from './start.js';
