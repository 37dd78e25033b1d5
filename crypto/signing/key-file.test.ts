import { describe, expect, it } from 'vitest';
import { isCryptoError } from '../errors.js';
import { keyFileText, publishedJwk, signingKeyFromKeyFileText } from './key-file.js';
import { signingKeyFromSeed } from './keys.js';

const seedA = new Uint8Array(32).fill(7);
const seedB = new Uint8Array(32).fill(9);

async function fileOf(seed: Uint8Array): Promise<Record<string, string>> {
  const key = await signingKeyFromSeed(seed);
  return JSON.parse(keyFileText(seed, key)) as Record<string, string>;
}

async function failureOf(text: string): Promise<[string, string | undefined, string]> {
  const e = await signingKeyFromKeyFileText(text).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isCryptoError(e)) throw new Error(`expected a CryptoError, got ${String(e)}`);
  return [e.code, e.field, e.message];
}

describe('the Ed25519 key file', () => {
  it('round-trips: the text written for a seed reads back as the same key', async () => {
    const key = await signingKeyFromSeed(seedA);
    const read = await signingKeyFromKeyFileText(keyFileText(seedA, key));
    expect(read.kid).toBe(key.kid);
    expect(read.publicJwk).toEqual(key.publicJwk);
    expect(publishedJwk(read)).toEqual({
      ...key.publicJwk,
      kid: key.kid,
      alg: 'Ed25519',
      use: 'sig',
    });
  });

  it('needs only d: x and kid are checked when present', async () => {
    const { kty, crv, d, kid } = await fileOf(seedA);
    expect((await signingKeyFromKeyFileText(JSON.stringify({ kty, crv, d }))).kid).toBe(kid);
  });

  it('refuses files whose members are wrong or whose halves disagree, naming the member', async () => {
    const good = await fileOf(seedA);
    const other = await fileOf(seedB);
    const cases: [string, string][] = [
      ['not json', '$'],
      ['[1]', '$'],
      [JSON.stringify({ ...good, x: other['x'] }), 'x'],
      [JSON.stringify({ ...good, kid: other['kid'] }), 'kid'],
      [JSON.stringify({ ...good, d: 'AAAA' }), 'd'],
      [JSON.stringify({ ...good, kty: 'EC' }), 'kty'],
      [JSON.stringify({ ...good, crv: 'X25519' }), 'crv'],
      [JSON.stringify({ ...good, use: 'sig' }), 'use'],
    ];
    for (const [text, field] of cases) {
      expect((await failureOf(text)).slice(0, 2)).toEqual(['KEY_FILE_INVALID', field]);
    }
  });

  it('tells the operator who gives the public JWK that it is a public key', async () => {
    const { d: _d, ...publicHalf } = await fileOf(seedA);
    const [code, field, message] = await failureOf(JSON.stringify(publicHalf));
    expect([code, field]).toEqual(['KEY_FILE_INVALID', 'd']);
    expect(message).toMatch(/public key/);
  });
});
