/**
 * One blinded batch through the keyholder set (docs/protocol.md §4.4, §4.7.3). Every answer is
 * verified on its own before anything is combined; a keyholder whose answer fails is set aside
 * for the rest of the run and never combined. This file sees blinded elements and outputs,
 * never a key string.
 */
import { CryptoError, isCryptoError } from '../../crypto/errors.js';
import {
  decodeEvaluationResponse,
  encodeEvaluationRequest,
  finalizeBatch,
  finalizeThresholdBatch,
  verifyShareResponse,
  type BlindState,
  type EvaluationRequest,
  type EvaluationResponse,
  type OprfKeySet,
  type Ristretto255Group,
} from '../../crypto/oprf/index.js';
import type { TokenizationResponse } from '../../protocol/tokenization.js';
import type { KeyholderClient } from '../clients/index.js';
import { failureOf, type KeyholderSet } from './keyholder-set.js';
import { TokenizeError, type KeyholderFailure } from './tokenize-error.js';

/** State shared by the batches of one tokenization run. */
export interface BatchRun {
  /** Keyholders (by URL) that answered falsely earlier in this run: never asked again. */
  readonly setAside: Map<string, KeyholderFailure>;
}

type Verified =
  | {
      readonly ok: true;
      readonly response: EvaluationResponse;
      readonly outputs?: Uint8Array[];
      /** A share's evaluated elements, as verifyShareResponse returned them. */
      readonly elements?: unknown[];
    }
  | { readonly ok: false; readonly failure: KeyholderFailure; readonly falseAnswer: boolean };

/** Verified, finalized OPRF outputs, one per input of `state`, in order. */
export async function evaluateBatch(
  set: KeyholderSet,
  state: BlindState,
  request: EvaluationRequest,
  run: BatchRun,
): Promise<Uint8Array[]> {
  const { keySet } = await set.keySet();
  const wire = encodeEvaluationRequest(request);
  const t = keySet.threshold;
  // Keyholders set aside by an earlier batch count as failed here too, and say why.
  const failures: KeyholderFailure[] = [...run.setAside.values()];
  const valid: EvaluationResponse[] = [];
  // Each share's answer is verified once, in ask(); the combination does not verify it again.
  const verifiedElements = new Map<EvaluationResponse, unknown[]>();
  const shares = new Set<number>();

  // Ask t keyholders at once; for each one that fails, ask the next not yet tried (§4.7.3: a
  // node MAY set a failed keyholder aside and ask another with the same request).
  const queue = set.clients.filter((c) => !run.setAside.has(c.url));
  while (valid.length < t && queue.length > 0) {
    const round = queue.splice(0, t - valid.length);
    const results = await Promise.all(round.map((c) => ask(c, wire, state, keySet, set.group)));
    for (const [i, result] of results.entries()) {
      if (result.ok && result.outputs !== undefined) return result.outputs;
      const verdict: Verified =
        result.ok && shares.has(result.response.shareIndex)
          ? {
              ok: false,
              // Two URLs serving one share: the second adds nothing towards t (§4.7.3 step 2).
              failure: failureOf(
                round[i]!.url,
                new CryptoError('OPRF_SHARE_INVALID', 'share already answered', {
                  field: 'shareIndex',
                }),
              ),
              falseAnswer: true,
            }
          : result;
      if (!verdict.ok) {
        failures.push(verdict.failure);
        if (verdict.falseAnswer) run.setAside.set(verdict.failure.url, verdict.failure);
        continue;
      }
      shares.add(verdict.response.shareIndex);
      valid.push(verdict.response);
      if (verdict.elements !== undefined) verifiedElements.set(verdict.response, verdict.elements);
    }
  }
  if (valid.length < t) {
    const falseAnswer = failures.some((f) => run.setAside.get(f.url) === f);
    const retryable = failures.filter((f) => f.retryable).length;
    throw new TokenizeError(
      falseAnswer ? 'KEYHOLDER_ANSWER_INVALID' : 'KEYHOLDER_UNAVAILABLE',
      // Name each keyholder's refusal (AGENCY_NOT_ADMITTED, AGENCY_SUSPENDED, TIMEOUT, …): "0 of
      // 1 answers" alone sends the operator looking at the network for a registry decision.
      `${valid.length} of the ${t} keyholder answers needed` +
        (failures.length === 0
          ? ''
          : ` (${failures.map((f) => `${f.url}: ${f.code}`).join('; ')})`),
      { failures, retryable: valid.length + retryable >= t },
    );
  }
  // Each share was verified against its own K_i; this also checks Σ λ_i·K_i = K (step 3).
  return finalizeThresholdBatch(state, valid, keySet, set.group, verifiedElements);
}

async function ask(
  client: KeyholderClient,
  wire: ReturnType<typeof encodeEvaluationRequest>,
  state: BlindState,
  keySet: OprfKeySet,
  group: Ristretto255Group,
): Promise<Verified> {
  let answer: TokenizationResponse;
  try {
    answer = await client.evaluate(wire);
  } catch (e) {
    return { ok: false, failure: failureOf(client.url, e), falseAnswer: false };
  }
  try {
    const response = decodeEvaluationResponse(answer);
    if (keySet.publicShares.length === 1) {
      // A whole key (§4.4): its proof is against K_1 = K, and finalizing verifies it.
      const key = { epoch: keySet.epoch, shareIndex: 1, publicKey: keySet.publicShares[0]! };
      return { ok: true, response, outputs: finalizeBatch(state, response, key, group) };
    }
    const elements = verifyShareResponse(state, response, keySet, '', group);
    return { ok: true, response, elements };
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    return { ok: false, failure: failureOf(client.url, e), falseAnswer: true };
  }
}
