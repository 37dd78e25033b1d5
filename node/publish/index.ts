/** Publishing outcomes as signed attestations into the outbox (docs/node.md "Publish"). */
export {
  ATTESTATIONS_OUTBOX_KIND,
  attestationCounts,
  publishOutcomes,
  type AttestationsOutboxPayload,
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
