import net from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../platform/db/postgres.js';
import { createHubApp } from './app.js';
import { logUnhandledError } from './http/request-log.js';
import type { HubDatabase } from './database.js';
import {
  hubFixture,
  hubRequest,
  keyFromByte,
  openHubTestDatabase,
  problemCode,
  seededRng,
  START,
  TEST_APP_CONFIG,
  TestClock,
  type HubTestHandle,
} from './test-support.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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

  it('answers 503 with Retry-After while its PostgreSQL server is gone, and logs a warning', async () => {
    const logs: string[] = [];
    const gone = connectPostgres<Record<string, never>>(
      `postgres://spx@127.0.0.1:${await closedPort()}/hub`,
    );
    try {
      const fx = {
        app: createHubApp({
          db: gone.db as unknown as HubDatabase,
          signingKey: await keyFromByte(0xaa),
          config: TEST_APP_CONFIG,
          now: () => new Date(START),
          rng: seededRng('gone'),
          log: (line) => void logs.push(line),
        }),
        clock: new TestClock(START),
        rng: seededRng('gone-client'),
      };
      const agency = { ori: 'NM0010100', key: await keyFromByte(0x01) };
      const answers = [
        await fx.app.request('/v1/health'),
        await fx.app.request('/v1/registry/agencies'),
        await fx.app.request('/v1/log/checkpoint'),
        await hubRequest(fx, 'POST', '/v1/checks', agency, '{}'),
        await hubRequest(fx, 'POST', '/v1/attestations', agency, '{"attestations":[]}'),
      ];
      for (const res of answers) {
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await problemCode(res)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
      }
      const events = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.filter((e) => e['level'] === 'error')).toEqual([]);
      expect(events.filter((e) => e['event'] === 'database_unavailable')).toContainEqual(
        expect.objectContaining({ level: 'warn', route: '/v1/checks', code: 'ECONNREFUSED' }),
      );
    } finally {
      await gone.close();
    }
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
