import { describe, expect, it } from 'vitest';
import { fromBase64url, fromUtf8, toBase64url, utf8 } from '../encoding.js';
import { signingKeyFromSeed } from '../signing/index.js';
import {
  JTI_LENGTH,
  MAX_REQUEST_TOKEN_LIFETIME_SECONDS,
  REQUEST_TOKEN_TYP,
  bodyHash,
  createRequestToken,
} from './request-token.js';

const key = await signingKeyFromSeed(new Uint8Array(32).fill(3));
const jtiBytes = Uint8Array.from({ length: JTI_LENGTH }, (_, i) => 100 + i);
const T = 1_767_225_600;

const input = {
  key,
  issuer: 'VA0000001',
  audience: 'https://hub.spx.example',
  method: 'POST',
  path: '/v1/attestations?dryRun=1',
  body: utf8('{"a":1}'),
  now: T,
  lifetimeSeconds: 45,
  rng: () => jtiBytes,
};

const decode = (token: string, part: 0 | 1): unknown =>
  JSON.parse(fromUtf8(fromBase64url(token.split('.')[part]!)!));

describe('bodyHash', () => {
  it('is the base64url SHA-256 of the bytes, and of the empty string for no body', () => {
    // SHA-256("") is e3b0c442…b855 (FIPS 180-4 example value).
    expect(bodyHash(undefined)).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
    expect(bodyHash(new Uint8Array(0))).toBe(bodyHash(undefined));
    // SHA-256("abc") is ba7816bf…15ad (FIPS 180-4 example value).
    expect(bodyHash(utf8('abc'))).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('createRequestToken', () => {
  it('writes exactly the claims of §7.2, bound to the request and the clock', async () => {
    const token = await createRequestToken(input);
    expect(decode(token, 0)).toEqual({ alg: 'Ed25519', kid: key.kid, typ: REQUEST_TOKEN_TYP });
    expect(decode(token, 1)).toEqual({
      aud: 'https://hub.spx.example',
      bh: bodyHash(utf8('{"a":1}')),
      exp: T + 45,
      htm: 'POST',
      htp: '/v1/attestations?dryRun=1',
      iat: T,
      iss: 'VA0000001',
      jti: toBase64url(jtiBytes),
    });
  });

  it('takes the time from a Date as whole seconds', async () => {
    const token = await createRequestToken({ ...input, now: new Date((T + 0.9) * 1000) });
    expect(decode(token, 1)).toMatchObject({ iat: T, exp: T + 45 });
  });

  it('is deterministic given the clock and the rng', async () => {
    expect(await createRequestToken(input)).toBe(await createRequestToken(input));
  });

  it('draws a fresh jti from the rng for every token', async () => {
    let counter = 0;
    const rng = (n: number) => new Uint8Array(n).fill(++counter);
    const a = await createRequestToken({ ...input, rng });
    const b = await createRequestToken({ ...input, rng });
    expect(decode(a, 1)).not.toEqual(decode(b, 1));
  });

  it('defaults to a 60-second lifetime', async () => {
    const token = await createRequestToken({ ...input, lifetimeSeconds: undefined });
    expect(decode(token, 1)).toMatchObject({ exp: T + 60 });
  });

  it('rejects inputs no verifier would accept, naming the field', async () => {
    const cases: [Partial<typeof input>, string][] = [
      [{ issuer: '' }, 'issuer'],
      [{ audience: 'a'.repeat(257) }, 'audience'],
      [{ method: 'post' }, 'method'],
      [{ path: 'v1/attestations' }, 'path'],
      [{ path: '/v1/a#frag' }, 'path'],
      [{ path: '/v1/a b' }, 'path'],
      [{ lifetimeSeconds: 0 }, 'lifetimeSeconds'],
      [{ lifetimeSeconds: 1.5 }, 'lifetimeSeconds'],
      [{ rng: () => new Uint8Array(8) }, 'rng'],
      [{ now: Number.NaN }, 'now'],
    ];
    for (const [change, field] of cases) {
      await expect(createRequestToken({ ...input, ...change })).rejects.toMatchObject({
        code: 'AUTH_MALFORMED',
        field,
      });
    }
  });

  it(`refuses lifetimes over ${MAX_REQUEST_TOKEN_LIFETIME_SECONDS} seconds`, async () => {
    await expect(
      createRequestToken({ ...input, lifetimeSeconds: MAX_REQUEST_TOKEN_LIFETIME_SECONDS + 1 }),
    ).rejects.toMatchObject({ code: 'AUTH_LIFETIME_TOO_LONG', field: 'lifetimeSeconds' });
  });
});
