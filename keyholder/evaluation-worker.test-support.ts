/**
 * A faulty evaluation worker for keyholder/evaluation-pool.test.ts: the real worker, except
 * that a batch of CRASH_EXIT elements ends its thread (process.exit in a worker ends only the
 * worker) and a batch of CRASH_THROW elements throws out of the message handler (an uncaught
 * exception, which also ends the thread). Both happen before the batch is answered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  serveEvaluations,
  type EvaluateMessage,
  type EvaluationWorkerData,
  type ReplyPort,
} from './evaluation-worker-protocol.js';

export const CRASH_EXIT = 7;
export const CRASH_THROW = 8;

if (parentPort !== null) {
  const port = parentPort;
  const faulty: ReplyPort = {
    postMessage: (message) => port.postMessage(message),
    on: (event, listener) =>
      port.on(event, (message: EvaluateMessage) => {
        const size = message.request.blindedElements.length;
        if (size === CRASH_EXIT) process.exit(70);
        if (size === CRASH_THROW) throw new Error('an evaluation worker failed');
        listener(message);
      }),
  };
  void serveEvaluations(faulty, workerData as EvaluationWorkerData);
}
