import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePolicy } from '../../protocol/test-support/examples.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { ClientError } from './client-error.js';
import { createHubClient, type HubClient } from './hub-client.js';
import { attestationPayload, signAttestation } from './test-support/attestations.js';
import { b64For, seedFor, settableClock, signingKeyFor } from './test-support/deterministic.js';
import { fakeHub, type FakeHub } from './test-support/fake-hub.js';
import {
  agencyEntry,
  clientDeps,
  routedFetch,
  type TestAgency,
} from './test-support/federation.js';

const HUB = 'http://hub.test';
const clock = settableClock('2025-03-01T12:00:00Z');
let city: TestAgency;
let board: TestAgency;
let registry: RegistryEntry[];
let hub: FakeHub;
let client: HubClient;

beforeAll(async () => {
  const cityKey = await signingKeyFor('city');
  const boardKey = await signingKeyFor('board');
  city = {
    key: cityKey,
    entry: agencyEntry('CA0194200', 'Example City Police Department', cityKey),
  };
  board = {
    key: boardKey,
    entry: agencyEntry('CA0340000', 'State Standards Board', boardKey, ['reporter'], 'state'),
  };
  registry = [city.entry, board.entry];
  hub = fakeHub({
    hubKey: await signingKeyFor('hub'),
    hubSeed: seedFor('hub'),
    registry: () => registry,
    now: clock.now,
  });
  client = createHubClient(HUB, clientDeps(city, routedFetch({ [HUB]: hub.app }), clock.now));
});

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClientError);
  return e as ClientError;
}

const keys = [
  { kind: 'ssn' as const, index: b64For('officer/ssn') },
  { kind: 'name_dob' as const, index: b64For('officer/name_dob') },
];

describe('HubClient', () => {
  it('reads the registry and one agency, and answers undefined for an unknown one', async () => {
    expect(await client.registry()).toEqual(registry);
    expect(await client.agency('CA0340000')).toEqual(board.entry);
    expect(await client.agency('NY0000000')).toBeUndefined();
    expect((await failure(client.agency('../admin'))).code).toBe('REQUEST_INVALID');
  });

  it('reads the hub keys as validated JWKs with their thumbprints', async () => {
    const hubKey = await signingKeyFor('hub');
    expect(await client.hubKeys()).toEqual([{ kid: hubKey.kid, publicJwk: hubKey.publicJwk }]);
  });

  it('refuses a JWK Set holding a private key or a wrong kid', async () => {
    const hubKey = await signingKeyFor('hub');
    for (const jwk of [
      { ...hubKey.publicJwk, d: b64For('leaked') },
      { ...hubKey.publicJwk, kid: b64For('other') },
    ]) {
      const app = new Hono().get('/v1/hub/keys', (c) => c.json({ keys: [jwk] }));
      const bad = createHubClient(HUB, clientDeps(city, routedFetch({ [HUB]: app }), clock.now));
      const e = await failure(bad.hubKeys());
      expect([e.code, e.field]).toEqual(['RESPONSE_INVALID', 'keys[0]']);
    }
  });

  it('submits attestations and checks that the receipts name them in order', async () => {
    const a = attestationPayload(city, keys);
    const b = attestationPayload(city, keys, { category: 'suspension', useOfForce: false });
    const batch = {
      attestations: [await signAttestation(city, a), await signAttestation(city, b)],
    };
    const first = await client.submitAttestations(batch);
    expect(first.receipts.map((r) => [r.id, r.status])).toEqual([
      [a.id, 'accepted'],
      [b.id, 'accepted'],
    ]);
    const again = await client.submitAttestations(batch);
    expect(again.receipts.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(hub.seen.at(-1)).toEqual({
      issuer: 'CA0194200',
      method: 'POST',
      path: '/v1/attestations',
    });
  });

  it('refuses receipts that do not answer the batch sent', async () => {
    const a = attestationPayload(city, keys);
    const jws = await signAttestation(city, a);
    const other = attestationPayload(city, keys).id;
    const log = { index: 0, salt: b64For('salt'), proof: [] };
    const app = new Hono().post('/v1/attestations', (c) =>
      c.json({
        receipts: [{ id: other, status: 'accepted', receivedAt: '2025-03-01T12:00:00Z', log }],
        log: { checkpoint: 'hub.test/log\n1\nAAAA\n\n— hub.test/log AAAA\n' },
      }),
    );
    const bad = createHubClient(HUB, clientDeps(city, routedFetch({ [HUB]: app }), clock.now));
    const e = await failure(bad.submitAttestations({ attestations: [jws] }));
    expect([e.code, e.field]).toEqual(['RESPONSE_INVALID', 'receipts[0].id']);
  });

  it('does not send something that is not an attestation statement', async () => {
    const before = hub.seen.length;
    const e = await failure(client.submitAttestations({ attestations: ['a.b.c'] }));
    expect([e.code, e.field, hub.seen.length]).toEqual([
      'REQUEST_INVALID',
      'attestations[0]',
      before,
    ]);
  });

  it('passes on the hub refusing a statement signed by another agency as final', async () => {
    const foreign = await signAttestation(board, attestationPayload(board, keys));
    const e = await failure(client.submitAttestations({ attestations: [foreign] }));
    expect([e.code, e.status, e.retryable]).toEqual(['ISSUER_MISMATCH', 403, false]);
  });

  it('runs a check and returns the well-formed answer for node/check to verify', async () => {
    const jws = await signAttestation(city, attestationPayload(city, keys));
    await client.submitAttestations({ attestations: [jws] });
    const request = {
      purpose: 'hiring' as const,
      consentRef: 'consent/2025/0001',
      epoch: 1,
      keys,
      policy: examplePolicy(),
    };
    const answer = await client.check(request);
    expect(answer.attestations).toContain(jws);
    expect(answer.response.split('.')).toHaveLength(3);
  });

  it('reports a missing role as a final ROLE_REQUIRED', async () => {
    const asBoard = createHubClient(
      HUB,
      clientDeps(board, routedFetch({ [HUB]: hub.app }), clock.now),
    );
    const e = await failure(
      asBoard.check({
        purpose: 'hiring',
        consentRef: 'consent/2025/0002',
        epoch: 1,
        keys,
        policy: examplePolicy(),
      }),
    );
    expect([e.code, e.status, e.retryable]).toEqual(['ROLE_REQUIRED', 403, false]);
  });

  it('reads the public statistics as a JSON object', async () => {
    const stats = await client.statistics();
    expect(stats['counts']).toMatchObject({ termination: expect.any(Number) });
  });
});
