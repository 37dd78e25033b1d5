/**
 * The node's side of tokenization (docs/protocol.md §4.4): blind a batch of match-key strings,
 * then verify the keyholder's batch proof and finalize. Nothing here is skipped on failure:
 * a wrong count, a bad element or a bad proof aborts the whole batch (RFC 9497 §3.3.2).
 */
import { CryptoError } from '../errors.js';
import { blindWith, finalizeHash, unblindWith, verifyProofWith } from './client-group.js';
import { decodeElementWith, nobleGroup, type Ristretto255Group } from './group.js';
import { type OprfPublicKey, decodePublicKey } from './keys.js';
import type { EvaluationRequest, EvaluationResponse } from './messages.js';
import {
  MAX_INPUT_BYTES,
  checkBatchSize,
  checkEpoch,
  checkProofEncoding,
  decodeElement,
  suite,
  type Rng,
} from './suite.js';

/** What the node keeps between request and response. The blinds are secret. */
export interface BlindState {
  readonly epoch: number;
  readonly inputs: readonly Uint8Array[];
  readonly blinds: readonly Uint8Array[];
  readonly blindedElements: readonly Uint8Array[];
}

/**
 * RFC 9497 §3.3.2 Blind for each input, in modeVOPRF: blindedElement = r·HashToGroup(input)
 * with a fresh non-zero r per input. `inputs` are the UTF-8 bytes of match-key strings.
 * `group` does the arithmetic (./backends.ts); every backend gives the same bytes.
 */
export function blindBatch(
  epoch: number,
  inputs: readonly Uint8Array[],
  rng: Rng,
  group: Ristretto255Group = nobleGroup,
): { state: BlindState; request: EvaluationRequest } {
  checkEpoch(epoch);
  if (!Array.isArray(inputs))
    throw new CryptoError('OPRF_BATCH_SIZE', 'inputs is not a list', { field: 'inputs' });
  checkBatchSize(inputs.length, 'inputs');
  const copies: Uint8Array[] = [];
  const blinds: Uint8Array[] = [];
  const blindedElements: Uint8Array[] = [];
  inputs.forEach((input, i) => {
    if (!(input instanceof Uint8Array) || input.length < 1 || input.length > MAX_INPUT_BYTES) {
      throw new CryptoError(
        'OPRF_INPUT_INVALID',
        `inputs[${i}] must be 1..${MAX_INPUT_BYTES} bytes`,
        { field: `inputs[${i}]` },
      );
    }
    const { blind, blinded } = blindWith(group, input, rng);
    copies.push(input.slice());
    blinds.push(blind);
    blindedElements.push(blinded);
  });
  return {
    state: { epoch, inputs: copies, blinds, blindedElements },
    request: { epoch, blindedElements: blindedElements.map((b) => b.slice()) },
  };
}

/**
 * Verifies a whole-key response against the keyholder's public key and returns one 64-byte
 * OPRF output per input (RFC 9497 §3.3.2 Finalize, batched per §2.2.2).
 */
export function finalizeBatch(
  state: BlindState,
  response: EvaluationResponse,
  key: OprfPublicKey,
  group: Ristretto255Group = nobleGroup,
): Uint8Array[] {
  if (key.epoch !== state.epoch) {
    throw new CryptoError('OPRF_KEY_INVALID', 'key.epoch differs from the request', {
      field: 'key.epoch',
    });
  }
  if (response.epoch !== state.epoch) {
    throw new CryptoError('OPRF_KEY_INVALID', 'response epoch differs from the request', {
      field: 'epoch',
    });
  }
  if (response.shareIndex !== key.shareIndex) {
    throw new CryptoError('OPRF_KEY_INVALID', 'response is from another key', {
      field: 'shareIndex',
    });
  }
  decodePublicKey(key.publicKey, 'key.publicKey');
  return verifyAndFinalize(state, response, key.publicKey, '', 'OPRF_PROOF_INVALID', group).outputs;
}

/**
 * Checks count, elements and proof of one response, verifies the batch DLEQ proof (RFC 9497
 * §2.2.2 VerifyProof) and unblinds, with `group` doing the arithmetic. The caller names the
 * error code a failed proof maps to: a bad whole-key proof and a bad keyholder share are
 * different faults. Returns the evaluated elements too (checked encodings), for threshold
 * combination.
 */
export function verifyAndFinalize<E>(
  state: BlindState,
  response: EvaluationResponse,
  publicKey: Uint8Array,
  fieldPrefix: string,
  proofFailure: 'OPRF_PROOF_INVALID' | 'OPRF_SHARE_INVALID',
  group: Ristretto255Group<E> = nobleGroup as unknown as Ristretto255Group<E>,
): { outputs: Uint8Array[]; elements: E[] } {
  const list = response.evaluatedElements;
  const listField = `${fieldPrefix}evaluatedElements`;
  if (!Array.isArray(list) || list.length !== state.blindedElements.length) {
    throw new CryptoError(
      'OPRF_BATCH_SIZE',
      `${listField} must hold ${state.blindedElements.length} elements`,
      { field: listField },
    );
  }
  const elements = list.map((bytes: unknown, i) =>
    decodeElementWith(group, bytes, `${listField}[${i}]`),
  );
  const proofField = `${fieldPrefix}proof`;
  const proof = checkProofEncoding(response.proof, proofField, proofFailure);
  const verified = verifyProofWith(group, {
    publicKey,
    blinded: state.blindedElements,
    evaluated: list,
    proof,
  });
  if (!verified) {
    throw new CryptoError(proofFailure, `${proofField} does not verify`, { field: proofField });
  }
  const outputs = state.inputs.map((input, i) =>
    finalizeHash(input, unblindWith(group, state.blinds[i]!, elements[i]!)),
  );
  return { outputs, elements };
}

/**
 * RFC 9497 §3.3.1 Finalize without proof verification: unblind `evaluated` with `blind` and
 * hash Finalize(input, unblindedElement). The hash is the same in every mode, so this is the
 * last step of threshold combination (§4.7), applied to an element whose shares were verified.
 */
export function finalizeElement(
  input: Uint8Array,
  blind: Uint8Array,
  evaluated: Uint8Array,
): Uint8Array {
  decodeElement(evaluated, 'evaluated');
  return suite.oprf.finalize(input, blind, evaluated);
}
