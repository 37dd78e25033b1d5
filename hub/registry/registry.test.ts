import { describe, expect, it } from 'vitest';
import { RegistryEntrySchema } from '../../protocol/registry-entry.js';
import { HubError } from '../errors.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
} from '../test-support.js';
import { registryService, type EnrollmentInput } from './registry.service.js';

const fx = useHubFixture();

async function input(patch: Partial<EnrollmentInput> = {}): Promise<EnrollmentInput> {
  return {
    ori: 'AZ0000T01',
    name: 'Example Tribal Police Department',
    jurisdiction: 'tribal',
    state: null,
    roles: ['reporter', 'checker'],
    jwk: (await keyFromByte(5)).publicJwk,
    contact: { name: 'Records Unit', email: 'records@tribe.example.gov', phone: '+15205550100' },
    ...patch,
  };
}

async function errorOf(p: Promise<unknown>): Promise<HubError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof HubError)) throw new Error(`expected a HubError, got ${String(e)}`);
  return e;
}

describe('enrollment', () => {
  it('stores a valid entry that reads back as a protocol registry entry', async () => {
    const registry = registryService(fx.db);
    await registry.enroll(await input(), fx.clock.now());
    const entry = RegistryEntrySchema.parse(await registry.find('AZ0000T01'));
    expect(entry).toMatchObject({
      jurisdiction: 'tribal',
      state: null,
      roles: ['reporter', 'checker'],
      status: 'active',
    });
    expect(entry.keys).toEqual([
      { kid: (await keyFromByte(5)).kid, status: 'active', jwk: (await keyFromByte(5)).publicJwk },
    ]);
  });

  it('reports every invalid member at once, and stores nothing', async () => {
    const registry = registryService(fx.db);
    const e = await errorOf(
      registry.enroll(
        await input({
          ori: 'CA0194200',
          jurisdiction: 'state',
          state: 'TX',
          roles: ['reporter', 'auditor'],
          contact: { name: 'Records', email: 'not-an-email', phone: '555-0100' },
        }),
        fx.clock.now(),
      ),
    );
    expect(e.code).toBe('ENTRY_INVALID');
    expect(e.errors.map((x) => x.field).sort()).toEqual([
      'contact.email',
      'contact.phone',
      'roles[1]',
    ]);
    expect(await registry.list()).toEqual([]);
  });

  it('refuses a public key that is not a usable Ed25519 key, or that carries its private half', async () => {
    const registry = registryService(fx.db);
    const small = await errorOf(
      registry.enroll(
        await input({ jwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } }),
        fx.clock.now(),
      ),
    );
    expect([small.code, small.field]).toEqual(['ENTRY_INVALID', 'jwk.x']);
    const withD = await errorOf(
      registry.enroll(
        await input({ jwk: { ...(await keyFromByte(5)).publicJwk, d: 'x' } }),
        fx.clock.now(),
      ),
    );
    expect(withD.field).toBe('jwk.d');
  });

  it('refuses an ORI that is enrolled and a key registered to another agency', async () => {
    const registry = registryService(fx.db);
    await registry.enroll(await input(), fx.clock.now());
    expect((await errorOf(registry.enroll(await input(), fx.clock.now()))).code).toBe(
      'AGENCY_EXISTS',
    );
    const sameKey = await input({ ori: 'NM0000T02' });
    expect((await errorOf(registry.enroll(sameKey, fx.clock.now()))).code).toBe('KEY_IN_USE');
  });
});

describe('key rotation', () => {
  it('retires the old key: it verifies earlier statements but signs neither requests nor new statements', async () => {
    const oldKey = await keyFromByte(1);
    const newKey = await keyFromByte(11);
    const agency = await enrollAgency(fx.db, 'CA0194200', oldKey);
    const earlier = await signAttestation(
      attestationPayload(agency.ori, fx.rng, fx.clock.now()),
      oldKey,
    );
    expect((await postBatch(fx, agency, [earlier])).status).toBe(200);

    fx.clock.advance(86_400);
    const rotated = await registryService(fx.db).rotateKey(
      agency.ori,
      newKey.publicJwk,
      fx.clock.now(),
    );
    expect(rotated.keys.map((k) => [k.kid, k.status])).toEqual([
      [oldKey.kid, 'retired'],
      [newKey.kid, 'active'],
    ]);
    const withNew = { ...agency, key: newKey };
    // The earlier statement still verifies (its retry is a duplicate, not an error).
    const retry = await postBatch(fx, withNew, [earlier]);
    expect(((await retry.json()) as { receipts: { status: string }[] }).receipts[0]!.status).toBe(
      'duplicate',
    );
    const late = await signAttestation(
      attestationPayload(agency.ori, fx.rng, fx.clock.now()),
      oldKey,
    );
    expect(await problemCode(await postBatch(fx, withNew, [late]))).toMatchObject({
      status: 422,
      code: 'SIG_UNKNOWN_KEY',
      fields: ['attestations[0]: invalid_value'],
    });
    expect(await problemCode(await postBatch(fx, agency, [earlier]))).toMatchObject({
      status: 401,
      code: 'AUTH_UNKNOWN_KEY',
    });
    const fresh = await signAttestation(
      attestationPayload(agency.ori, fx.rng, fx.clock.now()),
      newKey,
    );
    expect((await postBatch(fx, withNew, [fresh])).status).toBe(200);
  });

  it('serializes concurrent rotations of one agency: exactly one key stays active', async () => {
    await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const registry = registryService(fx.db);
    const keys = await Promise.all([keyFromByte(21), keyFromByte(22), keyFromByte(23)]);
    await Promise.all(
      keys.map((k) => registry.rotateKey('CA0194200', k.publicJwk, fx.clock.now())),
    );
    const entry = (await registry.findMany(['CA0194200'])).get('CA0194200')!;
    expect(entry.keys).toHaveLength(4);
    expect(entry.keys.filter((k) => k.status === 'active')).toHaveLength(1);
  });

  it('refuses to register a key twice and names an unknown agency', async () => {
    const key = await keyFromByte(1);
    await enrollAgency(fx.db, 'CA0194200', key);
    const registry = registryService(fx.db);
    expect(
      (await errorOf(registry.rotateKey('CA0194200', key.publicJwk, fx.clock.now()))).code,
    ).toBe('KEY_IN_USE');
    expect(
      (await errorOf(registry.rotateKey('NV0000000', key.publicJwk, fx.clock.now()))).code,
    ).toBe('AGENCY_UNKNOWN');
  });
});

describe('suspension', () => {
  it('blocks a suspended agency until it is reinstated', async () => {
    const agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const registry = registryService(fx.db);
    const statement = async () =>
      signAttestation(attestationPayload(agency.ori, fx.rng, fx.clock.now()), agency.key);
    await registry.setStatus(agency.ori, 'suspended', fx.clock.now());
    expect(await problemCode(await postBatch(fx, agency, [await statement()]))).toMatchObject({
      status: 403,
      code: 'AGENCY_SUSPENDED',
    });
    await registry.setStatus(agency.ori, 'active', fx.clock.now());
    expect((await postBatch(fx, agency, [await statement()])).status).toBe(200);
  });
});

describe('public registry routes', () => {
  it('list every agency, one agency, and the active keys of active agencies as a JWK Set', async () => {
    const a = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const b = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
    await registryService(fx.db).setStatus(b.ori, 'suspended', fx.clock.now());
    const list = (await (await fx.app.request('/v1/registry/agencies')).json()) as {
      agencies: unknown[];
    };
    expect(list.agencies.map((e) => RegistryEntrySchema.parse(e).ori)).toEqual([a.ori, b.ori]);
    const one = await fx.app.request(`/v1/registry/agencies/${b.ori}`);
    expect(RegistryEntrySchema.parse(await one.json()).status).toBe('suspended');
    const jwks = (await (await fx.app.request('/v1/registry/jwks')).json()) as {
      keys: { kid: string; alg: string; use: string }[];
    };
    expect(jwks.keys).toEqual([{ ...a.key.publicJwk, kid: a.key.kid, alg: 'Ed25519', use: 'sig' }]);
  });

  it('answer an unknown or malformed ORI with 404 NOT_FOUND', async () => {
    for (const ori of ['NV0000000', 'not-an-ori']) {
      const res = await fx.app.request(`/v1/registry/agencies/${ori}`);
      expect(await problemCode(res)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
  });
});
