/**
 * The HTTP carrier of a request token (docs/protocol.md §7.5):
 *
 *   Authorization: SPX <token>
 *
 * A scheme of our own rather than "Bearer" (RFC 6750) or "DPoP" (RFC 9449): the
 * token is not a bearer credential (it is bound to one request and single-use)
 * and it is not a DPoP proof of an OAuth access token, so generic middleware for
 * either must not pick it up.
 */
import { fail, ok } from '../result.js';
import type { Failure, Result } from '../result.js';

export const AUTHORIZATION_SCHEME = 'SPX';

// RFC 9110 §11.4 credentials = auth-scheme 1*SP token68; a JWS is token68.
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([A-Za-z0-9._~+/-]+=*)$/;

export function formatAuthorization(token: string): string {
  return `${AUTHORIZATION_SCHEME} ${token}`;
}

/** The token on success. */
export type AuthorizationParse = Result<string, Failure<'AUTH_MISSING' | 'AUTH_MALFORMED'>>;

/**
 * Extracts the token from an Authorization field value. No value, or credentials
 * of another scheme, is AUTH_MISSING; the SPX scheme (case-insensitive, RFC 9110
 * §11.1) with anything but one token68 is AUTH_MALFORMED.
 */
export function parseAuthorization(value: string | null | undefined): AuthorizationParse {
  const trimmed = (value ?? '').replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '') return fail({ code: 'AUTH_MISSING' });
  const scheme = /^[^ \t]*/.exec(trimmed)![0];
  if (scheme.toUpperCase() !== AUTHORIZATION_SCHEME) return fail({ code: 'AUTH_MISSING' });
  const match = CREDENTIALS.exec(trimmed);
  if (match === null) return fail({ code: 'AUTH_MALFORMED' });
  return ok(match[2]!);
}
