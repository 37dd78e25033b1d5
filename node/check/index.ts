/** Checks at the node: build the request, verify the hub's answer, present it to people. */
export { CHECK_ERROR_CODES, CheckError, isCheckError, type CheckErrorCode } from './check-error.js';
export { buildCheckRequest, type CheckRequestInput } from './build-request.js';
export {
  verifyCheckAnswer,
  type ResolveAgency,
  type VerifiedCheck,
  type VerifyAnswerContext,
} from './verify-answer.js';
export {
  formatCheckText,
  presentCheck,
  type CheckPresentation,
  type MatchView,
} from './present.js';
export {
  EFFECT_LABELS,
  HIT_REMINDER,
  KIND_LABELS,
  NO_MATCH_NOTE,
  REASON_LABELS,
  STATUS_LABELS,
  STRENGTH_LABELS,
  VERDICT_LABELS,
  VERDICT_SUMMARIES,
} from './labels.js';
export {
  agencyResolver,
  checkCandidate,
  type CandidateCheckDeps,
  type CandidateCheckInput,
  type CandidateCheckOutcome,
} from './check-candidate.js';
export {
  buildCheckEvidence,
  recordingResolver,
  type CheckEvidenceInput,
  type RecordingResolver,
} from './check-evidence.js';
export {
  verifyCheckEvidence,
  type EvidencePins,
  type EvidenceTrust,
  type EvidenceVerification,
} from './verify-evidence.js';
export {
  identityRefusal,
  screenCandidate,
  type CheckRefusal,
  type ScreenedCandidate,
  type Screening,
} from './screen-candidate.js';
export { failureCode, runCheck, type RunCheckDeps, type RunCheckResult } from './run-check.js';
