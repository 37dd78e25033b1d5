/**
 * Serving a hono app over HTTP with @hono/node-server: the one way every service binds its port
 * and later closes it, with the limits that keep a slow or greedy client from holding the
 * service's sockets and memory (docs/api.md "Server limits"):
 *
 * - `headersTimeoutMs`: the request line and headers must arrive within this time of the first
 *   byte (a client that sends headers slowly, "slowloris", is answered 408 and cut off);
 * - `requestTimeoutMs`: the whole request, body included, must arrive within this time; a slow
 *   body is cut off the same way (Node's default would hold it for 300 s). It bounds receiving
 *   the request only: a handler that takes longer to answer is not cut off;
 * - `keepAliveTimeoutMs`: an idle kept-alive connection is closed after this time;
 * - `maxConnections`: connections beyond this many open ones are closed as soon as they are
 *   accepted, while the open ones are served as before.
 *
 * Node checks the two request timeouts on a timer (`connectionsCheckingInterval`, 30 s by
 * default, which would let a 10 s limit last up to 40 s): it is set to a quarter of the shorter
 * one, so a limit is enforced within 125 % of its value.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ServerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

/** The defaults every service's settings start from (docs/configuration.md). */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

export interface ListenOptions {
  /** Default: DEFAULT_SERVER_LIMITS. */
  readonly limits?: ServerLimits;
  /** Called for each connection closed because `maxConnections` were open. */
  readonly onConnectionDropped?: () => void;
  /** Serve HTTPS (node:https) with this PEM certificate chain and key; absent: plain HTTP. */
  readonly tls?: TlsFiles | undefined;
}

export interface TlsFiles {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
}

export interface ListeningServer {
  readonly server: Server;
  /** The address actually bound (port 0 picks a free one). */
  readonly address: AddressInfo;
}

/** Node refuses a headers timeout above the request timeout; so do the settings. */
function checkedLimits(limits: ServerLimits): ServerLimits {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = limits;
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`server limit ${name} must be a positive whole number`);
    }
  }
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new RangeError('the headers timeout must not exceed the request timeout');
  }
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections };
}

export async function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  host: string,
  port: number,
  options: ListenOptions = {},
): Promise<ListeningServer> {
  const limits = checkedLimits(options.limits ?? DEFAULT_SERVER_LIMITS);
  const checkEveryMs = Math.max(
    10,
    Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
  return await new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port,
        ...(options.tls ? { createServer: createHttpsServer } : {}),
        serverOptions: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          connectionsCheckingInterval: checkEveryMs,
          ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
        },
      },
      (address) => resolve({ server, address }),
    ) as Server;
    server.maxConnections = limits.maxConnections;
    if (options.onConnectionDropped) server.on('drop', options.onConnectionDropped);
    server.once('error', reject);
  });
}

/** Stops accepting connections and resolves once open requests have finished. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((e) => (e ? reject(e) : resolve()));
    // Idle keep-alive connections would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}
