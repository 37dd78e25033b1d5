/**
 * A service's operator socket: an HTTP app served on a Unix domain socket inside the service's
 * PGlite data directory, so that operator commands reach the running service while it holds the
 * directory's lock (docs/hub.md, "Operator commands beside a running hub").
 *
 * Who may connect is who may open the socket file. The data directory is private to the
 * service's user (mode 0700, checked when it is locked: data-dir-lock.ts) and the socket itself
 * is 0600: so only that user, who could equally stop the service and open the database — the
 * authority the operator commands have always had. No token: there is no secret to leak.
 *
 * The socket is bound under a staging name, made 0600, then renamed into place, so it never
 * exists under its real name with the wider mode the umask gives at bind(2). A socket left by a
 * killed service is removed first: the caller holds the directory's lock, so no live service
 * can be using it. Anything else at that path (a file, a folder) is not ours and is refused.
 */
import type { Server } from 'node:http';
import { chmod, lstat, rename, unlink } from 'node:fs/promises';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer } from '../http/listen.js';
import { PlatformError } from '../errors.js';
import { assertSocketPath } from './socket-path.js';

export interface SocketServer {
  /** The socket's path, as given. */
  readonly path: string;
  /** Stops accepting, waits for open requests, removes the socket file. Idempotent. */
  close(): Promise<void>;
}

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Removes a socket file left behind; refuses anything that is not a socket. */
async function removeStaleSocket(file: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(file);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw e;
  }
  if (!stats.isSocket()) {
    throw new PlatformError(
      'OPERATOR_SOCKET_UNAVAILABLE',
      `${file} exists and is not a socket; remove it`,
      { field: 'path' },
    );
  }
  await unlink(file).catch((e: unknown) => {
    if (errnoOf(e) !== 'ENOENT') throw e;
  });
}

function listenOn(server: Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Serves `app` on the Unix socket `socketPath`, mode 0600. Throws PlatformError
 * OPERATOR_SOCKET_UNAVAILABLE when the path is too long for the system (or on Windows) or holds
 * something that is not a socket, and the listen error as it is for anything else.
 */
export async function serveOnSocket(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  socketPath: string,
): Promise<SocketServer> {
  const staging = `${socketPath}~`;
  // The staging name is the longer one: if it fits, both do.
  assertSocketPath('OPERATOR_SOCKET_UNAVAILABLE', staging);
  await removeStaleSocket(socketPath);
  await removeStaleSocket(staging);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await listenOn(server, staging);
  try {
    await chmod(staging, 0o600);
    await rename(staging, socketPath);
  } catch (e) {
    await closeServer(server).catch(() => undefined);
    throw e;
  }
  let closed: Promise<void> | undefined;
  return {
    path: socketPath,
    close() {
      closed ??= (async () => {
        // Node unlinks the name it bound (the staging one, renamed away); the real one is ours.
        await closeServer(server);
        await unlink(socketPath).catch((e: unknown) => {
          if (errnoOf(e) !== 'ENOENT') throw e;
        });
      })();
      return closed;
    },
  };
}
