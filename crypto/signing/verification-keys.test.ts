import { describe, expect, it } from 'vitest';
import { toBase64url } from '../encoding.js';
import { signingKeyFromSeed } from './keys.js';
import { verificationKeyCache } from './verification-keys.js';

const jwkOf = async (byte: number) =>
  (await signingKeyFromSeed(new Uint8Array(32).fill(byte))).publicJwk;

async function refusal(p: Promise<unknown>): Promise<{ code?: string; field?: string }> {
  return p.then(
    () => ({}),
    (e: { code?: string; field?: string }) => ({ code: e.code, field: e.field }),
  );
}

describe('verification keys kept once validated', () => {
  it('keeps one entry per registered key, whatever the member order', async () => {
    const cache = verificationKeyCache();
    const jwk = await jwkOf(1);
    const first = await cache.get(jwk);
    const again = await cache.get({ x: jwk.x, crv: jwk.crv, kty: jwk.kty });
    expect(again).toBe(first);
    expect(cache.size).toBe(1);
    expect(first.kid).toBe((await signingKeyFromSeed(new Uint8Array(32).fill(1))).kid);
  });

  it('refuses an unusable key every time and never keeps it', async () => {
    const cache = verificationKeyCache();
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const smallOrder = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(identity) };
    for (let i = 0; i < 2; i++) {
      expect(await refusal(cache.get(smallOrder))).toEqual({ code: 'KEY_INVALID', field: 'x' });
    }
    expect(cache.size).toBe(0);
  });

  it('validates a JWK with other members on its own, though its x is kept', async () => {
    const cache = verificationKeyCache();
    const jwk = await jwkOf(2);
    await cache.get(jwk);
    // A registry entry that leaked its private part is refused, not served from the cache.
    const leaked = { ...jwk, d: toBase64url(new Uint8Array(32).fill(2)) };
    expect(await refusal(cache.get(leaked))).toEqual({ code: 'KEY_INVALID', field: 'd' });
    expect(await refusal(cache.get({ ...jwk, kid: 'not-the-thumbprint' }))).toMatchObject({
      code: 'KEY_INVALID',
      field: 'kid',
    });
    expect(cache.size).toBe(1);
  });

  it('holds at most its bound, letting the least recently used key go first', async () => {
    const cache = verificationKeyCache(2);
    const [a, b, c] = await Promise.all([jwkOf(3), jwkOf(4), jwkOf(5)]);
    const keptA = await cache.get(a);
    await cache.get(b);
    expect(await cache.get(a)).toBe(keptA); // a is now the most recently used
    await cache.get(c); // b goes
    expect(cache.size).toBe(2);
    expect(await cache.get(a)).toBe(keptA);
    const keptB = await cache.get(b); // loaded again, c goes
    expect(await cache.get(b)).toBe(keptB);
    expect(cache.size).toBe(2);
  });
});
