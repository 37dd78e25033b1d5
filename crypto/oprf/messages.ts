/**
 * The two tokenization messages (docs/protocol.md §4.3) and their JSON members.
 *
 *   node → keyholder   EvaluationRequest  { "epoch": 1, "blindedElements": ["<b64url 32 B>", …] }
 *   keyholder → node   EvaluationResponse { "epoch": 1, "shareIndex": 2,
 *                                           "evaluatedElements": ["<b64url 32 B>", …],
 *                                           "proof": "<b64url 64 B>" }
 *
 * Every byte string is unpadded base64url (crypto/encoding.ts). The protocol layer checks the
 * JSON shape (closed objects, member types); these decoders check the values: canonical
 * base64url, exact lengths, valid non-identity elements, batch bounds, integer ranges.
 */
import { CryptoError } from '../errors.js';
import { fromBase64url, toBase64url } from '../encoding.js';
import { decodeElementWith, nobleGroup, type Ristretto255Group } from './group.js';
import {
  MAX_KEYHOLDERS,
  checkBatchSize,
  checkEpoch,
  checkProofEncoding,
  checkShareIndex,
} from './suite.js';

export interface EvaluationRequest {
  readonly epoch: number;
  /** SerializeElement(blindedElement) for each input, in the node's order. */
  readonly blindedElements: readonly Uint8Array[];
}

export interface EvaluationResponse {
  readonly epoch: number;
  /** 1 for a whole key; the keyholder's Shamir x-coordinate otherwise. */
  readonly shareIndex: number;
  /** SerializeElement(evaluatedElement), same order and count as the request. */
  readonly evaluatedElements: readonly Uint8Array[];
  /** RFC 9497 §2.2.1 batch DLEQ proof: SerializeScalar(c) || SerializeScalar(s). */
  readonly proof: Uint8Array;
}

export interface EvaluationRequestJson {
  epoch: number;
  blindedElements: string[];
}

export interface EvaluationResponseJson {
  epoch: number;
  shareIndex: number;
  evaluatedElements: string[];
  proof: string;
}

export function encodeEvaluationRequest(request: EvaluationRequest): EvaluationRequestJson {
  return { epoch: request.epoch, blindedElements: request.blindedElements.map(toBase64url) };
}

export function encodeEvaluationResponse(response: EvaluationResponse): EvaluationResponseJson {
  return {
    epoch: response.epoch,
    shareIndex: response.shareIndex,
    evaluatedElements: response.evaluatedElements.map(toBase64url),
    proof: toBase64url(response.proof),
  };
}

/** `group` checks the elements (default noble; the keyholder passes its faster backend). */
export function decodeEvaluationRequest(
  json: EvaluationRequestJson,
  group: Ristretto255Group = nobleGroup,
): EvaluationRequest {
  const epoch = checkEpoch(json.epoch);
  const blindedElements = decodeElements(json.blindedElements, 'blindedElements', group);
  return { epoch, blindedElements };
}

export function decodeEvaluationResponse(json: EvaluationResponseJson): EvaluationResponse {
  const epoch = checkEpoch(json.epoch);
  const shareIndex = checkShareIndex(
    json.shareIndex,
    MAX_KEYHOLDERS,
    'shareIndex',
    'OPRF_SHARE_INVALID',
  );
  const evaluatedElements = decodeElements(json.evaluatedElements, 'evaluatedElements');
  const proofBytes = typeof json.proof === 'string' ? fromBase64url(json.proof) : undefined;
  if (proofBytes === undefined) {
    throw new CryptoError('OPRF_PROOF_INVALID', 'proof is not base64url', { field: 'proof' });
  }
  const proof = checkProofEncoding(proofBytes, 'proof');
  return { epoch, shareIndex, evaluatedElements, proof };
}

function decodeElements(
  list: unknown,
  field: string,
  group: Ristretto255Group = nobleGroup,
): Uint8Array[] {
  if (!Array.isArray(list))
    throw new CryptoError('OPRF_BATCH_SIZE', `${field} is not a list`, { field });
  checkBatchSize(list.length, field);
  return list.map((text: unknown, i) => {
    const bytes = typeof text === 'string' ? fromBase64url(text) : undefined;
    const name = `${field}[${i}]`;
    if (bytes === undefined) {
      throw new CryptoError('OPRF_ELEMENT_INVALID', `${name} is not base64url`, { field: name });
    }
    decodeElementWith(group, bytes, name);
    return bytes;
  });
}
