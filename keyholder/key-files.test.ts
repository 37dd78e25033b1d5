import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/encoding.js';
import { deriveKeyPair, splitKey } from '../crypto/oprf/index.js';
import { kekFromBytes, loadKekFile, openSecret, sealSecret, writeKekFile } from './kek.js';
import { checkNewKeyRecord } from './key-repository.js';
import {
  parseSeed,
  parseShareFile,
  readShareFile,
  shareFileOf,
  writeShareFile,
} from './key-files.js';
import { rng } from './test-fixtures.js';

const seed = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('seed files', () => {
  it('reads 64 hex digits or 43 base64url characters, ignoring surrounding space', () => {
    const hex = Buffer.from(seed).toString('hex');
    expect(parseSeed(`  ${hex}\n`)).toEqual(seed);
    expect(parseSeed(Buffer.from(seed).toString('base64url'))).toEqual(seed);
  });

  it.each(['', 'abc', '00'.repeat(31), 'zz'.repeat(32), 'AAAA'])(
    'refuses %j with SEED_FILE_INVALID naming the flag',
    (text) => {
      expect(() => parseSeed(text)).toThrow(
        expect.objectContaining({ code: 'SEED_FILE_INVALID', field: '--seed-file' }),
      );
    },
  );
});

describe('share files', () => {
  const { keySet, shares } = splitKey(deriveKeyPair(seed, 3), 2, 3, rng);
  const record = {
    key: shares[1]!,
    threshold: 2,
    groupPublicKey: keySet.publicKey,
    publicShares: keySet.publicShares,
  };

  it('round-trip a share with its key set, which still checks out', () => {
    const parsed = parseShareFile(JSON.stringify(shareFileOf(record)));
    expect(parsed).toEqual(record);
    expect(() => checkNewKeyRecord(parsed)).not.toThrow();
  });

  it('are written with mode 0600 and never replaced', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-share-'));
    const file = path.join(dir, 'share.json');
    await writeShareFile(file, record);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(writeShareFile(file, record)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(parseShareFile(await readFile(file, 'utf8'))).toEqual(record);
  });

  it('are read only when no one but the owner may read them (KEY_FILE_PERMISSIONS)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-share-'));
    const file = path.join(dir, 'share.json');
    await writeShareFile(file, record);
    expect(await readShareFile(file)).toEqual(record);
    await chmod(file, 0o640);
    const e = await readShareFile(file, '--file').then(
      () => undefined,
      (err: unknown) => err as { code: string; field: string; message: string },
    );
    expect([e?.code, e?.field]).toEqual(['KEY_FILE_PERMISSIONS', '--file']);
    expect(e?.message).toContain('chmod 600');
    expect(e?.message).not.toContain(shareFileOf(record).secretKey);
    await expect(readShareFile(path.join(dir, 'missing'))).rejects.toMatchObject({
      code: 'SHARE_FILE_INVALID',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown member', JSON.stringify({ ...shareFileOf(record), note: 'x' })],
    ['another type', JSON.stringify({ ...shareFileOf(record), type: 'spx-other' })],
    ['a short secret', JSON.stringify({ ...shareFileOf(record), secretKey: 'AAAA' })],
  ])('refuses %s with SHARE_FILE_INVALID', (_, text) => {
    expect(() => parseShareFile(text)).toThrow(
      expect.objectContaining({ code: 'SHARE_FILE_INVALID', field: '--file' }),
    );
  });
});

describe('key-encryption key', () => {
  const aad = utf8('record 1');

  it('seals so that only the same KEK and the same associated data open', async () => {
    const kek = await kekFromBytes(new Uint8Array(32).fill(1));
    const other = await kekFromBytes(new Uint8Array(32).fill(2));
    const sealed = await sealSecret(kek, seed, aad, rng);
    expect(await openSecret(kek, sealed, aad)).toEqual(seed);
    await expect(openSecret(other, sealed, aad)).rejects.toMatchObject({ code: 'KEK_MISMATCH' });
    await expect(openSecret(kek, sealed, utf8('record 2'))).rejects.toMatchObject({
      code: 'KEK_MISMATCH',
    });
    expect(kek.id).not.toBe(other.id);
  });

  it('uses a fresh IV for every seal', async () => {
    const kek = await kekFromBytes(new Uint8Array(32).fill(1));
    expect(await sealSecret(kek, seed, aad, rng)).not.toBe(await sealSecret(kek, seed, aad, rng));
  });

  it('refuses a malformed sealed value', async () => {
    const kek = await kekFromBytes(new Uint8Array(32).fill(1));
    await expect(openSecret(kek, 'abc', aad)).rejects.toMatchObject({
      code: 'KEY_RECORD_INVALID',
    });
  });

  it('writes a 0600 file that loads back to the same KEK, and refuses a bad file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-kek-'));
    const file = path.join(dir, 'kek');
    const written = await writeKekFile(file, new Uint8Array(32).fill(5));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadKekFile(file, 'SPX_KEYHOLDER_KEK_FILE')).id).toBe(written.id);
    await writeFile(path.join(dir, 'bad'), 'too short\n', { mode: 0o600 });
    await expect(loadKekFile(path.join(dir, 'bad'), 'X')).rejects.toMatchObject({
      code: 'KEK_INVALID',
      field: 'X',
    });
    await expect(loadKekFile(path.join(dir, 'missing'), 'X')).rejects.toMatchObject({
      code: 'KEK_INVALID',
    });
  });

  it('refuses a KEK file that group or others may read, naming the setting', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-kek-'));
    const file = path.join(dir, 'kek');
    await writeKekFile(file, new Uint8Array(32).fill(6));
    for (const mode of [0o644, 0o604, 0o660]) {
      await chmod(file, mode);
      await expect(loadKekFile(file, 'SPX_KEYHOLDER_KEK_FILE')).rejects.toMatchObject({
        code: 'KEY_FILE_PERMISSIONS',
        field: 'SPX_KEYHOLDER_KEK_FILE',
        message: expect.stringContaining(`(mode ${mode.toString(8)}); chmod 600 it`),
      });
    }
  });
});
