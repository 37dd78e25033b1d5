/**
 * The entry point of the thread that runs one release's suppression (./suppression-thread.ts
 * starts it). It receives a table's layout and counts, runs the complementary suppression and
 * its audits (disclosure/suppression.ts) and answers the status of every cell. The work is
 * seconds of CPU for the national table; off the event loop, checks keep being answered.
 */
import { parentPort } from 'node:worker_threads';
import { serveSuppression } from './suppression-thread.js';

if (parentPort === null) throw new Error('suppression-worker.ts runs only as a worker thread');
serveSuppression(parentPort);
