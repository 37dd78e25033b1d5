/**
 * POST /v1/evaluate and where it evaluates (keyholder/evaluator.ts): a worker pool with the
 * libsodium backend answers what a node verifies with noble; an evaluator that is full,
 * broken or stopping is answered 503 with Retry-After, and a refusal before the evaluation
 * consumes no quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { finalizeBatch, deriveKeyPair, loadGroup } from '../crypto/oprf/index.js';
import { KeyholderError, type KeyholderErrorCode } from './errors.js';
import { startEvaluationPool, type EvaluationPool } from './evaluation-pool.js';
import { inlineEvaluator, type BatchEvaluator } from './evaluator.js';
import {
  blindInputs,
  codeOf,
  evaluationOf,
  openTestbed,
  rng,
  signedInit,
  TESTBED_SEED,
  type Testbed,
} from './test-fixtures.js';

let bed: Testbed;
let pool: EvaluationPool;
const key = deriveKeyPair(TESTBED_SEED, 1);

beforeAll(async () => {
  bed = await openTestbed();
  pool = await startEvaluationPool({
    workers: 1,
    maxQueuedElements: 512,
    backend: 'auto',
    rng,
    log: () => undefined,
  });
});
afterAll(async () => {
  await pool?.close();
  await bed?.handle.close();
});

/** An evaluator over libsodium on the event loop that records what the route did with it. */
async function recordingEvaluator(fail?: { at: 'reserve' | 'evaluate'; code: KeyholderErrorCode }) {
  const inner = inlineEvaluator((await loadGroup('libsodium')).group, rng);
  const calls: string[] = [];
  const evaluator: BatchEvaluator = {
    ...inner,
    reserve(elements) {
      calls.push(`reserve ${elements}`);
      if (fail?.at === 'reserve') throw new KeyholderError(fail.code, 'refused');
      const slot = inner.reserve(elements);
      return {
        release: () => calls.push('release'),
        evaluate: async (k, request) => {
          calls.push('evaluate');
          if (fail?.at === 'evaluate') throw new KeyholderError(fail.code, 'failed');
          return slot.evaluate(k, request);
        },
      };
    },
  };
  return { evaluator, calls };
}

describe('evaluation through the pool', () => {
  it('answers a batch that the node verifies and finalizes (libsodium worker, noble node)', async () => {
    expect(pool.backend).toBe('libsodium');
    const a = await bed.agency();
    const { state, body } = blindInputs(1, 20, 'pool');
    const res = await bed
      .app({ evaluator: pool })
      .request('/v1/evaluate', await signedInit(a, body, bed.now));
    expect(res.status).toBe(200);
    expect(finalizeBatch(state, await evaluationOf(res), key)).toHaveLength(20);
    expect(await bed.used(a.ori)).toBe(20);
  });

  it('checks elements with the evaluator’s backend before the quota', async () => {
    const a = await bed.agency();
    const { blinded } = blindInputs(1, 2, 'bad');
    const nonCanonical = toBase64url(new Uint8Array(32).fill(0xff));
    const bad = JSON.stringify({ epoch: 1, blindedElements: [blinded[0], nonCanonical] });
    const { evaluator, calls } = await recordingEvaluator();
    const res = await bed
      .app({ evaluator })
      .request('/v1/evaluate', await signedInit(a, bad, bed.now));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'OPRF_ELEMENT_INVALID',
      errors: [{ field: 'blindedElements[1]' }],
    });
    expect(calls).toEqual([]);
    expect(await bed.used(a.ori)).toBe(0);
  });
});

describe('refusals of the evaluator', () => {
  for (const code of ['EVALUATION_OVERLOADED', 'EVALUATION_CLOSED'] as const) {
    it(`answers ${code} at reservation with 503, Retry-After and no quota consumed`, async () => {
      const a = await bed.agency();
      const { evaluator, calls } = await recordingEvaluator({ at: 'reserve', code });
      const { body } = blindInputs(1, 3, code);
      const res = await bed
        .app({ evaluator })
        .request('/v1/evaluate', await signedInit(a, body, bed.now));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await codeOf(res)).toBe('UNAVAILABLE');
      expect(calls).toEqual(['reserve 3']);
      expect(await bed.used(a.ori)).toBe(0);
      expect(bed.logs.some((l) => l.includes('"evaluation_refused"') && l.includes(code))).toBe(
        true,
      );
    });
  }

  it('answers a batch whose worker died with 503 and Retry-After', async () => {
    const a = await bed.agency();
    const { evaluator, calls } = await recordingEvaluator({
      at: 'evaluate',
      code: 'EVALUATION_FAILED',
    });
    const { body } = blindInputs(1, 2, 'died');
    const res = await bed
      .app({ evaluator })
      .request('/v1/evaluate', await signedInit(a, body, bed.now));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(calls).toEqual(['reserve 2', 'evaluate']);
    // The agency got nothing for the two elements: they are not charged to its allowance.
    expect(await bed.used(a.ori)).toBe(0);
  });

  it('charges an answered batch, and gives back only what a failed one took', async () => {
    const a = await bed.agency();
    const ok = await recordingEvaluator();
    const first = blindInputs(1, 3, 'answered');
    const answered = await bed
      .app({ evaluator: ok.evaluator })
      .request('/v1/evaluate', await signedInit(a, first.body, bed.now));
    expect(answered.status).toBe(200);
    const failing = await recordingEvaluator({ at: 'evaluate', code: 'EVALUATION_FAILED' });
    const second = blindInputs(1, 2, 'failed');
    const failed = await bed
      .app({ evaluator: failing.evaluator })
      .request('/v1/evaluate', await signedInit(a, second.body, bed.now));
    expect(failed.status).toBe(503);
    expect(await bed.used(a.ori)).toBe(3);
  });

  it('gives the reserved room back when the quota refuses the batch', async () => {
    const a = await bed.agency();
    const { evaluator, calls } = await recordingEvaluator();
    const { body } = blindInputs(1, 5, 'quota');
    const res = await bed
      .app({ evaluator, dailyQuota: 4 })
      .request('/v1/evaluate', await signedInit(a, body, bed.now));
    expect(res.status).toBe(429);
    expect(calls).toEqual(['reserve 5', 'release']);
  });
});
