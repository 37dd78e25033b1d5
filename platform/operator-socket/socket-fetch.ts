/**
 * The client side of an operator socket (socket-server.ts): a `fetch` over a Unix domain socket,
 * so that a client written against `fetch` (and tested against an app's `request`) runs over it
 * unchanged. Node's global fetch cannot dial a socket file without undici's dispatcher, which
 * is not a dependency; node:http can.
 *
 * Failures are PlatformErrors that say whether the request reached the service:
 * OPERATOR_SOCKET_UNREACHABLE when connecting failed (no socket file, nobody listening: nothing
 * was sent, so nothing was done), OPERATOR_SOCKET_FAILED when the exchange broke after that (a
 * write may or may not have been carried out) or the answer exceeded `maxResponseBytes`.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { PlatformError } from '../errors.js';
import { assertSocketPath } from './socket-path.js';

/** Errors of connect(2) on a socket file: the request was never sent. */
const CONNECT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES', 'EPERM']);

/** Far above any operator answer (100,000 audit records are ~40 MB of JSON). */
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export interface SocketFetchOptions {
  readonly maxResponseBytes?: number;
}

export type SocketFetch = (request: Request) => Promise<Response>;

/** Marks the answer that outgrew maxResponseBytes. */
const TOO_LARGE = 'SPX_RESPONSE_TOO_LARGE';

function failure(socketPath: string, e: unknown): PlatformError {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === TOO_LARGE) {
    return new PlatformError('OPERATOR_SOCKET_FAILED', `the answer on ${socketPath} is too large`, {
      field: 'path',
      cause: e,
    });
  }
  if (typeof code === 'string' && CONNECT_ERRORS.has(code)) {
    const why =
      code === 'ENOENT'
        ? 'no socket there'
        : code === 'ECONNREFUSED'
          ? 'nothing listens on it'
          : `cannot connect (${code})`;
    return new PlatformError('OPERATOR_SOCKET_UNREACHABLE', `${socketPath}: ${why}`, {
      field: 'path',
      cause: e,
    });
  }
  return new PlatformError(
    'OPERATOR_SOCKET_FAILED',
    `the connection on ${socketPath} broke before the answer was complete; the command may or ` +
      'may not have been carried out',
    { field: 'path', cause: e },
  );
}

function readAll(response: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        response.destroy(Object.assign(new Error(`answer over ${max} bytes`), { code: TOO_LARGE }));
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    response.once('error', reject);
    // A connection closed mid-body emits 'aborted' then 'close' without 'end' in some versions.
    response.once('aborted', () => reject(new Error('aborted')));
  });
}

/** A fetch that sends every request to the HTTP server on `socketPath`, whatever its URL host. */
export function socketFetch(socketPath: string, options: SocketFetchOptions = {}): SocketFetch {
  const max = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return async (request) => {
    // A truncated path would connect to some other socket: refuse before dialing.
    assertSocketPath('OPERATOR_SOCKET_UNREACHABLE', socketPath);
    const url = new URL(request.url);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const { status, statusText, responseHeaders, bytes } = await new Promise<{
      status: number;
      statusText: string;
      responseHeaders: Headers;
      bytes: Uint8Array;
    }>((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers,
          // One request per connection: nothing pooled is left open behind a command.
          agent: false,
        },
        (response) => {
          readAll(response, max).then(
            (read) => {
              const h = new Headers();
              for (const [name, value] of Object.entries(response.headers)) {
                if (typeof value === 'string') h.set(name, value);
                else if (Array.isArray(value)) for (const v of value) h.append(name, v);
              }
              resolve({
                status: response.statusCode ?? 0,
                statusText: response.statusMessage ?? '',
                responseHeaders: h,
                bytes: read,
              });
            },
            (e: unknown) => reject(failure(socketPath, e)),
          );
        },
      );
      req.once('error', (e) => reject(failure(socketPath, e)));
      req.end(body);
    });
    return new Response(bytes.byteLength === 0 ? null : bytes, {
      status,
      statusText,
      headers: responseHeaders,
    });
  };
}
