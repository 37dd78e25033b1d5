/**
 * The platform layer's one error class. Codes are public API: services and tests branch on
 * `code` (and `field`), never on the message. Messages never contain secrets (a database URL
 * is reduced to its host and database name before it appears anywhere).
 */
import { CodedError } from '../crypto/errors.js';

/** Opening, locking and migrating a service database (docs/storage.md). */
export type DatabaseErrorCode =
  /** The database configuration is unusable (bad schema name, empty URL). */
  | 'DB_CONFIG_INVALID'
  /** A PGlite data directory is held by another live process (or by this one). */
  | 'DB_LOCKED'
  /** The PostgreSQL server could not be reached or refused the connection. */
  | 'DB_UNREACHABLE'
  /** The migrations folder has no drizzle-kit journal (meta/_journal.json). */
  | 'DB_MIGRATIONS_MISSING'
  /** A migration statement failed; nothing of that run was applied (one transaction). */
  | 'DB_MIGRATION_FAILED'
  /** A PGlite data directory that group or others may access (chmod 700 it). */
  | 'DATA_DIR_PERMISSIONS';

/** Files: secret files (key, share, KEK) and files named on the command line. */
export type FileErrorCode =
  /** A secret file that group or others may read (chmod 600 it). */
  | 'FILE_PERMISSIONS'
  | 'FILE_TOO_LARGE'
  /** A secret file that is missing or cannot be read. */
  | 'FILE_UNREADABLE'
  /** A new secret file would replace an existing one (never done). */
  | 'FILE_EXISTS'
  /** A new secret file could not be created or written. */
  | 'FILE_UNWRITABLE';

/**
 * The operator socket a service serves beside its locked PGlite data directory
 * (platform/operator-socket).
 */
export type OperatorSocketErrorCode =
  /** The service could not serve the socket: path too long for the system, a non-socket there. */
  | 'OPERATOR_SOCKET_UNAVAILABLE'
  /** Nothing answers on the socket (no file, or nobody listening): nothing was sent. */
  | 'OPERATOR_SOCKET_UNREACHABLE'
  /** The exchange failed after the request was sent: it may or may not have been carried out. */
  | 'OPERATOR_SOCKET_FAILED';

/** Service configuration from environment variables (platform/config). */
export type ConfigErrorCode = 'CONFIG_INVALID';

/** Requests as the HTTP shell receives them (platform/http). */
export type HttpErrorCode =
  /** The request body ended before it was whole: its client disconnected (a 499, not a 500). */
  'BODY_INCOMPLETE';

export type PlatformErrorCode =
  DatabaseErrorCode | ConfigErrorCode | FileErrorCode | OperatorSocketErrorCode | HttpErrorCode;

export class PlatformError<C extends PlatformErrorCode = PlatformErrorCode> extends CodedError<C> {}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}
