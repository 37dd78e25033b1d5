import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { fromBase64url, toBase64url } from '../encoding.js';
import {
  computeKid,
  generateSigningKey,
  importPublicJwk,
  isKidShaped,
  isUsableEd25519PublicKey,
  signingKeyFromSeed,
} from './keys.js';

const seed = (byte: number) => new Uint8Array(32).fill(byte);

async function expectKeyInvalid(input: unknown, field: string): Promise<void> {
  const error: unknown = await importPublicJwk(input).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CryptoError);
  expect(error).toMatchObject({ code: 'KEY_INVALID', field });
}

describe('signingKeyFromSeed', () => {
  it('derives the same key, kid and public JWK from the same seed', async () => {
    const a = await signingKeyFromSeed(seed(7));
    const b = await signingKeyFromSeed(seed(7));
    expect(a.publicJwk).toEqual(b.publicJwk);
    expect(a.kid).toBe(b.kid);
    expect(a.kid).toBe(await computeKid(a.publicJwk));
  });

  it('derives different keys from different seeds', async () => {
    const a = await signingKeyFromSeed(seed(1));
    const b = await signingKeyFromSeed(seed(2));
    expect(a.publicJwk.x).not.toBe(b.publicJwk.x);
    expect(a.kid).not.toBe(b.kid);
  });

  it('publishes only kty, crv and x', async () => {
    const key = await signingKeyFromSeed(seed(3));
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x']);
    expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });

  it('holds the private key as a non-extractable signing key', async () => {
    const key = await signingKeyFromSeed(seed(4));
    expect(key.privateKey.extractable).toBe(false);
    expect(key.privateKey.type).toBe('private');
    expect(key.privateKey.usages).toEqual(['sign']);
  });

  it('rejects a seed that is not 32 bytes', async () => {
    for (const bad of [new Uint8Array(31), new Uint8Array(33), 'x'.repeat(32)]) {
      await expect(signingKeyFromSeed(bad as Uint8Array)).rejects.toMatchObject({
        code: 'KEY_INVALID',
        field: 'seed',
      });
    }
  });
});

describe('generateSigningKey', () => {
  it('takes its seed from the injected rng', async () => {
    const requested: number[] = [];
    const { seed: drawn, key } = await generateSigningKey((n) => {
      requested.push(n);
      return seed(9);
    });
    expect(requested).toEqual([32]);
    expect(drawn).toEqual(seed(9));
    expect(key.kid).toBe((await signingKeyFromSeed(seed(9))).kid);
  });

  it('rejects an rng that returns the wrong number of bytes', async () => {
    await expect(generateSigningKey(() => new Uint8Array(16))).rejects.toMatchObject({
      code: 'KEY_INVALID',
      field: 'rng',
    });
  });
});

describe('importPublicJwk', () => {
  it('accepts a registered key with optional kid, alg and use, and returns its thumbprint', async () => {
    const key = await signingKeyFromSeed(seed(5));
    const full = { ...key.publicJwk, kid: key.kid, alg: 'Ed25519', use: 'sig' };
    expect(await importPublicJwk(full)).toEqual({ kid: key.kid, publicJwk: key.publicJwk });
    expect(await importPublicJwk({ ...key.publicJwk })).toEqual({
      kid: key.kid,
      publicJwk: key.publicJwk,
    });
  });

  it('rejects private members, unknown members and wrong key types by field', async () => {
    const { publicJwk } = await signingKeyFromSeed(seed(5));
    await expectKeyInvalid({ ...publicJwk, d: toBase64url(seed(5)) }, 'd');
    await expectKeyInvalid({ ...publicJwk, x5c: ['MIIB'] }, 'x5c');
    await expectKeyInvalid({ ...publicJwk, kty: 'EC' }, 'kty');
    await expectKeyInvalid({ ...publicJwk, crv: 'X25519' }, 'crv');
    await expectKeyInvalid({ ...publicJwk, alg: 'EdDSA' }, 'alg');
    await expectKeyInvalid({ ...publicJwk, use: 'enc' }, 'use');
    await expectKeyInvalid({ ...publicJwk, kid: 'my-key' }, 'kid');
    await expectKeyInvalid([publicJwk], 'jwk');
    await expectKeyInvalid(null, 'jwk');
  });

  it('rejects x that is not exactly 32 bytes of canonical base64url', async () => {
    const { publicJwk } = await signingKeyFromSeed(seed(5));
    await expectKeyInvalid({ ...publicJwk, x: `${publicJwk.x}=` }, 'x');
    await expectKeyInvalid({ ...publicJwk, x: publicJwk.x.slice(0, 42) }, 'x');
    await expectKeyInvalid({ ...publicJwk, x: toBase64url(new Uint8Array(33)) }, 'x');
    await expectKeyInvalid({ ...publicJwk, x: 7 }, 'x');
  });

  it('rejects small-order points, for which one signature verifies on any message', async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    await expectKeyInvalid({ kty: 'OKP', crv: 'Ed25519', x: toBase64url(identity) }, 'x');
  });

  it('rejects a mixed-order point: a valid key plus a small-order component', async () => {
    const { publicJwk } = await signingKeyFromSeed(seed(7));
    const honest = ed25519.Point.fromBytes(fromBase64url(publicJwk.x)!);
    // A point of order 8 (RFC 8032 §5.1: the cofactor is 8); added, it leaves the key's
    // subgroup while the encoding stays canonical and the point of large order.
    const torsion = ed25519.Point.fromHex(
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    );
    expect(torsion.multiply(8n).equals(ed25519.Point.ZERO)).toBe(true);
    expect(torsion.equals(ed25519.Point.ZERO)).toBe(false);
    const mixed = honest.add(torsion);
    expect(mixed.isSmallOrder()).toBe(false);
    await expectKeyInvalid({ kty: 'OKP', crv: 'Ed25519', x: toBase64url(mixed.toBytes()) }, 'x');
    // The honest key itself is accepted.
    expect(isUsableEd25519PublicKey(honest.toBytes())).toBe(true);
  });

  it('rejects a non-canonical point encoding (y not below p)', async () => {
    const big = new Uint8Array(32).fill(0xff);
    big[31] = 0x7f;
    await expectKeyInvalid({ kty: 'OKP', crv: 'Ed25519', x: toBase64url(big) }, 'x');
  });
});

describe('isKidShaped', () => {
  it('accepts a base64url SHA-256 digest and nothing else', async () => {
    const { kid } = await signingKeyFromSeed(seed(6));
    expect(isKidShaped(kid)).toBe(true);
    expect(isKidShaped(kid.slice(1))).toBe(false);
    expect(isKidShaped(`${kid}=`)).toBe(false);
    expect(isKidShaped(42)).toBe(false);
  });
});
