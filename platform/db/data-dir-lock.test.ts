import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionsTooOpenError } from '../fs/owner-only.js';
import type { DatabaseLockedError } from './data-dir-lock.js';
import { acquireDataDirLock, LOCK_FILE_NAME } from './data-dir-lock.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'spx-lock-'));
  dirs.push(d);
  return d;
}
async function lockError(dataDir: string, options = {}): Promise<DatabaseLockedError> {
  try {
    const lock = await acquireDataDirLock(dataDir, options);
    await lock.release();
  } catch (e) {
    return e as DatabaseLockedError;
  }
  throw new Error('expected DB_LOCKED');
}
/** The PID of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('PGlite data-directory lock', () => {
  it('creates the directory and a lock file naming this process', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const lock = await acquireDataDirLock(dataDir);
    const record = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE_NAME), 'utf8'));
    expect(record).toEqual({ pid: process.pid, hostname: hostname() });
    await lock.release();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('creates missing folders with mode 0700 even under a permissive umask', async () => {
    const base = await tempDir();
    const previous = process.umask(0o022);
    try {
      const lock = await acquireDataDirLock(path.join(base, 'nested', 'data'));
      await lock.release();
    } finally {
      process.umask(previous);
    }
    expect((await stat(path.join(base, 'nested'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(base, 'nested', 'data'))).mode & 0o777).toBe(0o700);
  });

  it.each(['755', '750', '701'])(
    'refuses a directory with mode %s with DATA_DIR_PERMISSIONS, writing nothing into it',
    async (octal) => {
      const dataDir = await tempDir();
      await chmod(dataDir, parseInt(octal, 8));
      const err = (await acquireDataDirLock(dataDir).then(
        () => undefined,
        (e: unknown) => e,
      )) as PermissionsTooOpenError | undefined;
      expect([err?.code, err?.field]).toEqual(['DATA_DIR_PERMISSIONS', 'dataDir']);
      expect(err?.message).toContain('chmod 700');
      expect(err?.message).toContain(path.resolve(dataDir));
      expect(await readdir(dataDir)).toEqual([]);
      await chmod(dataDir, 0o700);
      await (await acquireDataDirLock(dataDir)).release(); // fixed as the message says: opens
    },
  );

  it('refuses a second lock in the same process with DB_LOCKED naming the directory', async () => {
    const dataDir = await tempDir();
    const lock = await acquireDataDirLock(dataDir);
    const err = await lockError(dataDir);
    expect(err.code).toBe('DB_LOCKED');
    expect(err.field).toBe('dataDir');
    expect(err.dataDir).toBe(path.resolve(dataDir));
    expect(err.message).toContain(path.resolve(dataDir));
    expect(err.holder?.pid).toBe(process.pid);
    await lock.release();
    await (await acquireDataDirLock(dataDir)).release();
  });

  it('lets exactly one of several simultaneous acquisitions win', async () => {
    const dataDir = await tempDir();
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => acquireDataDirLock(dataDir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as DatabaseLockedError).code).toBe('DB_LOCKED');
    }
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });

  it('respects a lock held by another live process on this host', async () => {
    const dataDir = await tempDir();
    const holder = { pid: process.ppid, hostname: hostname() };
    await writeFile(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify(holder));
    const err = await lockError(dataDir);
    expect(err.code).toBe('DB_LOCKED');
    expect(err.holder).toEqual(holder);
  });

  it('takes over a stale lock left by a process that is no longer alive', async () => {
    const dataDir = await tempDir();
    const stale = { pid: deadPid(), hostname: hostname() };
    await writeFile(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify(stale));
    const lock = await acquireDataDirLock(dataDir);
    const record = JSON.parse(await readFile(lock.lockPath, 'utf8'));
    expect(record.pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dataDir)).toEqual([]); // no temporary or set-aside files remain
  });

  it('treats a lock with our own PID that this process does not hold as stale (a restarted container)', async () => {
    const dataDir = await tempDir();
    await writeFile(
      path.join(dataDir, LOCK_FILE_NAME),
      JSON.stringify({ pid: process.pid, hostname: hostname() }),
    );
    await (await acquireDataDirLock(dataDir)).release();
  });

  it('respects a lock from another host, whose PID cannot be checked', async () => {
    const dataDir = await tempDir();
    const holder = { pid: deadPid(), hostname: `not-${hostname()}` };
    await writeFile(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify(holder));
    const err = await lockError(dataDir);
    expect(err.code).toBe('DB_LOCKED');
    expect(err.holder).toEqual(holder);
  });

  it.each(['', 'garbage', '{"pid":0,"hostname":"h"}', '{"pid":-1,"hostname":"h"}', '{"pid":1.5}'])(
    'respects an unreadable lock %j and says how to clear it',
    async (content) => {
      const dataDir = await tempDir();
      await writeFile(path.join(dataDir, LOCK_FILE_NAME), content);
      const err = await lockError(dataDir);
      expect(err.code).toBe('DB_LOCKED');
      expect(err.holder).toBeUndefined();
      expect(err.message).toContain(LOCK_FILE_NAME);
    },
  );

  it('releases idempotently and never removes a lock that is no longer its own', async () => {
    const dataDir = await tempDir();
    const lock = await acquireDataDirLock(dataDir);
    const other = JSON.stringify({ pid: process.ppid, hostname: hostname() });
    await writeFile(lock.lockPath, other); // an operator or another process replaced it
    await Promise.all([lock.release(), lock.release()]);
    expect(await readFile(lock.lockPath, 'utf8')).toBe(other);
  });
});
