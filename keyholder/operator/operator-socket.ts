/**
 * The keyholder's operator socket (docs/keyholder.md, "Operator commands beside a running
 * keyholder"), as the hub's (hub/operator/operator-socket.ts). A PGlite data directory is
 * locked by the process that has it open, so while `spx keyholder serve` runs, the operator's
 * commands cannot open the database; instead the running keyholder serves its operator API
 * (operator.api.ts) on `spx-operator.sock` in that directory, and a command that finds the
 * directory locked sends itself there.
 *
 * The directory is private to the keyholder's user (0700) and the socket 0600, so whoever may
 * use it could open the database anyway once the keyholder stops: the operator authority of the
 * commands stays what it was (platform/operator-socket/socket-server.ts). On PostgreSQL there is
 * no data directory and no socket: the commands open the server beside the running keyholder.
 */
import type { DatabaseLockedError } from '../../platform/db/data-dir-lock.js';
import type { Logger, LogSink } from '../../platform/logging/json-lines.js';
import {
  OPERATOR_SOCKET_NAME,
  operatorSocketPath,
  serveOperatorSocket,
  throughRunningService,
} from '../../platform/operator-socket/data-dir-socket.js';
import type { SocketServer } from '../../platform/operator-socket/socket-server.js';
import type { KeyholderDatabase } from '../key-repository.js';
import { createOperatorApp, operatorClient } from './operator.api.js';
import { localOperations, type KeyholderOperations } from './operations.js';

export { OPERATOR_SOCKET_NAME, operatorSocketPath };

export interface OperatorSocketDeps {
  /** The data directory the keyholder holds locked. */
  readonly dataDir: string;
  readonly db: KeyholderDatabase;
  /** The running keyholder's default daily allowance. */
  readonly dailyQuota: number;
  readonly rng: (n: number) => Uint8Array;
  readonly now: () => Date;
  /** Where the operator API writes its request lines. */
  readonly sink: LogSink;
  readonly log: Logger;
}

/**
 * Serves the operator API on the data directory's socket. A keyholder that cannot (a data
 * directory path too long for a socket, something else at the socket's path) still serves its
 * public port: it logs `operator_socket_unavailable` with the reason, and the commands then
 * report the directory locked, saying that no keyholder answers on the socket.
 */
export async function startOperatorSocket(
  deps: OperatorSocketDeps,
): Promise<SocketServer | undefined> {
  const app = createOperatorApp({
    operations: localOperations(deps.db, {
      now: deps.now,
      dailyQuota: deps.dailyQuota,
      rng: deps.rng,
    }),
    log: deps.sink,
    now: deps.now,
  });
  return serveOperatorSocket(app, deps.dataDir, deps.log);
}

/**
 * Runs `work` through the operator socket of the keyholder that holds the data directory
 * `locked` names. When nothing answers there (no socket, nobody listening: nothing was sent),
 * throws DB_LOCKED again, saying so; every other failure propagates as it is.
 */
export function throughRunningKeyholder<T>(
  locked: DatabaseLockedError,
  work: (operations: KeyholderOperations) => Promise<T>,
): Promise<T> {
  return throughRunningService(locked, 'keyholder', operatorClient, work);
}
