/**
 * A client that closes its connection while the service reads its request (an aborted upload,
 * a request cut off by the server's request timeout) makes the body's read fail. That is not a
 * server error: it must not be answered, logged or alerted on as a 500 — any client could
 * otherwise flood the error log at will. The error handler (./error-handler.ts) answers such a
 * failure with status 499 ("client closed request", nginx's convention), which reaches no one
 * but the request log line, at info level.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { isPlatformError, PlatformError } from '../errors.js';

/** Status recorded for a request whose client went away before it was read. */
export const CLIENT_CLOSED_REQUEST = 499;

/** How Node and the fetch body streams report a connection gone from under a read. */
const CONNECTION_GONE = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'ABORT_ERR',
]);

function isConnectionGone(error: unknown): boolean {
  // The read's error may come wrapped by the stream layers in between: follow a few causes.
  for (let e = error, depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && CONNECTION_GONE.has(code)) return true;
    if (name === 'AbortError') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Whether `error` is the failure of a request whose client disconnected: a body that ended
 * before it was whole (`assertBodyComplete`), or the request's signal says the connection
 * closed before the answer (@hono/node-server aborts it then) and the error is a connection's
 * end, not a failure of the service's own making that happened meanwhile.
 */
export function isClientAbort(error: unknown, c: Context): boolean {
  if (isPlatformError(error) && error.code === 'BODY_INCOMPLETE') return true;
  return c.req.raw.signal.aborted && isConnectionGone(error);
}

/**
 * Throws BODY_INCOMPLETE when the body read is not the whole body: fewer bytes than the
 * declared Content-Length, or (over a socket) a message the HTTP parser never saw end. A body
 * read after its client went away may end quietly at what had arrived rather than fail — and
 * would then be judged as a short body (401 for its hash, 400 for its JSON) instead of as the
 * client's disconnect.
 */
export function assertBodyComplete(c: Context, bytes: Uint8Array): void {
  const declared = c.req.header('content-length');
  const short =
    declared !== undefined &&
    c.req.header('transfer-encoding') === undefined &&
    bytes.byteLength !== Number(declared);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (short || incoming?.complete === false) {
    throw new PlatformError('BODY_INCOMPLETE', 'the request body ended before it was whole');
  }
}
