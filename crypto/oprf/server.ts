/**
 * The keyholder's side (docs/protocol.md §4.5): evaluate a batch of blinded elements with one
 * key record and prove it with ONE batch DLEQ proof (RFC 9497 §3.3.2 BlindEvaluate, §2.2.1
 * GenerateProof). The same function serves a whole key and a Shamir share: a share is just a
 * key whose public key is the keyholder's public share.
 */
import { CryptoError } from '../errors.js';
import { type OprfKeyPair, assertKeyPair } from './keys.js';
import type { EvaluationRequest, EvaluationResponse } from './messages.js';
import { checkBatchSize, checkEpoch, decodeElement, nobleRng, suite, type Rng } from './suite.js';

export function evaluateBatch(
  key: OprfKeyPair,
  request: EvaluationRequest,
  rng: Rng,
): EvaluationResponse {
  assertKeyPair(key);
  checkEpoch(request.epoch);
  if (request.epoch !== key.epoch) {
    // A keyholder holding several epochs picks the key by the request's epoch; a mismatch
    // here is a routing bug, never something to answer with another epoch's key.
    throw new CryptoError('OPRF_KEY_INVALID', 'request epoch differs from the key', {
      field: 'epoch',
    });
  }
  const blinded = request.blindedElements;
  if (!Array.isArray(blinded)) {
    throw new CryptoError('OPRF_BATCH_SIZE', 'blindedElements is not a list', {
      field: 'blindedElements',
    });
  }
  checkBatchSize(blinded.length, 'blindedElements');
  blinded.forEach((bytes: unknown, i) => decodeElement(bytes, `blindedElements[${i}]`));
  const { evaluated, proof } = suite.voprf.blindEvaluateBatch(
    key.secretKey,
    key.publicKey,
    blinded,
    nobleRng(rng),
  );
  return { epoch: key.epoch, shareIndex: key.shareIndex, evaluatedElements: evaluated, proof };
}
