import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubApp } from './app.js';
import { logUnhandledError } from './http/request-log.js';
import type { HubDatabase } from './database.js';
import {
  hubFixture,
  keyFromByte,
  openHubTestDatabase,
  problemCode,
  seededRng,
  TEST_APP_CONFIG,
  type HubTestHandle,
} from './test-support.js';

let handle: HubTestHandle;
beforeAll(async () => {
  handle = await openHubTestDatabase();
});
afterAll(() => handle?.close());

describe('the hub app', () => {
  it('answers health, publishes its signing key as a JWK Set, and 404s unknown routes', async () => {
    const fx = await hubFixture(handle.db);
    expect(await (await fx.app.request('/v1/health')).json()).toEqual({ status: 'ok' });
    const jwks = (await (await fx.app.request('/v1/hub/keys')).json()) as { keys: unknown[] };
    expect(jwks.keys).toEqual([
      { ...fx.hubKey.publicJwk, kid: fx.hubKey.kid, alg: 'Ed25519', use: 'sig' },
    ]);
    const missing = await fx.app.request('/v1/nothing');
    expect(await problemCode(missing)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('reports an unreachable database on health with 503 UNAVAILABLE', async () => {
    const broken = {
      execute: () => Promise.reject(new Error('connection refused')),
    } as unknown as HubDatabase;
    const app = createHubApp({
      db: broken,
      signingKey: await keyFromByte(0xaa),
      config: TEST_APP_CONFIG,
      now: () => new Date(0),
      rng: seededRng('broken'),
      log: () => undefined,
    });
    expect(await problemCode(await app.request('/v1/health'))).toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
    });
  });

  it('logs one JSON line per request with the route pattern, never the path, query or body', async () => {
    const fx = await hubFixture(handle.db);
    await fx.app.request('/v1/registry/agencies/NV0SECRET?who=JOHN');
    await fx.app.request('/v1/attestations', {
      method: 'POST',
      body: '{"attestations":["SECRETBODY"]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(fx.logs).toHaveLength(2);
    const [lookup, intake] = fx.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lookup).toEqual({
      time: '2026-05-01T12:00:00.000Z',
      level: 'info',
      event: 'request',
      method: 'GET',
      route: '/v1/registry/agencies/:ori',
      status: 404,
      agency: null,
      durationMs: 0,
    });
    expect(intake).toMatchObject({ route: '/v1/attestations', status: 401, agency: null });
    for (const secret of ['NV0SECRET', 'JOHN', 'SECRETBODY']) {
      expect(fx.logs.join('\n')).not.toContain(secret);
    }
  });

  it("logs an unexpected error's class and SQLSTATE, never its message, and answers a bare 500", async () => {
    const logs: string[] = [];
    const failing = new Error(
      'Failed query: select … params: Ak-WAB68gT37FDp5AfAQm52coCM9JDC6bViS1-4dzoU',
      {
        cause: Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'x_pkey' }),
      },
    );
    const app = new Hono();
    app.get('/boom', () => {
      throw failing;
    });
    app.onError((e, c) => {
      logUnhandledError((line) => void logs.push(line), e, c, new Date(0));
      return c.text('', 500);
    });
    await app.request('/boom');
    expect(JSON.parse(logs[0]!)).toMatchObject({
      event: 'unhandled_error',
      error: 'Error',
      sqlState: '23505',
      constraint: 'x_pkey',
    });
    expect(logs[0]).not.toContain('Ak-WAB68');
  });
});
