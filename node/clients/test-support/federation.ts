/**
 * Test support: wiring fake services together in one process. Requests are routed by origin
 * to Hono apps through `app.request`, and the fakes authenticate callers with the real
 * crypto/request-auth verifier, so a test that passes proves the client's tokens verify.
 */
import type { Context, MiddlewareHandler } from 'hono';
import {
  MemoryReplayCache,
  parseAuthorization,
  verifyRequestToken,
} from '../../../crypto/request-auth/index.js';
import type { SigningKey } from '../../../crypto/signing/index.js';
import { problem, type ProblemCode } from '../../../protocol/problem.js';
import type { AgencyRole, RegistryEntry } from '../../../protocol/registry-entry.js';
import type { ClientDeps } from '../signed-client.js';
import { seededRng } from './deterministic.js';

/** What fakes expose: Hono's `app.request`, whatever the app's Env type. */
export interface RequestHandler {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** `fetch` that hands each request to the app registered for its origin; others fail. */
export function routedFetch(apps: Record<string, RequestHandler | undefined>): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const app = apps[url.origin];
    if (app === undefined) throw new TypeError(`fetch failed: connect ECONNREFUSED ${url.host}`);
    return app.request(url.href, init);
  }) as typeof fetch;
}

export function problemJson(c: Context, code: ProblemCode, detail: string): Response {
  const body = problem(code, detail);
  return c.body(JSON.stringify(body), body.status as 400, {
    'content-type': 'application/problem+json',
  });
}

export interface AuthEnv {
  Variables: { issuer: string; body: Uint8Array };
}

/**
 * Verifies `Authorization: SPX …` exactly as a service must (§7.7): the token's path is the
 * request's path and query, its body hash the bytes received. Puts the issuer and the body
 * bytes in the context. `seen` records each verified request (issuer, method, path).
 */
export function requireAgency(
  /** The service's audience, or all of them (read at every request: tests may add one). */
  audience: string | readonly string[],
  registry: () => readonly RegistryEntry[],
  now: () => Date,
  seen: { issuer: string; method: string; path: string }[] = [],
  role?: AgencyRole,
): MiddlewareHandler<AuthEnv> {
  const replayCache = new MemoryReplayCache();
  return async (c, next) => {
    const header = parseAuthorization(c.req.header('authorization'));
    if (!header.ok) return problemJson(c, header.error.code, 'no request token');
    const url = new URL(c.req.url);
    const body = new Uint8Array(await c.req.arrayBuffer());
    const result = await verifyRequestToken(header.value, {
      audience,
      method: c.req.method,
      path: url.pathname + url.search,
      body,
      now: now(),
      replayCache,
      resolveKey: (iss, kid) =>
        registry()
          .find((e) => e.ori === iss)
          ?.keys.find((k) => k.kid === kid && k.status === 'active')?.jwk,
    });
    if (!result.ok) return problemJson(c, result.error.code, 'request token refused');
    const entry = registry().find((e) => e.ori === result.value.issuer);
    if (entry?.status !== 'active') return problemJson(c, 'AGENCY_SUSPENDED', 'suspended');
    if (role !== undefined && !entry.roles.includes(role)) {
      return problemJson(c, 'ROLE_REQUIRED', `role ${role} required`);
    }
    seen.push({
      issuer: result.value.issuer,
      method: c.req.method,
      path: url.pathname + url.search,
    });
    c.set('issuer', result.value.issuer);
    c.set('body', body);
    await next();
  };
}

export interface TestAgency {
  readonly entry: RegistryEntry;
  readonly key: SigningKey;
}

/** A registry entry for `key` with a records contact; local agency in the ORI's state. */
export function agencyEntry(
  ori: string,
  name: string,
  key: SigningKey,
  roles: AgencyRole[] = ['reporter', 'checker'],
  jurisdiction: RegistryEntry['jurisdiction'] = 'local',
): RegistryEntry {
  return {
    ori,
    name,
    jurisdiction,
    state: jurisdiction === 'tribal' ? null : (ori.slice(0, 2) as RegistryEntry['state']),
    roles,
    keys: [{ kid: key.kid, status: 'active', jwk: key.publicJwk }],
    contact: {
      name: 'Records Unit',
      email: `records@${ori.toLowerCase()}.example.gov`,
      phone: '+12135550100',
    },
    status: 'active',
  };
}

let clients = 0;

/**
 * ClientDeps for `agency` over `fetch`, with the given clock and seeded randomness of its own
 * (two clients sharing a seed would send the same jti, which a service rightly refuses).
 */
export function clientDeps(
  agency: TestAgency,
  fetchImpl: typeof fetch,
  now: () => Date,
  extra: Partial<ClientDeps> = {},
): ClientDeps {
  return {
    identity: { ori: agency.entry.ori, key: agency.key },
    fetch: fetchImpl,
    now,
    rng: seededRng(`client:${agency.entry.ori}:${clients++}`),
    ...extra,
  };
}
