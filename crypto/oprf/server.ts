/**
 * The keyholder's side (docs/protocol.md §4.5): evaluate a batch of blinded elements with one
 * key record and prove it with ONE batch DLEQ proof (RFC 9497 §3.3.2 BlindEvaluate, §2.2.1
 * GenerateProof). The same function serves a whole key and a Shamir share: a share is just a
 * key whose public key is the keyholder's public share.
 *
 * `group` chooses the library doing the arithmetic (./group.ts); every backend gives the same
 * bytes for the same key, request and rng.
 */
import { CryptoError } from '../errors.js';
import { blindEvaluateBatchWith } from './batch-proof.js';
import { decodeElementWith, nobleGroup, type Ristretto255Group } from './group.js';
import { type OprfKeyPair, assertKeyPair } from './keys.js';
import type { EvaluationRequest, EvaluationResponse } from './messages.js';
import { checkBatchSize, checkEpoch, type Rng } from './suite.js';

export function evaluateBatch<E>(
  key: OprfKeyPair,
  request: EvaluationRequest,
  rng: Rng,
  group: Ristretto255Group<E> = nobleGroup as unknown as Ristretto255Group<E>,
): EvaluationResponse {
  const publicKey = assertKeyPair(key, group);
  checkEpoch(request.epoch);
  if (request.epoch !== key.epoch) {
    // A keyholder holding several epochs picks the key by the request's epoch; a mismatch
    // here is a routing bug, never something to answer with another epoch's key.
    throw new CryptoError('OPRF_KEY_INVALID', 'request epoch differs from the key', {
      field: 'epoch',
    });
  }
  const blindedBytes = request.blindedElements;
  if (!Array.isArray(blindedBytes)) {
    throw new CryptoError('OPRF_BATCH_SIZE', 'blindedElements is not a list', {
      field: 'blindedElements',
    });
  }
  checkBatchSize(blindedBytes.length, 'blindedElements');
  const blinded = blindedBytes.map((bytes: unknown, i) =>
    decodeElementWith(group, bytes, `blindedElements[${i}]`),
  );
  const { evaluated, proof } = blindEvaluateBatchWith(
    group,
    key.secretKey,
    publicKey,
    blinded,
    blindedBytes,
    rng,
  );
  return { epoch: key.epoch, shareIndex: key.shareIndex, evaluatedElements: evaluated, proof };
}
