/**
 * Authentication of a credentialing body's requests (docs/protocol.md §7, §5.16.3): the same
 * request tokens agencies send (`Authorization: SPX <token>`, `iss` the body's id), verified
 * against the body's active key at the hub, then the body's status. As agencyAuth
 * (platform/http/agency-auth.ts), the body is read only once the token head has passed.
 *
 * Refusals: the token's own codes (AUTH_*); BODY_REQUIRED when the token's issuer is not an
 * enrolled body (an agency trying to issue a credential, say); BODY_SUSPENDED for a suspended or
 * retired body, whose keys still resolve so that it learns why.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { parseAuthorization } from '../../crypto/request-auth/authorization-header.js';
import type { ReplayCache } from '../../crypto/request-auth/replay-cache.js';
import {
  completeRequestToken,
  verifyRequestTokenHead,
} from '../../crypto/request-auth/verify-request-token.js';
import { unauthorized } from '../../platform/http/agency-auth.js';
import { readRequestBody } from '../../platform/http/json-body.js';
import { protocolProblem } from '../../platform/http/problem-response.js';
import type { CredentialingBody } from '../../protocol/credentialing-body.js';

export interface BodyAuthOptions {
  readonly audience: string;
  readonly find: (id: string) => Promise<CredentialingBody | undefined>;
  readonly replayCache: ReplayCache;
  readonly now: () => Date;
}

const BODY = 'spx.credentialing-body';

export function authenticatedBody(c: Context): CredentialingBody {
  const body = c.get(BODY as never) as CredentialingBody | undefined;
  if (body === undefined) throw new Error('bodyAuth middleware is not installed on this route');
  return body;
}

export function bodyAuth(options: BodyAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const header = parseAuthorization(c.req.header('authorization'));
    if (!header.ok) return unauthorized(header.error.code, options.audience);
    const url = new URL(c.req.url);
    let claimed: string | undefined;
    let body: CredentialingBody | undefined;
    const head = await verifyRequestTokenHead(header.value, {
      audience: options.audience,
      method: c.req.method,
      path: url.pathname + url.search,
      now: options.now(),
      resolveKey: async (issuer, kid) => {
        claimed = issuer;
        body = await options.find(issuer);
        return body?.keys.find((k) => k.kid === kid && k.status === 'active')?.jwk;
      },
    });
    if (!head.ok) {
      if (head.error.code === 'AUTH_UNKNOWN_KEY' && claimed !== undefined && body === undefined) {
        return protocolProblem(
          'BODY_REQUIRED',
          `${claimed} is not an enrolled credentialing body; only the hub operator enrolls bodies`,
        );
      }
      return unauthorized(head.error.code, options.audience);
    }
    if (body === undefined) throw new Error('verified a request token without a body');
    const verified: CredentialingBody = body;
    if (verified.status !== 'active') {
      return protocolProblem(
        'BODY_SUSPENDED',
        `credentialing body ${verified.id} is ${verified.status}`,
      );
    }
    const result = await completeRequestToken(head.value, {
      body: await readRequestBody(c),
      replayCache: options.replayCache,
    });
    if (!result.ok) return unauthorized(result.error.code, options.audience);
    c.set(BODY as never, verified as never);
    await next();
  };
}
