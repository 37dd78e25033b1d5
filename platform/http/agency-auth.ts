/**
 * Agency authentication for the hub's and the keyholder's HTTP APIs (docs/protocol.md §7):
 * `Authorization: SPX <request token>`, verified against the agency's registered key, then the
 * agency's status and role. Install after the body limit, before the handler:
 *
 *   app.post('/v1/attestations', jsonBodyLimit(n), agencyAuth(opts, 'reporter'), handler)
 *
 * The body is read only once everything that needs no body has passed — the token's form,
 * key, signature, audience, lifetime, method and path, the agency's status and role, and the
 * service's own `admit` — so that an unauthenticated client cannot make the service read (and
 * hold) a body of up to the route's limit. Then the body hash and single use are checked.
 *
 * The handler reads the authenticated agency with `authenticatedAgency(c)`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { parseAuthorization } from '../../crypto/request-auth/authorization-header.js';
import type { RequestAuthErrorCode } from '../../crypto/errors.js';
import type { ReplayCache, ReplayEntry } from '../../crypto/request-auth/replay-cache.js';
import {
  completeRequestToken,
  verifyRequestTokenHead,
} from '../../crypto/request-auth/verify-request-token.js';
import type { AgencyRole, RegistryEntry } from '../../protocol/registry-entry.js';
import { readRequestBody } from './json-body.js';
import { protocolProblem } from './problem-response.js';

/** Where the service learns agencies and their keys: its own table (hub) or the hub (keyholder). */
export interface AgencyDirectory {
  find(ori: string): Promise<RegistryEntry | undefined>;
}

export interface AgencyAuthOptions {
  /**
   * This service's audience (`spx-hub`), or every one it answers to (a keyholder: the
   * audiences of its base URLs, docs/protocol.md §7.2.1).
   */
  readonly audience: string | readonly string[];
  readonly directory: AgencyDirectory;
  readonly replayCache: ReplayCache;
  readonly now: () => Date;
  /**
   * The service's own refusal of a signer whose token verified (the keyholder's admissions),
   * before the body is read: a Response refuses the request, undefined lets it through.
   */
  readonly admit?: (agency: AuthenticatedAgency) => Promise<Response | undefined>;
  /**
   * Leave single use (§7.7 step 9) to the handler, which must claim the token's jti in its own
   * statement (`deferredReplay(c)`, platform/db/request-replay.ts `replayClaim`) before it acts:
   * the hub's check does so in the one statement that answers it. Everything else is verified
   * here as usual.
   */
  readonly deferReplay?: boolean;
}

export interface AuthenticatedAgency {
  readonly ori: string;
  readonly kid: string;
  /** The audience the request token was addressed to (one of `options.audience`). */
  readonly audience: string;
  readonly entry: RegistryEntry;
}

const AGENCY = 'spx.agency';
const DEFERRED_REPLAY = 'spx.deferred-replay';

/**
 * The replay entry a `deferReplay` route must claim before acting on the request. Throws when
 * there is none, so that a route cannot skip single use by mistake.
 */
export function deferredReplay(c: Context): ReplayEntry {
  const entry = c.get(DEFERRED_REPLAY as never) as ReplayEntry | undefined;
  if (entry === undefined) throw new Error('agencyAuth did not defer the replay check here');
  return entry;
}

export function authenticatedAgency(c: Context): AuthenticatedAgency {
  const agency = c.get(AGENCY as never) as AuthenticatedAgency | undefined;
  if (agency === undefined) throw new Error('agencyAuth middleware is not installed on this route');
  return agency;
}

/**
 * Checks in order: token present and well-formed, signature by an ACTIVE key registered for the
 * issuer, audience, lifetime, binding to method and path (crypto/request-auth, first stage);
 * the agency is active (403 AGENCY_SUSPENDED) and holds one of `roles` (403 ROLE_REQUIRED);
 * `admit`; then, with the body read, its binding and replay (second stage).
 * A suspended agency's keys still resolve, so that it learns it is suspended rather than
 * being told its key is unknown.
 */
export function agencyAuth(
  options: AgencyAuthOptions,
  ...roles: readonly AgencyRole[]
): MiddlewareHandler {
  return async (c, next) => {
    const header = parseAuthorization(c.req.header('authorization'));
    if (!header.ok) return unauthorized(header.error.code, options.audience);
    const url = new URL(c.req.url);
    let entry: RegistryEntry | undefined;
    const head = await verifyRequestTokenHead(header.value, {
      audience: options.audience,
      method: c.req.method,
      path: url.pathname + url.search,
      now: options.now(),
      resolveKey: async (issuer, kid) => {
        entry = await options.directory.find(issuer);
        const key = entry?.keys.find((k) => k.kid === kid && k.status === 'active');
        return key?.jwk;
      },
    });
    if (!head.ok) return unauthorized(head.error.code, options.audience);
    if (entry === undefined) throw new Error('verified a request token without a registry entry');
    if (entry.status !== 'active') {
      return protocolProblem('AGENCY_SUSPENDED', `agency ${entry.ori} is suspended`);
    }
    if (roles.length > 0 && !roles.some((r) => entry!.roles.includes(r))) {
      return protocolProblem(
        'ROLE_REQUIRED',
        `this operation needs the role ${roles.join(' or ')}; agency ${entry.ori} has ${entry.roles.join(', ')}`,
      );
    }
    const agency: AuthenticatedAgency = {
      ori: head.value.issuer,
      kid: head.value.kid,
      audience: head.value.audience,
      entry,
    };
    const refused = await options.admit?.(agency);
    if (refused !== undefined) return refused;
    let deferred: ReplayEntry | undefined;
    const result = await completeRequestToken(head.value, {
      body: await readRequestBody(c),
      replayCache: options.deferReplay
        ? {
            checkAndRemember: (entry) => {
              deferred = entry;
              return true;
            },
          }
        : options.replayCache,
    });
    if (!result.ok) return unauthorized(result.error.code, options.audience);
    if (deferred !== undefined) c.set(DEFERRED_REPLAY as never, deferred as never);
    c.set(AGENCY as never, agency as never);
    await next();
  };
}

/** 401 with the challenge RFC 9110 §11.6.1 requires (docs/protocol.md §7.5). */
export function unauthorized(
  code: RequestAuthErrorCode,
  audience: string | readonly string[],
): Response {
  const response = protocolProblem(code, authDetail(code, audience));
  response.headers.set('WWW-Authenticate', 'SPX');
  return response;
}

function authDetail(code: string, audience: string | readonly string[]): string {
  switch (code) {
    // Reported only for a token its issuer really signed (§7.7 step 4 follows the signature),
    // so naming this service's own public identifiers tells a misconfigured caller the fix.
    case 'AUTH_AUDIENCE_MISMATCH':
      return `the token is addressed to another service; this one is addressed as ${[audience].flat().join(' or ')}`;
    case 'AUTH_MISSING':
      return 'send Authorization: SPX <request token> (docs/protocol.md §7.5)';
    case 'AUTH_UNKNOWN_KEY':
      return 'the token is not signed by an active key registered for its issuer';
    case 'AUTH_REPLAYED':
      return 'this request token was already used; sign a fresh token for every request';
    case 'AUTH_BINDING_MISMATCH':
      return 'the token is bound to another method, path or body';
    default:
      return `request authentication failed (${code})`;
  }
}
