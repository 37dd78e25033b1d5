/**
 * Where the keyholder's batch evaluations run (docs/keyholder.md "Evaluation"): on the event
 * loop (`inlineEvaluator`, the tests' default and `SPX_KEYHOLDER_WORKERS=0`) or in a pool of
 * worker threads (./evaluation-pool.ts). Both take a batch in two steps so that the route can
 * refuse an overloaded keyholder before it consumes the agency's quota: `reserve` claims room
 * (or refuses with EVALUATION_OVERLOADED), then the slot either evaluates or is released.
 */
import {
  evaluateBatch,
  type EvaluationRequest,
  type EvaluationResponse,
  type OprfKeyPair,
  type Ristretto255Group,
  type Rng,
} from '../crypto/oprf/index.js';

export interface EvaluationSlot {
  /** RFC 9497 BlindEvaluate with its batch proof; settles the slot either way. */
  evaluate(key: OprfKeyPair, request: EvaluationRequest): Promise<EvaluationResponse>;
  /** Gives the room back unused (when the quota refuses); a no-op once evaluate was called. */
  release(): void;
}

export interface BatchEvaluator {
  /** The backend that checks received elements on the event loop before the quota step. */
  readonly group: Ristretto255Group;
  /** Worker threads evaluating (0: on the event loop). */
  readonly workers: number;
  /** Room for a batch of `elements`; throws KeyholderError EVALUATION_OVERLOADED when full. */
  reserve(elements: number): EvaluationSlot;
  /** Refuses new work, lets running batches finish, stops the workers. */
  close(): Promise<void>;
}

/** Evaluates on the calling thread, with `group` doing the arithmetic; never refuses. */
export function inlineEvaluator(group: Ristretto255Group, rng: Rng): BatchEvaluator {
  return {
    group,
    workers: 0,
    reserve: () => ({
      evaluate: async (key, request) => evaluateBatch(key, request, rng, group),
      release: () => undefined,
    }),
    close: async () => undefined,
  };
}
