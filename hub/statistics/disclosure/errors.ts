/**
 * The statistics module's one error class. Codes are public API: the hub and tests branch on
 * `code` (and `field`), never on the message. Every code here means the input is not what the
 * hub's intake guarantees, or an option is out of range: the statistics job stops rather than
 * publish a table computed from data it cannot account for.
 */
import { CodedError } from '../../../crypto/errors.js';

export type StatisticsErrorCode =
  /** An option is out of range (`field` names it: `minCell`, `dimensions`, `years`, `now`). */
  | 'STATISTICS_OPTION_INVALID'
  /** Two metadata rows carry the same statement id. */
  | 'STATISTICS_DUPLICATE_ID'
  /** A row's issuer is not in the registry given. */
  | 'STATISTICS_UNKNOWN_ISSUER'
  /** Two statements supersede the same statement: the chain has no single current statement. */
  | 'STATISTICS_SUPERSESSION_FORK'
  /** A statement supersedes one from another issuer (intake forbids it, §5.5.3). */
  | 'STATISTICS_SUPERSESSION_ISSUER'
  /** A row's field is malformed (e.g. outcomeDate is not YYYY-MM-DD). */
  | 'STATISTICS_RECORD_INVALID'
  /** A record falls outside the table's domain (e.g. its year is not among `years`). */
  | 'STATISTICS_OUTSIDE_DOMAIN'
  /** A table given to the auditor is malformed or its published values contradict each other. */
  | 'STATISTICS_TABLE_INVALID'
  /** Suppression did not converge; a defect, never expected (suppressing all is always safe). */
  | 'STATISTICS_SUPPRESSION_FAILED';

export class StatisticsError<
  C extends StatisticsErrorCode = StatisticsErrorCode,
> extends CodedError<C> {}

export function isStatisticsError(e: unknown): e is StatisticsError {
  return e instanceof StatisticsError;
}
