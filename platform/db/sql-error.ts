/**
 * Driver-neutral access to a PostgreSQL error's SQLSTATE, so a repository can turn a constraint
 * violation into a domain error once for both drivers. drizzle wraps driver errors in
 * DrizzleQueryError (`cause`); postgres.js names the constraint `constraint_name`, PGlite
 * `constraint`.
 */

/** SQLSTATE codes repositories branch on (PostgreSQL manual, Appendix A). */
export const SQLSTATE = {
  NOT_NULL_VIOLATION: '23502',
  FOREIGN_KEY_VIOLATION: '23503',
  UNIQUE_VIOLATION: '23505',
  CHECK_VIOLATION: '23514',
  SERIALIZATION_FAILURE: '40001',
} as const;

export interface SqlErrorInfo {
  /** The five-character SQLSTATE. */
  readonly code: string;
  readonly constraint: string | undefined;
}

const SQLSTATE_FORM = /^[0-9A-Z]{5}$/;

/** The PostgreSQL error inside `e` (following `cause` links), or undefined if there is none. */
export function sqlErrorOf(e: unknown): SqlErrorInfo | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const {
      code,
      constraint,
      constraint_name: constraintName,
      cause,
    } = current as Record<string, unknown>;
    if (typeof code === 'string' && SQLSTATE_FORM.test(code)) {
      const name = typeof constraint === 'string' ? constraint : constraintName;
      return { code, constraint: typeof name === 'string' ? name : undefined };
    }
    current = cause;
  }
  return undefined;
}

/** Whether `e` is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const info = sqlErrorOf(e);
  return (
    info?.code === SQLSTATE.UNIQUE_VIOLATION &&
    (constraint === undefined || info.constraint === constraint)
  );
}
