/**
 * The messages between the keyholder's event loop and an evaluation worker
 * (./evaluation-pool.ts, ./evaluation-worker.ts), and the worker's side of them.
 *
 *   pool → worker   workerData { backend }                      at spawn
 *   worker → pool   { type: 'ready', backend }                  once its backend has loaded
 *                   { type: 'failed', message }                 if it could not load one
 *   pool → worker   { type: 'evaluate', id, key, request, random }
 *   worker → pool   { type: 'result', id, response } | { type: 'error', id, error }
 *
 * `random` is the proof's randomness, drawn on the event loop from the keyholder's injected
 * rng (RFC 9497 RandomScalar reads RANDOM_SCALAR_INPUT_BYTES of it), so that the worker holds
 * no randomness source of its own and tests replay exactly.
 */
import { CryptoError, isCodedError } from '../crypto/errors.js';
import {
  evaluateBatch,
  loadGroup,
  type EvaluationRequest,
  type EvaluationResponse,
  type GroupBackendChoice,
  type GroupBackendName,
  type OprfKeyPair,
} from '../crypto/oprf/index.js';

export interface EvaluationWorkerData {
  readonly backend: GroupBackendChoice;
}

export interface EvaluateMessage {
  readonly type: 'evaluate';
  readonly id: number;
  readonly key: OprfKeyPair;
  readonly request: EvaluationRequest;
  readonly random: Uint8Array;
}

export interface SerializedError {
  readonly code: string | undefined;
  readonly message: string;
  readonly field: string | undefined;
}

export type WorkerReply =
  | { readonly type: 'ready'; readonly backend: GroupBackendName }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly response: EvaluationResponse }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

/** The part of a MessagePort the worker uses (a test can drive it without a thread). */
export interface ReplyPort {
  postMessage(message: WorkerReply): void;
  on(event: 'message', listener: (message: EvaluateMessage) => void): unknown;
}

const CRYPTO_CODES = new Set<string>([
  'OPRF_INPUT_INVALID',
  'OPRF_BATCH_SIZE',
  'OPRF_ELEMENT_INVALID',
  'OPRF_PROOF_INVALID',
  'OPRF_KEY_INVALID',
  'OPRF_SHARE_INVALID',
  'OPRF_THRESHOLD',
]);

/** A worker's error as data: its code, message and field, never a stack or key material. */
export function serializeError(e: unknown): SerializedError {
  return isCodedError(e)
    ? { code: e.code, message: e.message, field: e.field }
    : {
        code: undefined,
        message: e instanceof Error ? e.name : 'non-error thrown',
        field: undefined,
      };
}

/** The CryptoError a worker threw, rebuilt on the event loop; undefined for anything else. */
export function cryptoErrorOf(error: SerializedError): CryptoError | undefined {
  if (error.code === undefined || !CRYPTO_CODES.has(error.code)) return undefined;
  return new CryptoError(error.code as CryptoError['code'], error.message, { field: error.field });
}

/** The worker's side: load the backend, say so, then evaluate each batch it is sent. */
export async function serveEvaluations(port: ReplyPort, data: EvaluationWorkerData): Promise<void> {
  let loaded;
  try {
    loaded = await loadGroup(data.backend);
  } catch (e) {
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const { group } = loaded;
  port.on('message', (message) => {
    let used = false;
    // The one draw RandomScalar makes; a second draw would be a bug, never silently reused bytes.
    const rng = (n: number) => {
      if (used || n !== message.random.length) throw new Error('proof randomness already used');
      used = true;
      return message.random;
    };
    try {
      const response = evaluateBatch(message.key, message.request, rng, group);
      port.postMessage({ type: 'result', id: message.id, response });
    } catch (e) {
      port.postMessage({ type: 'error', id: message.id, error: serializeError(e) });
    }
  });
  port.postMessage({ type: 'ready', backend: group.name });
}
