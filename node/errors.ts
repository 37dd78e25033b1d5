/**
 * The agency node's one error class. Codes are public API: the node's HTTP shell maps them to
 * statuses, the CLI prints them, tests assert them (never messages). Add codes by extending
 * the union of your feature; keep each code's meaning fixed once released.
 *
 * Import problems are *reported*, not thrown: an import returns every problem of a file at
 * once as `ImportIssue`s carrying the codes below (docs/csv-formats.md). Identifier fields
 * report the crypto normalizers' own codes (NAME_DIGIT, SSN_INVALID_AREA, …), so one code
 * names one rule everywhere.
 */
import { CodedError, type NormalizationErrorCode } from '../crypto/errors.js';

/** Local store (node/store): constraint violations turned into domain errors. */
export type StoreErrorCode =
  /** Another officer already has this employee id. */
  | 'OFFICER_EXISTS'
  | 'OFFICER_UNKNOWN'
  /** The officer already has an outcome under this case number (local reference). */
  | 'OUTCOME_EXISTS'
  | 'OUTCOME_UNKNOWN'
  | 'ATTESTATION_EXISTS'
  | 'ATTESTATION_UNKNOWN'
  | 'CHECK_EXISTS'
  | 'CHECK_UNKNOWN'
  | 'OUTBOX_ITEM_UNKNOWN'
  /** A console user with this login exists (node/console). */
  | 'USER_EXISTS'
  | 'USER_UNKNOWN';

/** Problems with a CSV file as a whole (line = null) or with its header (line = 1). */
export type ImportFileErrorCode =
  | 'FILE_EMPTY'
  | 'FILE_NO_ROWS'
  | 'FILE_NOT_UTF8'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'ROW_TOO_LARGE'
  | 'CSV_MALFORMED'
  /** The first row names no column at all: a file exported without its header row. */
  | 'HEADER_MISSING'
  | 'COLUMN_MISSING'
  | 'COLUMN_UNKNOWN'
  | 'COLUMN_DUPLICATE';

/** Problems with one row of a CSV file; `field` names the column. */
export type ImportRowErrorCode =
  | 'ROW_FIELD_COUNT'
  | 'VALUE_REQUIRED'
  | 'EMPLOYEE_ID_FORMAT'
  | 'EMPLOYEE_ID_DUPLICATE'
  | 'SUFFIX_UNKNOWN'
  | 'FORMER_NAMES_FORMAT'
  | 'FORMER_NAMES_TOO_MANY'
  | 'DATE_FORMAT'
  | 'DATE_INVALID'
  | 'DATE_IN_FUTURE'
  | 'DATE_ORDER'
  | 'BOOLEAN_FORMAT'
  | 'CATEGORY_UNKNOWN'
  | 'STATUS_UNKNOWN'
  | 'NOTIFIED_REQUIRED'
  | 'USE_OF_FORCE_REQUIRED'
  | 'CASE_NUMBER_FORMAT'
  /** A case number containing the officer's last name, date of birth, SSN or licence number. */
  | 'REFERENCE_CONTAINS_IDENTIFIER'
  | 'OUTCOME_DUPLICATE'
  | 'OFFICER_UNKNOWN'
  | 'STATUS_TRANSITION';

/** Every code an import can report. */
export type ImportIssueCode = ImportFileErrorCode | ImportRowErrorCode | NormalizationErrorCode;

/** The node as a running service: its key file, configuration files and admin API. */
export type ServiceErrorCode =
  | 'KEY_FILE_INVALID'
  | 'KEY_FILE_EXISTS'
  | 'KEY_FILE_UNREADABLE'
  | 'KEY_FILE_PERMISSIONS'
  /** SPX_NODE_POLICY_FILE, SPX_NODE_KEYHOLDER_KEYSET or SPX_NODE_HUB_KEYS cannot be read or is invalid. */
  | 'CONFIG_FILE_INVALID'
  /** The hub's registry does not list this node's agency (its retention rule is unknown). */
  | 'AGENCY_NOT_REGISTERED';

export type NodeErrorCode = StoreErrorCode | ServiceErrorCode;

export class NodeError<C extends NodeErrorCode = NodeErrorCode> extends CodedError<C> {}

export function isNodeError(e: unknown): e is NodeError {
  return e instanceof NodeError;
}
