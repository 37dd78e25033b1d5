/**
 * Combining t keyholder answers (docs/protocol.md §4.7, TOPPSS / 2HashDH threshold OPRF).
 *
 * The node sends the same blinded elements B_j = r_j·H(x_j) to t keyholders. Keyholder i
 * returns Z_ij = k_i·B_j with a VOPRF batch proof against its public share K_i. Because
 * k = Σ_{i∈S} λ_i·k_i for any set S of t indexes (λ_i = Lagrange coefficient at 0),
 *
 *   Σ_{i∈S} λ_i·Z_ij = (Σ λ_i·k_i)·B_j = k·B_j,
 *
 * exactly the element a single keyholder with the whole key would have returned. Unblinding
 * and the RFC 9497 Finalize hash then give the single-key output, bit for bit.
 */
import { bytesEqual } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { type BlindState, verifyAndFinalize } from './client.js';
import { finalizeHash, unblindWith } from './client-group.js';
import { nobleGroup, type Ristretto255Group } from './group.js';
import { type OprfKeySet, checkThreshold, lagrangeCoefficientsAtZero } from './key-set.js';
import { decodePublicKey } from './keys.js';
import type { EvaluationResponse } from './messages.js';
import { checkEpoch, checkShareIndex } from './suite.js';

/**
 * Verifies one keyholder's response on its own: epoch, index in 1..n, element count and
 * encodings, and the batch proof against that keyholder's public share. A node can use it
 * to drop a faulty keyholder and ask another before combining.
 */
export function verifyShareResponse<E = unknown>(
  state: BlindState,
  response: EvaluationResponse,
  keySet: OprfKeySet,
  fieldPrefix = '',
  group: Ristretto255Group<E> = nobleGroup as unknown as Ristretto255Group<E>,
): E[] {
  if (response.epoch !== state.epoch) {
    const field = `${fieldPrefix}epoch`;
    throw new CryptoError('OPRF_SHARE_INVALID', 'response is for another epoch', { field });
  }
  const n = keySet.publicShares.length;
  const index = checkShareIndex(
    response.shareIndex,
    n,
    `${fieldPrefix}shareIndex`,
    'OPRF_SHARE_INVALID',
  );
  const publicShare = keySet.publicShares[index - 1]!;
  decodePublicKey(publicShare, `keySet.publicShares[${index - 1}]`);
  return verifyAndFinalize(state, response, publicShare, fieldPrefix, 'OPRF_SHARE_INVALID', group)
    .elements;
}

/**
 * Verifies every response, rejects the batch if any share is bad, duplicated, out of range
 * or if fewer than t answered, then combines with Lagrange coefficients at 0 and finalizes.
 * The outputs equal those of finalizeBatch() against the unshared key. `verified` holds, for
 * response objects the caller has already passed through verifyShareResponse with this state,
 * key set and group, the elements it returned: those are not verified a second time.
 */
export function finalizeThresholdBatch<E = unknown>(
  state: BlindState,
  responses: readonly EvaluationResponse[],
  keySet: OprfKeySet,
  group: Ristretto255Group<E> = nobleGroup as unknown as Ristretto255Group<E>,
  verified?: ReadonlyMap<EvaluationResponse, E[]>,
): Uint8Array[] {
  checkEpoch(keySet.epoch, 'keySet.epoch');
  if (keySet.epoch !== state.epoch) {
    throw new CryptoError('OPRF_KEY_INVALID', 'key set is for another epoch', {
      field: 'keySet.epoch',
    });
  }
  if (!Array.isArray(keySet.publicShares)) {
    throw new CryptoError('OPRF_THRESHOLD', 'publicShares is not a list', {
      field: 'keySet.publicShares',
    });
  }
  checkThreshold(keySet.threshold, keySet.publicShares.length);
  const t = keySet.threshold;
  if (!Array.isArray(responses) || responses.length < t) {
    throw new CryptoError('OPRF_THRESHOLD', `at least ${t} responses are needed`, {
      field: 'responses',
    });
  }
  const seen = new Set<number>();
  const indexes: number[] = [];
  const elements: E[][] = [];
  responses.forEach((response, i) => {
    const prefix = `responses[${i}].`;
    if (seen.has(response.shareIndex)) {
      const field = `${prefix}shareIndex`;
      throw new CryptoError('OPRF_SHARE_INVALID', 'duplicate share index', { field });
    }
    checkShareIndex(
      response.shareIndex,
      keySet.publicShares.length,
      `${prefix}shareIndex`,
      'OPRF_SHARE_INVALID',
    );
    const known = response.epoch === state.epoch ? verified?.get(response) : undefined;
    elements.push(known ?? verifyShareResponse(state, response, keySet, prefix, group));
    seen.add(response.shareIndex);
    indexes.push(response.shareIndex);
  });
  // The proofs bind each Z_ij to K_i; this binds the K_i used to K, so a key set whose shares
  // were never checked (verifyKeySet) cannot silently yield tokens under another key.
  const lambdas = lagrangeCoefficientsAtZero(indexes);
  const shares = indexes.map((i) => {
    const field = `keySet.publicShares[${i - 1}]`;
    return group.decode(decodePublicKey(keySet.publicShares[i - 1], field).toBytes())!;
  });
  decodePublicKey(keySet.publicKey, 'keySet.publicKey');
  if (!bytesEqual(group.encode(group.msmPublic(shares, lambdas)), keySet.publicKey)) {
    const field = 'keySet.publicShares';
    throw new CryptoError('OPRF_KEY_INVALID', 'public shares do not combine to the key', { field });
  }
  return state.inputs.map((input, j) => {
    const combined = group.msmPublic(
      elements.map((e) => e[j]!),
      lambdas,
    );
    // Finalize is mode-independent (RFC 9497 §3.3.1, §3.3.2): hash(input, r⁻¹·combined).
    return finalizeHash(input, unblindWith(group, state.blinds[j]!, combined));
  });
}
