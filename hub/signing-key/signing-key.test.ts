import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStatement, verifyStatement } from '../../crypto/signing/index.js';
import { HubError } from '../errors.js';
import { seededRng } from '../test-support.js';
import {
  hubJwks,
  readSigningKeyFile,
  signingKeyFromFileJson,
  writeNewSigningKeyFile,
} from './signing-key.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-hub-key-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<[string, string | undefined]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof HubError)) throw new Error(`expected a HubError, got ${String(e)}`);
  return [e.code, e.field];
}

describe('the hub signing key file', () => {
  it('round-trips: a written key signs statements that its published JWK Set verifies', async () => {
    const file = path.join(dir, 'roundtrip.json');
    const written = await writeNewSigningKeyFile(file, seededRng('key'));
    const key = await readSigningKeyFile(file);
    expect(key.kid).toBe(written.kid);
    const jws = await signStatement({ hello: 'world' }, { typ: 'spx-check-response+jws', key });
    const [published] = hubJwks([key]).keys;
    expect(published).toMatchObject({ kid: key.kid, alg: 'Ed25519', use: 'sig' });
    expect(published).not.toHaveProperty('d');
    const result = await verifyStatement(jws, {
      typ: 'spx-check-response+jws',
      resolveKey: (kid) =>
        kid === published!.kid ? { kty: 'OKP', crv: 'Ed25519', x: published!.x } : undefined,
    });
    expect(result.ok).toBe(true);
  });

  it('refuses a file that others may read', async () => {
    const file = path.join(dir, 'open.json');
    await writeNewSigningKeyFile(file, seededRng('open'));
    await chmod(file, 0o644);
    expect(await codeOf(readSigningKeyFile(file))).toEqual(['KEY_FILE_PERMISSIONS', 'path']);
  });

  it('refuses a missing file', async () => {
    expect(await codeOf(readSigningKeyFile(path.join(dir, 'absent.json')))).toEqual([
      'KEY_FILE_UNREADABLE',
      'path',
    ]);
  });

  it('refuses files whose members are wrong or whose halves disagree', async () => {
    const file = path.join(dir, 'valid.json');
    await writeNewSigningKeyFile(file, seededRng('valid'));
    const { readFile } = await import('node:fs/promises');
    const good = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    const other = JSON.parse(
      await (async () => {
        const f = path.join(dir, 'other.json');
        await writeNewSigningKeyFile(f, seededRng('other'));
        return readFile(f, 'utf8');
      })(),
    ) as Record<string, string>;
    const cases: [string, [string, string]][] = [
      ['not json', ['KEY_FILE_INVALID', '$']],
      [JSON.stringify({ ...good, x: other['x'] }), ['KEY_FILE_INVALID', 'x']],
      [JSON.stringify({ ...good, kid: other['kid'] }), ['KEY_FILE_INVALID', 'kid']],
      [JSON.stringify({ ...good, d: 'AAAA' }), ['KEY_FILE_INVALID', 'd']],
      [JSON.stringify({ ...good, crv: 'X25519' }), ['KEY_FILE_INVALID', 'crv']],
      [JSON.stringify({ ...good, use: 'sig' }), ['KEY_FILE_INVALID', 'use']],
    ];
    for (const [text, expected] of cases) {
      expect(await codeOf(signingKeyFromFileJson(text))).toEqual(expected);
    }
    // Without x and kid, d alone is enough.
    const { d, kty, crv } = good;
    expect((await signingKeyFromFileJson(JSON.stringify({ kty, crv, d }))).kid).toBe(good['kid']);
  });

  it('never overwrites an existing file', async () => {
    const file = path.join(dir, 'taken.json');
    await writeFile(file, 'precious', { mode: 0o600 });
    expect(await codeOf(writeNewSigningKeyFile(file, seededRng('x')))).toEqual([
      'KEY_FILE_EXISTS',
      'path',
    ]);
  });
});
