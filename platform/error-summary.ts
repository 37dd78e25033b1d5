/**
 * What a log line or a terminal may say about an unexpected error: its class name and, for a
 * database error, its SQLSTATE — never its message or stack. A failed query's message carries
 * the statement's parameters (drizzle's DrizzleQueryError: "Failed query: … params: …"), that
 * is, key secrets and people's identifiers; the name and SQLSTATE are enough to find the cause
 * with the operator's debugging switch (SPX_DEBUG=1 for the CLI).
 */
import { sqlErrorOf } from './db/sql-error.js';

/** A class name as JavaScript writes one; anything else is not echoed. */
const NAME_FORM = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/** `name`, or the class's name when `name` is left at `Error` (as DrizzleQueryError does). */
function nameOf(error: Error): string {
  const className: unknown = error.constructor?.name;
  const name = error.name === 'Error' && typeof className === 'string' ? className : error.name;
  return NAME_FORM.test(name) ? name : 'Error';
}

/** `<error name>[ <SQLSTATE>]`, e.g. `DrizzleQueryError 23505`, or `TypeError`. */
export function internalErrorSummary(error: unknown): string {
  const name =
    error instanceof Error ? nameOf(error) : `non-error ${error === null ? 'null' : typeof error}`;
  const sqlState = sqlErrorOf(error)?.code;
  return sqlState === undefined ? name : `${name} ${sqlState}`;
}
