import { Hono } from 'hono';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAuthorization } from '../../crypto/request-auth/authorization-header.js';
import { createRequestToken } from '../../crypto/request-auth/request-token.js';
import { signingKeyFromSeed, type SigningKey } from '../../crypto/signing/keys.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import type { DatabaseHandle } from '../db/database.js';
import { DatabaseReplayCache, type requestReplay } from '../db/request-replay.js';
import { openTestDatabase } from '../db/test-db.js';
import { agencyAuth, authenticatedAgency, type AgencyDirectory } from './agency-auth.js';
import { problemErrorHandler } from './error-handler.js';
import { jsonBodyLimit } from './json-body.js';
import { protocolProblem } from './problem-response.js';

const MIGRATIONS = fileURLToPath(new URL('../db/fixtures/replay/migrations', import.meta.url));
const NOW = new Date('2026-05-01T12:00:00Z');
const seed = (b: number) => new Uint8Array(32).fill(b);
let counter = 0;
const rng = (n: number) => new Uint8Array(n).fill(++counter % 256);

let handle: DatabaseHandle<{ requestReplay: typeof requestReplay }>;
let reporterKey: SigningKey;
let otherKey: SigningKey;
const entries = new Map<string, RegistryEntry>();
const directory: AgencyDirectory = { find: async (ori) => entries.get(ori) };

function entry(ori: string, key: SigningKey, patch: Partial<RegistryEntry> = {}): RegistryEntry {
  return {
    ori,
    name: `Agency ${ori}`,
    jurisdiction: 'local',
    state: ori.slice(0, 2) as RegistryEntry['state'],
    roles: ['reporter'],
    keys: [{ kid: key.kid, status: 'active', jwk: key.publicJwk }],
    contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
    status: 'active',
    ...patch,
  } as RegistryEntry;
}

function app(admit?: Parameters<typeof agencyAuth>[0]['admit']) {
  const opts = {
    audience: 'spx-hub',
    directory,
    replayCache: new DatabaseReplayCache(handle.db),
    now: () => NOW,
    ...(admit ? { admit } : {}),
  };
  const a = new Hono();
  a.onError(problemErrorHandler());
  a.post('/v1/things', jsonBodyLimit(9 * 1024 * 1024), agencyAuth(opts, 'reporter'), async (c) => {
    const agency = authenticatedAgency(c);
    return c.json({ ori: agency.ori, body: await c.req.json() });
  });
  return a;
}

/** A chunked body of `chunks` × 64 KiB that counts the bytes the server pulled from it. */
function countingBody(chunks: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === chunks) return controller.close();
        sent++;
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

async function postStream(
  a: Hono,
  stream: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
): Promise<Response> {
  return a.request('/v1/things', {
    method: 'POST',
    body: stream,
    headers,
    duplex: 'half',
  } as RequestInit);
}

async function signed(key: SigningKey, issuer: string, body: string, path = '/v1/things') {
  const token = await createRequestToken({
    key,
    issuer,
    audience: 'spx-hub',
    method: 'POST',
    path,
    body: new TextEncoder().encode(body),
    now: NOW,
    rng,
  });
  return { authorization: formatAuthorization(token), 'content-type': 'application/json' };
}

beforeAll(async () => {
  handle = await openTestDatabase(MIGRATIONS);
  reporterKey = await signingKeyFromSeed(seed(1));
  otherKey = await signingKeyFromSeed(seed(2));
  entries.set('CA0194200', entry('CA0194200', reporterKey));
  entries.set('TX0000001', entry('TX0000001', otherKey, { roles: ['checker'] }));
  entries.set('NY0000001', entry('NY0000001', otherKey, { status: 'suspended' }));
});
afterAll(() => handle.close());

describe('agencyAuth', () => {
  it('lets a signed request from an active reporter through and names the agency', async () => {
    const body = '{"a":1}';
    const res = await app().request('/v1/things', {
      method: 'POST',
      body,
      headers: await signed(reporterKey, 'CA0194200', body),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ori: 'CA0194200', body: { a: 1 } });
  });

  it('refuses a missing header with 401 AUTH_MISSING as problem+json', async () => {
    const res = await app().request('/v1/things', { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('SPX');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_MISSING');
  });

  it('refuses the same token twice, also across app instances sharing the database', async () => {
    const body = '{"b":2}';
    const headers = await signed(reporterKey, 'CA0194200', body);
    expect((await app().request('/v1/things', { method: 'POST', body, headers })).status).toBe(200);
    const again = await app().request('/v1/things', { method: 'POST', body, headers });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { code: string }).code).toBe('AUTH_REPLAYED');
  });

  it('refuses a token bound to another body', async () => {
    const headers = await signed(reporterKey, 'CA0194200', '{"c":3}');
    const res = await app().request('/v1/things', { method: 'POST', body: '{"c":4}', headers });
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_BINDING_MISMATCH');
  });

  it('refuses a key registered to another agency', async () => {
    const body = '{}';
    const res = await app().request('/v1/things', {
      method: 'POST',
      body,
      headers: await signed(otherKey, 'CA0194200', body),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_UNKNOWN_KEY');
  });

  it('refuses an agency without the role and a suspended agency with 403', async () => {
    const body = '{}';
    const checker = await app().request('/v1/things', {
      method: 'POST',
      body,
      headers: await signed(otherKey, 'TX0000001', body),
    });
    expect(checker.status).toBe(403);
    expect(((await checker.json()) as { code: string }).code).toBe('ROLE_REQUIRED');
    const suspended = await app().request('/v1/things', {
      method: 'POST',
      body,
      headers: await signed(otherKey, 'NY0000001', body),
    });
    expect(suspended.status).toBe(403);
    expect(((await suspended.json()) as { code: string }).code).toBe('AGENCY_SUSPENDED');
  });
});

describe('agencyAuth with several audiences (a keyholder at several base URLs)', () => {
  const KH = ['https://kh1.spx.example', 'https://kh1.internal.example'];
  function keyholderApp() {
    const a = new Hono();
    a.post(
      '/v1/things',
      agencyAuth({
        audience: KH,
        directory,
        replayCache: new DatabaseReplayCache(handle.db),
        now: () => NOW,
      }),
      (c) => c.json({ audience: authenticatedAgency(c).audience }),
    );
    return a;
  }
  const tokenFor = async (audience: string, body: string) => ({
    authorization: formatAuthorization(
      await createRequestToken({
        key: reporterKey,
        issuer: 'CA0194200',
        audience,
        method: 'POST',
        path: '/v1/things',
        body: new TextEncoder().encode(body),
        now: NOW,
        rng,
      }),
    ),
  });

  it('accepts a token addressed to any of them and says which', async () => {
    const body = '{"kh":1}';
    const res = await keyholderApp().request('/v1/things', {
      method: 'POST',
      body,
      headers: await tokenFor(KH[1]!, body),
    });
    expect(await res.json()).toEqual({ audience: KH[1] });
  });

  it('refuses a token for another service, naming the audiences it answers to', async () => {
    const body = '{"kh":2}';
    const res = await keyholderApp().request('/v1/things', {
      method: 'POST',
      body,
      headers: await tokenFor('https://kh2.spx.example', body),
    });
    expect(res.status).toBe(401);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('AUTH_AUDIENCE_MISMATCH');
    expect(problem.detail).toContain('https://kh1.spx.example or https://kh1.internal.example');
  });
});

describe('agencyAuth reads the body only for a verified signer', () => {
  // 144 × 64 KiB = 9 MiB: the hub's largest intake body.
  const NINE_MIB = 144;
  const forged = async () => {
    const headers = await signed(reporterKey, 'CA0194200', 'another body');
    // The same claims signed by a key that is not the agency's.
    const other = await signed(otherKey, 'CA0194200', 'another body');
    return { ...headers, authorization: other.authorization };
  };

  it.each([
    ['no token', async () => ({ 'content-type': 'application/json' }), 401, 'AUTH_MISSING'],
    ['a token signed by a key not registered to its issuer', forged, 401, 'AUTH_UNKNOWN_KEY'],
    [
      'a suspended agency',
      () => signed(otherKey, 'NY0000001', 'another body'),
      403,
      'AGENCY_SUSPENDED',
    ],
    ['an agency without the role', () => signed(otherKey, 'TX0000001', 'x'), 403, 'ROLE_REQUIRED'],
  ])('refuses %s without reading a 9 MiB body', async (_, headers, status, code) => {
    const body = countingBody(NINE_MIB);
    const res = await postStream(app(), body.stream, await headers());
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([status, code]);
    expect(body.pulled()).toBe(0);
  });

  it("runs the service's admit before reading the body, with the verified agency", async () => {
    const seen: string[] = [];
    const refusing = app(async (agency) => {
      seen.push(`${agency.ori} ${agency.kid}`);
      return protocolProblem('AGENCY_NOT_ADMITTED', 'not admitted here');
    });
    const body = countingBody(NINE_MIB);
    const res = await postStream(
      refusing,
      body.stream,
      await signed(reporterKey, 'CA0194200', 'x'),
    );
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
      403,
      'AGENCY_NOT_ADMITTED',
    ]);
    expect(seen).toEqual([`CA0194200 ${reporterKey.kid}`]);
    expect(body.pulled()).toBe(0);
  });

  it('reads the body of a verified signer, then checks the token binds it', async () => {
    const body = countingBody(2);
    const res = await postStream(app(), body.stream, await signed(reporterKey, 'CA0194200', 'x'));
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_BINDING_MISMATCH');
    expect(body.pulled()).toBe(2 * 64 * 1024);
  });
});

describe('DatabaseReplayCache', () => {
  it('accepts a jti once, and again only after its entry expired', async () => {
    const cache = new DatabaseReplayCache(handle.db);
    const e = { issuer: 'CA0194200', jti: 'abc', expiresAt: 1000, now: 900 };
    expect(await cache.checkAndRemember(e)).toBe(true);
    expect(await cache.checkAndRemember(e)).toBe(false);
    expect(await cache.checkAndRemember({ ...e, now: 1001, expiresAt: 2000 })).toBe(true);
    expect(await cache.checkAndRemember({ ...e, now: 1002, expiresAt: 2000 })).toBe(false);
  });

  it('keeps issuers apart', async () => {
    const cache = new DatabaseReplayCache(handle.db);
    expect(await cache.checkAndRemember({ issuer: 'A', jti: 'x', expiresAt: 10, now: 1 })).toBe(
      true,
    );
    expect(await cache.checkAndRemember({ issuer: 'B', jti: 'x', expiresAt: 10, now: 1 })).toBe(
      true,
    );
  });
});
