/**
 * Serving a hono app over HTTP with @hono/node-server: the one way every service binds its port
 * and later closes it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ListeningServer {
  readonly server: Server;
  /** The address actually bound (port 0 picks a free one). */
  readonly address: AddressInfo;
}

export function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  host: string,
  port: number,
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (address) =>
      resolve({ server, address }),
    ) as Server;
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
