import { sha512 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import {
  blindBatch,
  deriveKeyPair,
  finalizeBatch,
  nobleGroup,
  type EvaluationRequest,
  type Rng,
} from '../crypto/oprf/index.js';
import { isKeyholderError } from './errors.js';
import { startEvaluationPool, type EvaluationPool } from './evaluation-pool.js';
import { CRASH_EXIT, CRASH_THROW } from './evaluation-worker.test-support.js';
import { inlineEvaluator } from './evaluator.js';

/** A replayable byte stream (SHA-512 in counter mode). */
function seededRng(label: string): Rng {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 64) {
      out.set(sha512(utf8(`${label}|${counter++}`)).subarray(0, Math.min(64, n - i)), i);
    }
    return out;
  };
}

const key = deriveKeyPair(sha512(utf8('pool test key')).subarray(0, 32), 1);
const inputRng = seededRng('inputs');
function batch(size: number): {
  request: EvaluationRequest;
  state: ReturnType<typeof blindBatch>['state'];
} {
  const inputs = Array.from({ length: size }, (_, i) => utf8(`SPX1|ssn|${size}|${i}`));
  return blindBatch(1, inputs, inputRng);
}
const FAULTY_WORKER = new URL('./evaluation-worker.test-support.ts', import.meta.url);

const pools: EvaluationPool[] = [];
async function pool(options: Partial<Parameters<typeof startEvaluationPool>[0]> = {}) {
  const lines: { level: string; event: string }[] = [];
  const started = await startEvaluationPool({
    workers: 1,
    maxQueuedElements: 1024,
    backend: 'auto',
    rng: seededRng('proofs'),
    log: (level, event) => lines.push({ level, event }),
    ...options,
  });
  pools.push(started);
  return { pool: started, lines };
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (isKeyholderError(e) || e instanceof CryptoError) return e.code;
    throw e;
  }
  return 'none';
}

describe('evaluation worker pool', () => {
  it('returns byte for byte what evaluation on the event loop returns, batches in parallel', async () => {
    const { pool: p } = await pool({ workers: 2, rng: seededRng('same') });
    expect(p.backend).toBe('libsodium');
    expect(p.workers).toBe(2);
    const batches = [1, 5, 32, 2, 17, 3].map(batch);
    // Randomness is drawn when a batch is handed over, in this order, on both sides.
    const pooled = await Promise.all(
      batches.map((b) => p.reserve(b.request.blindedElements.length).evaluate(key, b.request)),
    );
    const inline = inlineEvaluator(nobleGroup, seededRng('same'));
    for (const [i, b] of batches.entries()) {
      const expected = await inline.reserve(1).evaluate(key, b.request);
      expect(pooled[i]).toEqual(expected);
      expect(finalizeBatch(b.state, pooled[i]!, key)).toHaveLength(
        b.request.blindedElements.length,
      );
    }
  });

  it('refuses a batch beyond its bound with EVALUATION_OVERLOADED until room is given back', async () => {
    // One worker, nothing queued beyond it: room for one full batch (256 elements).
    const { pool: p } = await pool({ maxQueuedElements: 0 });
    const first = p.reserve(200);
    expect(() => p.reserve(100)).toThrow(
      expect.objectContaining({ code: 'EVALUATION_OVERLOADED' }),
    );
    first.release();
    first.release(); // idempotent: the room is given back once
    const second = p.reserve(100);
    const third = p.reserve(156);
    expect(() => p.reserve(1)).toThrow(expect.objectContaining({ code: 'EVALUATION_OVERLOADED' }));
    const { request } = batch(3);
    await second.evaluate(key, request);
    expect(() => p.reserve(100)).not.toThrow();
    third.release();
  });

  it('rebuilds a CryptoError thrown in a worker with its code and field', async () => {
    const { pool: p } = await pool();
    const { request } = batch(2);
    const other = { ...request, epoch: 2 };
    await expect(p.reserve(2).evaluate(key, other)).rejects.toMatchObject({
      code: 'OPRF_KEY_INVALID',
      field: 'epoch',
    });
  });

  for (const [how, size] of [
    ['exits', CRASH_EXIT],
    ['throws', CRASH_THROW],
  ] as const) {
    it(`a worker that ${how} during a batch fails only that batch and is replaced`, async () => {
      const { pool: p, lines } = await pool({ workerUrl: FAULTY_WORKER });
      const crash = batch(size);
      const after = batch(4);
      // The second batch waits in the queue while the only worker dies under the first.
      const crashed = p.reserve(size).evaluate(key, crash.request);
      const queued = p.reserve(4).evaluate(key, after.request);
      expect(await codeOf(crashed)).toBe('EVALUATION_FAILED');
      const answer = await queued;
      expect(finalizeBatch(after.state, answer, key)).toHaveLength(4);
      expect(p.workers).toBe(1);
      expect(lines.map((l) => l.event)).toEqual(
        expect.arrayContaining(['evaluation_worker_exited', 'evaluation_worker_replaced']),
      );
    });
  }

  it('close lets the running batch finish, fails the queued one and refuses new ones', async () => {
    const { pool: p } = await pool();
    const running = p.reserve(3).evaluate(key, batch(3).request);
    const queued = p.reserve(3).evaluate(key, batch(3).request);
    const closed = p.close();
    expect(await codeOf(queued)).toBe('EVALUATION_CLOSED');
    expect((await running).evaluatedElements).toHaveLength(3);
    await closed;
    expect(() => p.reserve(1)).toThrow(expect.objectContaining({ code: 'EVALUATION_CLOSED' }));
  });

  it('fails to start, with EVALUATION_FAILED, when its worker cannot load', async () => {
    const missing = new URL('./no-such-evaluation-worker.ts', import.meta.url);
    await expect(pool({ workerUrl: missing })).rejects.toMatchObject({
      code: 'EVALUATION_FAILED',
    });
  });
});
