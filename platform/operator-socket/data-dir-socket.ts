/**
 * The operator socket of a service that holds a PGlite data directory (docs/hub.md "Operator
 * commands beside a running hub", docs/keyholder.md likewise): `spx-operator.sock` inside the
 * directory, served by the running service, and the fallback a command takes when it finds the
 * directory locked. The hub and the keyholder differ only in their operator API and client.
 */
import path from 'node:path';
import type { DatabaseLockedError } from '../db/data-dir-lock.js';
import { isPlatformError, PlatformError } from '../errors.js';
import type { Logger } from '../logging/json-lines.js';
import { socketFetch, type SocketFetch } from './socket-fetch.js';
import { serveOnSocket, type SocketServer } from './socket-server.js';

export const OPERATOR_SOCKET_NAME = 'spx-operator.sock';

/** The operator socket of the service whose PGlite data directory is `dataDir`. */
export function operatorSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), OPERATOR_SOCKET_NAME);
}

/**
 * Serves `app` on `dataDir`'s operator socket. A service that cannot (a data directory path too
 * long for a socket, something else at the socket's path) still serves its public port: it logs
 * `operator_socket_unavailable` with the reason and returns undefined, and the commands then
 * report the directory locked, saying that nothing answers on the socket.
 */
export async function serveOperatorSocket(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  dataDir: string,
  log: Logger,
): Promise<SocketServer | undefined> {
  const socket = operatorSocketPath(dataDir);
  try {
    const served = await serveOnSocket(app, socket);
    log('info', 'operator_socket_listening', { path: socket });
    return served;
  } catch (e) {
    const reason = isPlatformError(e)
      ? e.message
      : `${e instanceof Error ? e.name : 'error'} ${(e as { code?: unknown }).code ?? ''}`.trim();
    log('warn', 'operator_socket_unavailable', { path: socket, reason });
    return undefined;
  }
}

/**
 * Runs `work` on the operations `client` builds over the operator socket of the `service` (`hub`,
 * `keyholder`) that holds the data directory `locked` names. When nothing answers there (no
 * socket, nobody listening: nothing was sent), throws DB_LOCKED again, saying so; every other
 * failure propagates as it is.
 */
export async function throughRunningService<C, T>(
  locked: DatabaseLockedError,
  service: string,
  client: (fetch: SocketFetch) => C,
  work: (operations: C) => Promise<T>,
): Promise<T> {
  try {
    return await work(client(socketFetch(operatorSocketPath(locked.dataDir))));
  } catch (e) {
    if (!isPlatformError(e) || e.code !== 'OPERATOR_SOCKET_UNREACHABLE') throw e;
    throw new PlatformError(
      'DB_LOCKED',
      `${locked.message}, and no ${service} answers on its operator socket (${e.message}). If ` +
        `that process is \`spx ${service} serve\`, it is still starting or older than this ` +
        'command: try again, or stop it and run the command again',
      { field: 'dataDir', cause: e },
    );
  }
}
