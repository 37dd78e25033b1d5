import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOrOtherBits, PermissionsTooOpenError, readOwnerOnlyFile } from './owner-only.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-owner-only-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function refusal(file: string): Promise<PermissionsTooOpenError | undefined> {
  return readOwnerOnlyFile(file).then(
    () => undefined,
    (e: unknown) => e as PermissionsTooOpenError,
  );
}

describe('owner-only files', () => {
  it('reads a file only its owner may access (0600, 0400)', async () => {
    const file = path.join(dir, 'private');
    await writeFile(file, 'secret\n', { mode: 0o600 });
    expect(await readOwnerOnlyFile(file)).toBe('secret\n');
    await chmod(file, 0o400);
    expect(await readOwnerOnlyFile(file)).toBe('secret\n');
  });

  it.each(['644', '640', '604', '620', '602', '610'])(
    'refuses mode %s with FILE_PERMISSIONS, saying which chmod fixes it',
    async (octal) => {
      const file = path.join(dir, `open-${octal}`);
      await writeFile(file, 'secret\n');
      await chmod(file, parseInt(octal, 8));
      const e = await refusal(file);
      expect(e).toBeInstanceOf(PermissionsTooOpenError);
      expect([e?.code, e?.field, e?.mode]).toEqual([
        'FILE_PERMISSIONS',
        'path',
        parseInt(octal, 8),
      ]);
      expect(e?.message).toBe(`${file} is readable by others (mode ${octal}); chmod 600 it`);
      expect(e?.message).not.toContain('secret');
    },
  );

  it('checks the file a symbolic link leads to, not the link', async () => {
    const target = path.join(dir, 'target');
    await writeFile(target, 'secret\n');
    await chmod(target, 0o644);
    const link = path.join(dir, 'link');
    await symlink(target, link); // links themselves are 0777 on Linux
    expect((await refusal(link))?.code).toBe('FILE_PERMISSIONS');
    await chmod(target, 0o600);
    expect(await readOwnerOnlyFile(link)).toBe('secret\n');
  });

  it('passes the file system error through for a missing file', async () => {
    await expect(readOwnerOnlyFile(path.join(dir, 'missing'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('ignores permission bits on Windows, which has no POSIX modes', () => {
    expect(groupOrOtherBits(0o100644, 'linux')).toBe(0o044);
    expect(groupOrOtherBits(0o100666, 'win32')).toBe(0);
  });
});
