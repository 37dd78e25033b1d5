import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyFromSeed } from '../../crypto/signing/index.js';
import { hubKeysFromJson, MAX_HUB_KEYS, readHubKeys } from './hub-keys.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-hub-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function jwk(n: number) {
  const key = await signingKeyFromSeed(new Uint8Array(32).fill(n));
  return { ...key.publicJwk, kid: key.kid };
}

async function failure(json: unknown) {
  const r = await hubKeysFromJson(json);
  return r.ok ? undefined : [r.error.code, r.error.field];
}

describe('the hub keys a node or an auditor pins', () => {
  it('accepts a JWK Set as GET /v1/hub/keys serves it, and a single JWK', async () => {
    const [a, b] = [await jwk(1), await jwk(2)];
    const set = await hubKeysFromJson({ keys: [a, { ...b, alg: 'Ed25519', use: 'sig' }] });
    expect(set.ok && set.value.map((k) => k.kid)).toEqual([a.kid, b.kid]);
    const one = await hubKeysFromJson(a);
    expect(one.ok && one.value.map((k) => k.kid)).toEqual([a.kid]);
  });

  it('refuses what no pin should be, naming the member', async () => {
    const a = await jwk(1);
    const many = await Promise.all(Array.from({ length: MAX_HUB_KEYS + 1 }, (_, i) => jwk(i + 1)));
    expect(await failure([a])).toEqual(['HUB_KEYS_INVALID', '$']);
    expect(await failure({ keys: [] })).toEqual(['HUB_KEYS_INVALID', 'keys']);
    expect(await failure({ keys: many })).toEqual(['HUB_KEYS_INVALID', 'keys']);
    expect(await failure({ keys: [a, a] })).toEqual(['HUB_KEYS_INVALID', 'keys[1]']);
    expect(await failure({ ...a, d: 'AAAA' })).toEqual(['HUB_KEYS_INVALID', '$.d']);
    expect(await failure({ keys: [{ ...a, x: 'AA' }] })).toEqual(['HUB_KEYS_INVALID', 'keys[0].x']);
  });

  it('reads inline JSON or a file, and names an unreadable file', async () => {
    const a = await jwk(3);
    const inline = await readHubKeys(JSON.stringify({ keys: [a] }));
    expect(inline.ok && inline.value[0]?.kid).toBe(a.kid);
    const file = path.join(dir, 'hub-keys.json');
    await writeFile(file, JSON.stringify({ keys: [a] }));
    const fromFile = await readHubKeys(file);
    expect(fromFile.ok && fromFile.value[0]?.kid).toBe(a.kid);
    const missing = await readHubKeys(path.join(dir, 'absent.json'));
    expect(!missing.ok && [missing.error.code, missing.error.field]).toEqual([
      'FILE_UNREADABLE',
      'path',
    ]);
    const notJson = path.join(dir, 'not.json');
    await writeFile(notJson, 'keys');
    const bad = await readHubKeys(notJson);
    expect(!bad.ok && bad.error.code).toBe('HUB_KEYS_INVALID');
  });
});
