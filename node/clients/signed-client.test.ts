import { Hono, type Context } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSignedClient, type ClientDeps, type ServiceEndpoint } from './signed-client.js';
import { ClientError } from './client-error.js';
import { seededRng, settableClock, signingKeyFor } from './test-support/deterministic.js';
import {
  agencyEntry,
  problemJson,
  requireAgency,
  routedFetch,
  type AuthEnv,
  type TestAgency,
} from './test-support/federation.js';

const ORIGIN = 'http://hub.test';
const EchoSchema = z.strictObject({ issuer: z.string(), path: z.string(), size: z.int() });
const BodySchema = z.strictObject({ note: z.string().max(20) });

let agency: TestAgency;
const clock = settableClock('2025-03-01T12:00:00Z');

beforeAll(async () => {
  const key = await signingKeyFor('signed-client');
  agency = { key, entry: agencyEntry('CA0194200', 'Example City Police Department', key) };
});

/** A service whose routes verify the token with crypto/request-auth and echo what they saw. */
function service(audience = 'spx-hub') {
  const seen: { issuer: string; method: string; path: string }[] = [];
  const app = new Hono<AuthEnv>();
  const auth = requireAgency(audience, () => [agency.entry], clock.now, seen);
  const echo = (c: Context<AuthEnv>) => {
    const url = new URL(c.req.url);
    return c.json({
      issuer: c.get('issuer'),
      path: url.pathname + url.search,
      size: c.get('body').length,
    });
  };
  app.get('/v1/echo', auth, echo);
  app.post('/v1/echo', auth, echo);
  return { app, seen };
}

function deps(fetchImpl: typeof fetch, extra: Partial<ClientDeps> = {}): ClientDeps {
  return {
    identity: { ori: agency.entry.ori, key: agency.key },
    fetch: fetchImpl,
    now: clock.now,
    rng: seededRng('signed-client-test'),
    ...extra,
  };
}

const hub: ServiceEndpoint = { service: 'hub', baseUrl: ORIGIN, audience: 'spx-hub' };

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClientError);
  return e as ClientError;
}

describe('request authentication', () => {
  it('signs every request with a token the service verifies, bound to its path and query', async () => {
    const { app, seen } = service();
    const client = createSignedClient(hub, deps(routedFetch({ [ORIGIN]: app })));
    const got = await client.get('/v1/echo?since=2025-01-01&n=3', EchoSchema);
    expect(got).toEqual({ issuer: 'CA0194200', path: '/v1/echo?since=2025-01-01&n=3', size: 0 });
    expect(seen).toEqual([
      { issuer: 'CA0194200', method: 'GET', path: '/v1/echo?since=2025-01-01&n=3' },
    ]);
  });

  it('binds the token to the exact body bytes sent', async () => {
    const { app } = service();
    const client = createSignedClient(hub, deps(routedFetch({ [ORIGIN]: app })));
    const got = await client.post('/v1/echo', BodySchema, { note: 'hello' }, EchoSchema);
    expect(got.size).toBe(JSON.stringify({ note: 'hello' }).length);

    // A body changed on the way no longer matches the signed hash.
    const tampering: typeof fetch = async (input, init) =>
      app.request(String(input), { ...init, body: '{"note":"HELLO"}' });
    const bad = createSignedClient(hub, deps(tampering));
    const e = await failure(bad.post('/v1/echo', BodySchema, { note: 'hello' }, EchoSchema));
    expect([e.code, e.status, e.retryable]).toEqual(['AUTH_BINDING_MISMATCH', 401, false]);
  });

  it('keeps a base path prefix in the signed request target', async () => {
    const { app, seen } = service();
    const gateway = new Hono().route('/spx', app);
    const client = createSignedClient(
      { ...hub, baseUrl: `${ORIGIN}/spx` },
      deps(routedFetch({ [ORIGIN]: gateway })),
    );
    await client.get('/v1/echo', EchoSchema);
    expect(seen[0]?.path).toBe('/spx/v1/echo');
  });

  it('gives every request a fresh jti, so repeating a request is not a replay', async () => {
    const { app, seen } = service();
    const client = createSignedClient(hub, deps(routedFetch({ [ORIGIN]: app })));
    for (let i = 0; i < 3; i++) await client.get('/v1/echo', EchoSchema);
    expect(seen).toHaveLength(3);
  });

  it('names the service it calls in aud, so a token for another service is refused', async () => {
    const { app } = service('spx-keyholder');
    const client = createSignedClient(hub, deps(routedFetch({ [ORIGIN]: app })));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect(e.code).toBe('AUTH_AUDIENCE_MISMATCH');
  });
});

/** A service that answers every request with `respond`. */
function answering(respond: (c: Context) => Response | Promise<Response>) {
  const app = new Hono();
  app.all('*', respond);
  return createSignedClient(hub, deps(routedFetch({ [ORIGIN]: app })));
}

describe('errors', () => {
  it('turns a problem body into its code, status and field errors, final for a 4xx', async () => {
    const client = answering((c) =>
      c.body(
        JSON.stringify({
          type: 'tag:safe-policing-exchange,2025:problem:VALIDATION_FAILED',
          title: 'Validation failed',
          status: 400,
          detail: 'message failed validation',
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'keys[2].index', code: 'invalid_encoding', message: 'bad' }],
          extension: 'ignored',
        }),
        400,
        { 'content-type': 'application/problem+json' },
      ),
    );
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.status).toBe(400);
    expect(e.field).toBe('keys[2].index');
    expect(e.errors[0]?.code).toBe('invalid_encoding');
    expect(e.retryable).toBe(false);
    expect(e.service).toBe('hub');
  });

  it('marks 503 retryable and honours Retry-After in seconds', async () => {
    const client = answering((c) => {
      c.header('retry-after', '7');
      return problemJson(c, 'UNAVAILABLE', 'maintenance');
    });
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.status, e.retryable, e.retryAfterSeconds]).toEqual([
      'UNAVAILABLE',
      503,
      true,
      7,
    ]);
  });

  it('marks 429 retryable and reads an HTTP-date Retry-After against the injected clock', async () => {
    const client = answering((c) =>
      c.body(
        JSON.stringify({
          type: 'tag:safe-policing-exchange,2025:problem:QUOTA_EXCEEDED',
          title: 'Too Many Requests',
          status: 429,
          detail: 'daily quota used',
          code: 'QUOTA_EXCEEDED',
        }),
        429,
        {
          'content-type': 'application/problem+json',
          'retry-after': 'Sat, 01 Mar 2025 13:00:00 GMT',
        },
      ),
    );
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.retryable, e.retryAfterSeconds]).toEqual(['QUOTA_EXCEEDED', true, 3600]);
  });

  it('reports an error page that is not a problem as HTTP_ERROR, retryable for a 502', async () => {
    const client = answering((c) => c.html('<h1>Bad Gateway</h1>', 502));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.status, e.retryable]).toEqual(['HTTP_ERROR', 502, true]);
  });

  it('does not follow redirects, and treats one as final', async () => {
    const client = answering((c) => c.redirect('http://elsewhere.test/v1/echo', 302));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.status, e.retryable]).toEqual(['HTTP_ERROR', 302, false]);
  });

  it('reports a refused connection as a retryable NETWORK_ERROR', async () => {
    const client = createSignedClient(hub, deps(routedFetch({})));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.status, e.retryable]).toEqual(['NETWORK_ERROR', undefined, true]);
  });

  it('gives up after the timeout even when fetch ignores the abort signal', async () => {
    const hanging = (() => new Promise<Response>(() => {})) as typeof fetch;
    const client = createSignedClient(hub, deps(hanging, { timeoutMs: 25 }));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.retryable]).toEqual(['TIMEOUT', true]);
  });

  it('times out a response whose body never ends', async () => {
    const stalled = (async () =>
      new Response(new ReadableStream({ start: (ctl) => ctl.enqueue(new Uint8Array([123])) }), {
        status: 200,
      })) as typeof fetch;
    const client = createSignedClient(hub, deps(stalled, { timeoutMs: 25 }));
    expect((await failure(client.get('/v1/echo', EchoSchema))).code).toBe('TIMEOUT');
  });

  it('refuses a success body that is not the expected message, with field errors', async () => {
    const client = answering((c) => c.json({ issuer: 'CA0194200', path: '/', size: 'big' }));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.status, e.retryable, e.field]).toEqual([
      'RESPONSE_INVALID',
      200,
      false,
      'size',
    ]);
    const notJson = answering((c) => c.text('ok'));
    expect((await failure(notJson.get('/v1/echo', EchoSchema))).code).toBe('RESPONSE_INVALID');
  });

  it('stops reading a response larger than the limit', async () => {
    const client = answering((c) => c.json({ issuer: 'x'.repeat(5000), path: '/', size: 1 }));
    const e = await failure(client.get('/v1/echo', EchoSchema, { maxResponseBytes: 1024 }));
    expect(e.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('never sends a message that fails its own schema', async () => {
    let calls = 0;
    const counting = (async () => {
      calls++;
      return new Response('{}');
    }) as typeof fetch;
    const client = createSignedClient(hub, deps(counting));
    const e = await failure(
      client.post('/v1/echo', BodySchema, { note: 'x'.repeat(21) }, EchoSchema),
    );
    expect([e.code, e.field, calls]).toEqual(['REQUEST_INVALID', 'note', 0]);
  });

  it('reports a configuration that cannot make a valid token as REQUEST_INVALID', async () => {
    const client = createSignedClient(hub, deps(routedFetch({}), { tokenLifetimeSeconds: 600 }));
    const e = await failure(client.get('/v1/echo', EchoSchema));
    expect([e.code, e.field, e.retryable]).toEqual(['REQUEST_INVALID', 'lifetimeSeconds', false]);
  });

  it('refuses a path outside /v1 and a base URL that is not http(s)', async () => {
    const client = createSignedClient(hub, deps(routedFetch({})));
    expect((await failure(client.get('/admin', EchoSchema))).code).toBe('REQUEST_INVALID');
    expect(() => createSignedClient({ ...hub, baseUrl: 'ftp://hub.test' }, deps(fetch))).toThrow(
      ClientError,
    );
  });
});
