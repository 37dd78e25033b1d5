/**
 * Suppression off the event loop (docs/statistics.md, "Releases"). A release's complementary
 * suppression and audits take seconds of CPU on the national table; run on the event loop, they
 * stall every check the hub answers meanwhile. `suppressInThread` runs them in a worker thread
 * started for the one build (once per release period) and ended with it, and hands back the
 * status of every cell — the same function of the same counts as on the event loop, so the
 * release is byte for byte the one `buildStatisticsTable` makes.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import {
  StatisticsError,
  isStatisticsError,
  type StatisticsErrorCode,
} from './disclosure/index.js';
import { protect } from './disclosure/suppression.js';
import { createShape, type Dimension, type TableShape } from './disclosure/table-shape.js';

/** What the thread is sent: the layout and the count of every cell. */
export interface SuppressionJob {
  readonly dimensions: readonly Dimension[];
  readonly domains: readonly (readonly string[])[];
  /** Every cell's count, totals included (table-shape.ts countCells). */
  readonly counts: Float64Array;
  readonly minCell: number;
}

type Reply =
  | { readonly type: 'done'; readonly status: Uint8Array }
  | {
      readonly type: 'failed';
      readonly code?: StatisticsErrorCode;
      readonly message: string;
      readonly field?: string;
    };

interface ReplyPort {
  postMessage(message: Reply, transfer?: readonly ArrayBuffer[]): void;
  once(event: 'message', listener: (job: SuppressionJob) => void): unknown;
}

/** The thread's side: one job, one reply. */
export function serveSuppression(port: MessagePort | ReplyPort): void {
  (port as ReplyPort).once('message', (job) => {
    try {
      const shape = createShape(job.dimensions, job.domains);
      const { status } = protect(shape, Array.from(job.counts), job.minCell);
      (port as ReplyPort).postMessage({ type: 'done', status }, [status.buffer as ArrayBuffer]);
    } catch (e) {
      (port as ReplyPort).postMessage(
        isStatisticsError(e)
          ? {
              type: 'failed',
              code: e.code,
              message: e.message,
              ...(e.field === undefined ? {} : { field: e.field }),
            }
          : { type: 'failed', message: e instanceof Error ? e.message : String(e) },
      );
    }
  });
}

function defaultWorkerUrl(): URL {
  // Compiled (dist/hub/statistics/*.js) next to this module; from the sources (tests,
  // benchmarks) the TypeScript file, loaded through tsx as keyholder/evaluation-pool.ts does.
  const ts = import.meta.url.endsWith('.ts');
  return new URL(ts ? './suppression-worker.ts' : './suppression-worker.js', import.meta.url);
}

function workerEntry(url: URL): URL | string {
  if (!url.pathname.endsWith('.ts')) return url;
  const target = JSON.stringify(url.href);
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${target}); });`;
}

/** How a release's suppression runs: in a worker thread (the hub), or inline (tests, tools). */
export type SuppressionRunner = (
  shape: TableShape,
  counts: readonly number[],
  minCell: number,
) => Promise<Uint8Array>;

/** On the calling thread: for callers with no event loop to keep free. */
export const suppressInline: SuppressionRunner = (shape, counts, minCell) =>
  Promise.resolve(protect(shape, counts, minCell).status);

/** In a worker thread started for this job and ended after it. */
export const suppressInThread: SuppressionRunner = (shape, counts, minCell) =>
  new Promise<Uint8Array>((resolve, reject) => {
    const entry = workerEntry(defaultWorkerUrl());
    const worker = new Worker(entry, {
      name: 'spx-hub-statistics',
      ...(typeof entry === 'string' ? { eval: true } : {}),
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (reply: Reply) => {
      settle(() => {
        if (reply.type === 'done') resolve(reply.status);
        else if (reply.code !== undefined) {
          reject(
            new StatisticsError(
              reply.code,
              reply.message,
              reply.field === undefined ? {} : { field: reply.field },
            ),
          );
        } else reject(new Error(`statistics suppression failed: ${reply.message}`));
      });
    });
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`statistics suppression thread exited (${code})`))),
    );
    const job: SuppressionJob = {
      dimensions: shape.dimensions,
      domains: shape.domains,
      counts: Float64Array.from(counts),
      minCell,
    };
    worker.postMessage(job, [job.counts.buffer as ArrayBuffer]);
  });
