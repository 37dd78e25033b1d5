/**
 * The hub's operator socket (docs/hub.md, "Operator commands beside a running hub"). A PGlite
 * data directory is locked by the process that has it open, so while `spx hub serve` runs, the
 * operator's commands cannot open the database; instead the running hub serves its operator API
 * (operator.routes.ts) on a Unix socket in that directory, and a command that finds the
 * directory locked sends itself there.
 *
 * The socket is `spx-operator.sock` inside the data directory: the directory is private to the
 * hub's user (0700) and the socket 0600, so whoever may use it could open the database anyway
 * once the hub stops — the operator authority of the commands stays what it was
 * (platform/operator-socket/socket-server.ts). On PostgreSQL there is no data directory and no
 * socket: the commands open the server beside the running hub, as they always have.
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
import type { HubDatabase } from '../database.js';
import type { MailboxService } from '../mailbox/mailbox.service.js';
import { localOperations, type ComplianceDeps, type HubOperations } from './operations.js';
import { operatorClient } from './operator.client.js';
import { createOperatorApp } from './operator.routes.js';

export { OPERATOR_SOCKET_NAME, operatorSocketPath };

export interface OperatorSocketDeps {
  /** The data directory the hub holds locked. */
  readonly dataDir: string;
  readonly db: HubDatabase;
  /** Sends the corrections an expungement owes (signed with the running hub's key). */
  readonly mailbox: MailboxService;
  /** Signs compliance reports; the report's period length and credential source. */
  readonly compliance: ComplianceDeps;
  readonly now: () => Date;
  /** Where the operator API writes its request lines. */
  readonly sink: LogSink;
  readonly log: Logger;
}

/**
 * Serves the operator API on the data directory's socket. A hub that cannot (a data directory
 * path too long for a socket, something else at the socket's path) still serves its public
 * port: it logs `operator_socket_unavailable` with the reason, and the commands then report
 * the directory locked, saying that no hub answers on the socket.
 */
export async function startOperatorSocket(
  deps: OperatorSocketDeps,
): Promise<SocketServer | undefined> {
  const app = createOperatorApp({
    operations: localOperations(
      deps.db,
      deps.now,
      () => Promise.resolve(deps.mailbox),
      deps.compliance,
    ),
    log: deps.sink,
    now: deps.now,
  });
  return serveOperatorSocket(app, deps.dataDir, deps.log);
}

/**
 * Runs `work` through the operator socket of the hub that holds the data directory `locked`
 * names. When nothing answers there (no socket, nobody listening: nothing was sent), throws
 * DB_LOCKED again, saying so; every other failure propagates as it is.
 */
export function throughRunningHub<T>(
  locked: DatabaseLockedError,
  work: (operations: HubOperations) => Promise<T>,
): Promise<T> {
  return throughRunningService(locked, 'hub', operatorClient, work);
}
