/**
 * Tokens through RFC 9497 VOPRF (ristretto255-SHA512) and the hub indexes derived from them
 * (docs/protocol.md §4). Pure and synchronous; randomness is always an `rng` parameter.
 */
export {
  ELEMENT_BYTES,
  MAX_BATCH,
  MAX_EPOCH,
  MAX_INPUT_BYTES,
  MAX_KEYHOLDERS,
  MIN_BATCH,
  OUTPUT_BYTES,
  PROOF_BYTES,
  SCALAR_BYTES,
  SEED_BYTES,
  SUITE_ID,
  type Rng,
} from './suite.js';
export {
  assertKeyPair,
  deriveKeyPair,
  deriveVoprfKeyPair,
  generateKeyPair,
  keyInfoForEpoch,
  type OprfKeyPair,
  type OprfPublicKey,
} from './keys.js';
export {
  decodeEvaluationRequest,
  decodeEvaluationResponse,
  encodeEvaluationRequest,
  encodeEvaluationResponse,
  type EvaluationRequest,
  type EvaluationRequestJson,
  type EvaluationResponse,
  type EvaluationResponseJson,
} from './messages.js';
export { blindBatch, finalizeBatch, finalizeElement, type BlindState } from './client.js';
export { evaluateBatch } from './server.js';
export {
  GROUP_BACKENDS,
  decodeElementWith,
  nobleGroup,
  type GroupBackendName,
  type Ristretto255Group,
} from './group.js';
export {
  GROUP_BACKEND_CHOICES,
  loadGroup,
  type GroupBackendChoice,
  type LoadedGroup,
} from './backends.js';
export { RANDOM_SCALAR_INPUT_BYTES } from './batch-proof.js';
export {
  HUB_INDEX_BYTES,
  HUB_INDEX_LABEL,
  TOKEN_KDF_SALT,
  deriveFromOutput,
  hubIndex,
} from './hub-index.js';
export {
  keyPairFromFrost,
  keySetFromFrost,
  lagrangeCoefficientsAtZero,
  splitKey,
  verifyKeySet,
  type OprfKeySet,
} from './key-set.js';
export { finalizeThresholdBatch, verifyShareResponse } from './threshold.js';
