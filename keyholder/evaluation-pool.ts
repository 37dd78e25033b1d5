/**
 * A pool of worker threads that run the keyholder's batch evaluations (docs/keyholder.md
 * "Evaluation"), so that the event loop keeps answering while the CPU-bound part of a request
 * runs, and every core evaluates.
 *
 * - Size: one worker per core by default (SPX_KEYHOLDER_WORKERS; os.availableParallelism()).
 * - Bound: the elements accepted and not yet evaluated may exceed one full batch per worker by
 *   at most `maxQueuedElements` (SPX_KEYHOLDER_EVALUATION_QUEUE); beyond it `reserve` refuses
 *   with EVALUATION_OVERLOADED, which the route answers 503 with Retry-After before consuming
 *   any quota.
 * - Failure: a worker that dies takes only its own batch down (EVALUATION_FAILED, 503) and is
 *   replaced; a worker that cannot even start is retried a few times, and when none is left the
 *   queued batches fail too instead of waiting for ever.
 * - Shutdown: `close` refuses new batches and those still queued (EVALUATION_CLOSED), lets the
 *   running ones finish, then stops the threads.
 */
import { Worker } from 'node:worker_threads';
import {
  MAX_BATCH,
  RANDOM_SCALAR_INPUT_BYTES,
  loadGroup,
  type EvaluationRequest,
  type EvaluationResponse,
  type GroupBackendChoice,
  type GroupBackendName,
  type OprfKeyPair,
  type Rng,
} from '../crypto/oprf/index.js';
import type { Logger } from '../platform/logging/json-lines.js';
import { KeyholderError } from './errors.js';
import type { BatchEvaluator, EvaluationSlot } from './evaluator.js';
import {
  cryptoErrorOf,
  type EvaluateMessage,
  type EvaluationWorkerData,
  type WorkerReply,
} from './evaluation-worker-protocol.js';

/** Workers that fail to start in a row (no other worker becoming ready meanwhile) before giving up. */
const MAX_FAILED_STARTS = 3;

export interface EvaluationPoolOptions {
  /** Worker threads, ≥ 1. */
  readonly workers: number;
  /** Elements that may wait beyond one full batch per worker. */
  readonly maxQueuedElements: number;
  readonly backend: GroupBackendChoice;
  /** The proof randomness is drawn here, on the event loop, and sent with each batch. */
  readonly rng: Rng;
  readonly log: Logger;
  /** The worker's entry module (default ./evaluation-worker); tests substitute a faulty one. */
  readonly workerUrl?: URL;
}

export interface EvaluationPool extends BatchEvaluator {
  /** The backend the workers loaded. */
  readonly backend: GroupBackendName;
}

interface Job {
  readonly message: EvaluateMessage;
  resolve(response: EvaluationResponse): void;
  reject(error: unknown): void;
}

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  job: Job | undefined;
}

function defaultWorkerUrl(): URL {
  // Compiled (dist/keyholder/*.js) next to this module; from the sources (tests, benchmarks)
  // the TypeScript file, which the worker loads through tsx.
  const ts = import.meta.url.endsWith('.ts');
  return new URL(ts ? './evaluation-worker.ts' : './evaluation-worker.js', import.meta.url);
}

/**
 * What `new Worker` runs: the compiled module itself, or for a TypeScript source a two-line
 * script that registers tsx's loader in the worker and then imports it (on Node 20 a worker's
 * `--import tsx` does not apply to its own entry module). Sources run only in development,
 * from the repository (tsx resolves from the working directory).
 */
function workerEntry(url: URL): URL | string {
  if (!url.pathname.endsWith('.ts')) return url;
  const target = JSON.stringify(url.href);
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${target}); });`;
}

const failed = (message: string) => new KeyholderError('EVALUATION_FAILED', message);

/** Starts the workers and resolves once every one has loaded its backend. */
export async function startEvaluationPool(options: EvaluationPoolOptions): Promise<EvaluationPool> {
  const { log, rng } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError('an evaluation pool needs at least one worker');
  }
  // The event loop checks received elements with the same backend the workers use.
  const { group } = await loadGroup(options.backend);
  const entry = workerEntry(options.workerUrl ?? defaultWorkerUrl());
  const workerData: EvaluationWorkerData = { backend: group.name };
  const capacity = options.workers * MAX_BATCH + options.maxQueuedElements;

  const threads = new Set<Thread>();
  const queue: Job[] = [];
  const running = new Set<Promise<unknown>>();
  let outstanding = 0;
  let nextId = 1;
  let closing = false;
  let started = false;
  let failedStarts = 0;
  let lastStartError = '';
  let startWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  const pump = () => {
    for (const thread of threads) {
      if (queue.length === 0) return;
      if (!thread.ready || thread.job !== undefined) continue;
      const job = queue.shift()!;
      thread.job = job;
      thread.worker.postMessage(job.message);
    }
  };

  const failQueued = (error: KeyholderError) => {
    for (const job of queue.splice(0)) job.reject(error);
  };

  const spawn = () => {
    const worker = new Worker(entry, {
      workerData,
      name: 'spx-keyholder-evaluation',
      ...(typeof entry === 'string' ? { eval: true } : {}),
    });
    const thread: Thread = { worker, ready: false, job: undefined };
    threads.add(thread);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        thread.ready = true;
        failedStarts = 0;
        if (!started && [...threads].every((t) => t.ready)) {
          started = true;
          for (const w of startWaiters) w.resolve();
          startWaiters = [];
        }
        pump();
      } else if (reply.type === 'failed') {
        // The worker returns and its thread ends; 'exit' below counts the failed start.
        lastStartError = reply.message;
      } else {
        const job = thread.job;
        thread.job = undefined;
        if (job !== undefined && job.message.id === reply.id) {
          if (reply.type === 'result') job.resolve(reply.response);
          else job.reject(cryptoErrorOf(reply.error) ?? failed('the evaluation failed'));
        }
        pump();
      }
    });
    worker.on('error', (e) => {
      // An uncaught exception in the worker; 'exit' follows. Name only: no message, no stack.
      lastStartError = e.name;
      log('error', 'evaluation_worker_error', { error: e.name });
    });
    worker.on('exit', (code) => {
      threads.delete(thread);
      if (thread.job !== undefined) {
        thread.job.reject(failed('the evaluation worker stopped during this batch; retry'));
        thread.job = undefined;
      }
      if (closing) return;
      log('error', 'evaluation_worker_exited', { exitCode: code, ready: thread.ready });
      if (!thread.ready) failedStarts++;
      if (!started) {
        for (const w of startWaiters)
          w.reject(
            failed(
              `an evaluation worker could not start: ${lastStartError || `exit code ${code}`}`,
            ),
          );
        startWaiters = [];
        return;
      }
      if (failedStarts < MAX_FAILED_STARTS) {
        spawn();
        log('warn', 'evaluation_worker_replaced', { workers: threads.size });
      } else if (threads.size === 0) {
        log('error', 'evaluation_pool_failed', { failedStarts });
        failQueued(failed('no evaluation worker could be started'));
      }
      pump();
    });
  };

  for (let i = 0; i < options.workers; i++) spawn();
  try {
    await new Promise<void>((resolve, reject) => startWaiters.push({ resolve, reject }));
  } catch (e) {
    closing = true;
    await Promise.all([...threads].map((t) => t.worker.terminate()));
    throw e;
  }

  const submit = (key: OprfKeyPair, request: EvaluationRequest): Promise<EvaluationResponse> => {
    if (closing) return Promise.reject(new KeyholderError('EVALUATION_CLOSED', 'shutting down'));
    if (threads.size === 0) return Promise.reject(failed('no evaluation worker is running'));
    const message: EvaluateMessage = {
      type: 'evaluate',
      id: nextId++,
      key,
      request,
      random: rng(RANDOM_SCALAR_INPUT_BYTES),
    };
    const promise = new Promise<EvaluationResponse>((resolve, reject) => {
      queue.push({ message, resolve, reject });
    });
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    running.add(settled);
    void settled.then(() => running.delete(settled));
    pump();
    return promise;
  };

  return {
    group,
    backend: group.name,
    get workers() {
      return threads.size;
    },
    reserve(elements: number): EvaluationSlot {
      if (closing) throw new KeyholderError('EVALUATION_CLOSED', 'the keyholder is shutting down');
      if (threads.size === 0) throw failed('no evaluation worker is running');
      if (outstanding + elements > capacity) {
        throw new KeyholderError(
          'EVALUATION_OVERLOADED',
          `${outstanding} elements are waiting for evaluation; at most ${capacity} are accepted`,
        );
      }
      outstanding += elements;
      let state: 'reserved' | 'released' | 'used' = 'reserved';
      const giveBack = () => {
        outstanding -= elements;
      };
      return {
        release() {
          if (state !== 'reserved') return;
          state = 'released';
          giveBack();
        },
        evaluate(key, request) {
          if (state !== 'reserved') throw new Error('an evaluation slot is used once');
          state = 'used';
          return submit(key, request).finally(giveBack);
        },
      };
    },
    async close() {
      if (closing) return;
      closing = true;
      failQueued(new KeyholderError('EVALUATION_CLOSED', 'the keyholder is shutting down'));
      await Promise.all(running);
      await Promise.all([...threads].map((t) => t.worker.terminate()));
    },
  };
}
