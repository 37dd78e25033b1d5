import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  SUITE_ID,
  blindBatch,
  decodeEvaluationResponse,
  deriveKeyPair,
  encodeEvaluationRequest,
  finalizeBatch,
} from '../../crypto/oprf/index.js';
import { ClientError } from './client-error.js';
import { createKeyholderClient } from './keyholder-client.js';
import { seededRng, settableClock, signingKeyFor } from './test-support/deterministic.js';
import { fakeKeyholder } from './test-support/fake-keyholder.js';
import {
  agencyEntry,
  clientDeps,
  routedFetch,
  type TestAgency,
} from './test-support/federation.js';

const KH = 'http://keyholder.test';
const clock = settableClock('2025-03-01T12:00:00Z');
const key = deriveKeyPair(new Uint8Array(32).fill(7), 1);
let agency: TestAgency;

beforeAll(async () => {
  const signing = await signingKeyFor('kh-client');
  agency = { key: signing, entry: agencyEntry('TX2270100', 'Example County Sheriff', signing) };
});

function setup() {
  const kh = fakeKeyholder({
    url: KH,
    share: key,
    threshold: 1,
    total: 1,
    groupPublicKey: key.publicKey,
    registry: () => [agency.entry],
    now: clock.now,
  });
  const client = createKeyholderClient(
    KH,
    clientDeps(agency, routedFetch({ [KH]: kh.app }), clock.now),
  );
  return { kh, client };
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClientError);
  return e as ClientError;
}

describe('KeyholderClient', () => {
  it('reads the published keys', async () => {
    const { client } = setup();
    expect(await client.keys()).toEqual({
      suite: SUITE_ID,
      threshold: 1,
      keys: [
        {
          epoch: 1,
          shareIndex: 1,
          publicKey: toBase64url(key.publicKey),
          groupPublicKey: toBase64url(key.publicKey),
          threshold: 1,
          total: 1,
          status: 'active',
        },
      ],
    });
  });

  it('has a batch evaluated by an authenticated request, and the proof verifies', async () => {
    const { kh, client } = setup();
    const { state, request } = blindBatch(1, [utf8('SPX1|ssn|123456789')], seededRng('blind'));
    const response = await client.evaluate(encodeEvaluationRequest(request));
    const outputs = finalizeBatch(state, decodeEvaluationResponse(response), key);
    expect(outputs).toHaveLength(1);
    expect(kh.seen).toEqual([{ issuer: 'TX2270100', method: 'POST', path: '/v1/evaluate' }]);
  });

  it('refuses an answer that does not answer the request sent', async () => {
    const { request } = blindBatch(
      1,
      [utf8('SPX1|ssn|123456789'), utf8('SPX1|ssn|123456788')],
      seededRng('blind-2'),
    );
    const wire = encodeEvaluationRequest(request);
    const app = new Hono().post('/v1/evaluate', (c) =>
      c.json({
        epoch: 2,
        shareIndex: 1,
        evaluatedElements: [wire.blindedElements[0]],
        proof: 'A'.repeat(86),
      }),
    );
    const client = createKeyholderClient(
      KH,
      clientDeps(agency, routedFetch({ [KH]: app }), clock.now),
    );
    const e = await failure(client.evaluate(wire));
    expect(e.code).toBe('RESPONSE_INVALID');
    expect(e.errors.map((x) => x.field).sort()).toEqual(['epoch', 'evaluatedElements']);
  });

  it('reports a keyholder that is down as retryable with its Retry-After', async () => {
    const { kh, client } = setup();
    kh.behaviour = 'unavailable';
    const { request } = blindBatch(1, [utf8('SPX1|ssn|123456789')], seededRng('blind-3'));
    const e = await failure(client.evaluate(encodeEvaluationRequest(request)));
    expect([e.service, e.code, e.retryable, e.retryAfterSeconds]).toEqual([
      'keyholder',
      'UNAVAILABLE',
      true,
      7,
    ]);
  });

  it("addresses every token to the keyholder's own URL, in its normal form", async () => {
    // A keyholder behind a gateway, under a path prefix, configured in an odd spelling.
    const kh = fakeKeyholder({
      url: 'http://gateway.test/gw/kh1',
      share: key,
      threshold: 1,
      total: 1,
      groupPublicKey: key.publicKey,
      registry: () => [agency.entry],
      now: clock.now,
    });
    const headers: string[] = [];
    const gateway = new Hono()
      .use(async (c, next) => {
        headers.push(c.req.header('authorization')!);
        await next();
      })
      .route('/gw/kh1', kh.app);
    const client = createKeyholderClient(
      'HTTP://Gateway.test:80/gw/kh1/',
      clientDeps(agency, routedFetch({ 'http://gateway.test': gateway }), clock.now),
    );
    expect(client.audience).toBe('http://gateway.test/gw/kh1');
    const { request } = blindBatch(1, [utf8('SPX1|ssn|123456789')], seededRng('blind-4'));
    await client.evaluate(encodeEvaluationRequest(request));
    const payload = headers[0]!.replace(/^SPX /, '').split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      aud: 'http://gateway.test/gw/kh1',
      htp: '/gw/kh1/v1/evaluate',
    });
  });

  it('refuses a keyholder URL that names no audience', () => {
    for (const url of ['https://op@kh.test', 'https://kh.test/?', 'spx-keyholder']) {
      expect(() =>
        createKeyholderClient(url, clientDeps(agency, routedFetch({}), clock.now)),
      ).toThrow(expect.objectContaining({ code: 'REQUEST_INVALID' }));
    }
  });
});
