/**
 * The security schemes the services' documents share: the request token of docs/protocol.md §7
 * (hub and keyholder), and a bearer token (the node's admin API).
 */
import type { SecuritySchemeDoc } from './document.js';

const TOKEN_FAILURES =
  'the request token is missing or fails verification (docs/protocol.md §7.7, §7.8): `AUTH_MISSING`, `AUTH_MALFORMED`, `AUTH_UNKNOWN_KEY`, `AUTH_BAD_SIGNATURE`, `AUTH_AUDIENCE_MISMATCH`, `AUTH_LIFETIME_TOO_LONG`, `AUTH_NOT_YET_VALID`, `AUTH_EXPIRED`, `AUTH_BINDING_MISMATCH`, `AUTH_REPLAYED`; with `WWW-Authenticate: SPX`';

/**
 * `Authorization: SPX <request token>`: a fresh Ed25519-signed JWT per request, by a key the
 * caller registered, bound to the method, path and query and the body's hash, accepted once.
 */
export function requestTokenScheme(
  caller: string,
  audience: string,
  forbidden: string,
): SecuritySchemeDoc {
  return {
    scheme: {
      type: 'http',
      scheme: 'SPX',
      description:
        `A request token (docs/protocol.md §7) in \`Authorization: SPX <token>\`: a JWT of type \`spx-req+jwt\` signed with ${caller}'s registered Ed25519 key, ` +
        `fresh for each request — \`iss\` the caller, \`aud\` ${audience}, \`htm\`/\`htp\`/\`bh\` binding it to the method, the path and query and the SHA-256 of the exact body bytes, \`jti\` accepted once, a lifetime of at most 5 minutes. ` +
        'The roles listed with an operation are those the caller needs in the registry.',
    },
    problems: { 401: TOKEN_FAILURES, 403: forbidden },
  };
}

export function bearerTokenScheme(description: string, unauthorized: string): SecuritySchemeDoc {
  return {
    scheme: { type: 'http', scheme: 'bearer', description },
    problems: { 401: unauthorized },
  };
}
