/** Publishing outcomes as signed attestations into the outbox (docs/node.md "Publish"). */
export {
  publishOutcomes,
  type PublishDeps,
  type PublishFailure,
  type PublishOptions,
  type PublishResult,
} from './publish.js';
export {
  buildAttestationPayload,
  issuedAtAfter,
  opaqueLocalRef,
  type AttestationInput,
} from './build-attestation.js';
