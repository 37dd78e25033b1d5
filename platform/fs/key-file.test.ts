import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFileErrorCode, readKeyFile, writeNewKeyFile } from './key-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-key-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const rng = (n: number) => new Uint8Array(n).fill(3);

async function codeOf(p: Promise<unknown>): Promise<[string | undefined, unknown]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  return [keyFileErrorCode(e), (e as { field?: unknown } | undefined)?.field];
}

describe('key files on disk', () => {
  it('writes a new owner-only file that reads back as the same key', async () => {
    const file = path.join(dir, 'a.jwk');
    const written = await writeNewKeyFile(file, rng);
    expect((await readKeyFile(file)).kid).toBe(written.kid);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ kid: written.kid });
  });

  it('never replaces an existing file', async () => {
    const file = path.join(dir, 'taken.jwk');
    await writeFile(file, 'precious', { mode: 0o600 });
    expect(await codeOf(writeNewKeyFile(file, rng))).toEqual(['KEY_FILE_EXISTS', 'path']);
    expect(await readFile(file, 'utf8')).toBe('precious');
  });

  it('maps each failure to one KEY_FILE_* code', async () => {
    const open = path.join(dir, 'open.jwk');
    await writeNewKeyFile(open, rng);
    await chmod(open, 0o640);
    expect(await codeOf(readKeyFile(open))).toEqual(['KEY_FILE_PERMISSIONS', 'path']);
    expect(await codeOf(readKeyFile(path.join(dir, 'absent')))).toEqual([
      'KEY_FILE_UNREADABLE',
      'path',
    ]);
    const bad = path.join(dir, 'bad.jwk');
    await writeFile(bad, '{}', { mode: 0o600 });
    expect(await codeOf(readKeyFile(bad))).toEqual(['KEY_FILE_INVALID', 'kty']);
    expect(await codeOf(writeNewKeyFile(path.join(dir, 'no', 'such', 'dir'), rng))).toEqual([
      'KEY_FILE_UNREADABLE',
      'path',
    ]);
    expect(keyFileErrorCode(new Error('other'))).toBeUndefined();
  });
});
