import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from './client-error.js';
import { createHubClient, type HubClient } from './hub-client.js';
import { b64For, settableClock, signingKeyFor } from './test-support/deterministic.js';
import {
  agencyEntry,
  clientDeps,
  routedFetch,
  type TestAgency,
} from './test-support/federation.js';

const HUB = 'http://hub.test';
const clock = settableClock('2025-03-01T12:00:00Z');
const NOTE =
  'hub.test/log\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— hub.test/log AAAAAAAA\n';
let city: TestAgency;
let seen: { path: string; accept: string | undefined }[];

beforeAll(async () => {
  const key = await signingKeyFor('log-client-city');
  city = { key, entry: agencyEntry('CA0194200', 'Example City Police Department', key) };
});

/** A hub whose log endpoints answer what the test says. */
function hubWith(answers: {
  inclusion?: object;
  consistency?: object;
  entries?: object;
}): HubClient {
  seen = [];
  const app = new Hono();
  app.use('*', async (c, next) => {
    seen.push({
      path: new URL(c.req.url).pathname + new URL(c.req.url).search,
      accept: c.req.header('accept'),
    });
    await next();
  });
  app.get('/v1/log/checkpoint', (c) => c.text(NOTE));
  app.get('/v1/log/checkpoints/:size', (c) =>
    c.req.param('size') === '2'
      ? c.text(NOTE)
      : c.body(
          JSON.stringify({
            code: 'NOT_FOUND',
            status: 404,
            title: 'Not Found',
            type: 'x',
            detail: 'none',
          }),
          404,
          {
            'content-type': 'application/problem+json',
          },
        ),
  );
  app.get('/v1/log/proof/inclusion', (c) => c.json(answers.inclusion ?? {}));
  app.get('/v1/log/proof/consistency', (c) => c.json(answers.consistency ?? {}));
  app.get('/v1/log/entries', (c) => c.json(answers.entries ?? {}));
  app.post('/v1/log/cosignatures', (c) =>
    c.json({ size: 2, keyName: 'spx-witness/CA0194200', timestamp: 1 }),
  );
  return createHubClient(HUB, clientDeps(city, routedFetch({ [HUB]: app }), clock.now));
}

async function failure(p: Promise<unknown>): Promise<ClientError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClientError);
  return e as ClientError;
}

describe('HubClient: the log endpoints', () => {
  it('reads the latest checkpoint as text/plain, and one of a given size or none', async () => {
    const hub = hubWith({});
    expect(await hub.logCheckpoint()).toBe(NOTE);
    expect(seen[0]!.accept).toContain('text/plain');
    expect(await hub.logCheckpointAt(2)).toBe(NOTE);
    expect(await hub.logCheckpointAt(3)).toBeUndefined();
  });

  it('refuses a proof for another index, size or range than asked', async () => {
    const inclusion = { index: 1, size: 2, leafHash: b64For('leaf'), proof: [b64For('p')] };
    expect(await hubWith({ inclusion }).logInclusionProof(1, 2)).toEqual(inclusion);
    expect(seen[0]!.path).toBe('/v1/log/proof/inclusion?index=1&size=2');
    const wrong = await failure(hubWith({ inclusion }).logInclusionProof(0, 2));
    expect([wrong.code, wrong.field]).toEqual(['RESPONSE_INVALID', 'index']);
    const consistency = { from: 1, to: 2, proof: [b64For('p')] };
    expect((await hubWith({ consistency }).logConsistencyProof(1, 2)).proof).toHaveLength(1);
    const other = await failure(hubWith({ consistency }).logConsistencyProof(1, 3));
    expect([other.code, other.field]).toEqual(['RESPONSE_INVALID', 'to']);
    const entries = { start: 0, entries: [{ index: 1, entry: '{}' }] };
    expect((await failure(hubWith({ entries }).logEntries(0, 1))).code).toBe('RESPONSE_INVALID');
  });

  it('sends no request with an index or size that is not a log number', async () => {
    const hub = hubWith({});
    for (const p of [
      hub.logInclusionProof(-1, 2),
      hub.logConsistencyProof(1.5, 2),
      hub.logEntries(0, 1001),
    ]) {
      expect((await failure(p)).code).toBe('REQUEST_INVALID');
    }
    expect(seen).toEqual([]);
  });

  it('submits a cosignature and reads what the hub stored', async () => {
    const hub = hubWith({});
    expect(
      await hub.submitCosignature({ size: 2, cosignature: '— spx-witness/CA0194200 AAAA\n' }),
    ).toEqual({
      size: 2,
      keyName: 'spx-witness/CA0194200',
      timestamp: 1,
    });
  });
});
