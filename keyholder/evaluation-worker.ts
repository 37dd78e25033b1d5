/**
 * The entry point of one evaluation worker thread (./evaluation-pool.ts starts it; the messages
 * are in ./evaluation-worker-protocol.ts). It runs RFC 9497 batch evaluations and nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveEvaluations, type EvaluationWorkerData } from './evaluation-worker-protocol.js';

if (parentPort === null) throw new Error('evaluation-worker.ts runs only as a worker thread');
void serveEvaluations(parentPort, workerData as EvaluationWorkerData);
