/**
 * An exclusive lock on a PGlite data directory. PGlite is PostgreSQL compiled to WASM with no
 * postmaster: nothing stops two processes from opening the same directory, and two writers
 * corrupt it. So a service takes this lock before it opens the directory and fails fast when
 * another live process holds it.
 *
 * The lock is a file `spx.lock` inside the data directory whose content names the holder
 * (`{"pid":…,"hostname":"…"}`). It is created atomically *with* its content: the record is
 * written to a private temporary file which is then hard-linked to the lock name; link(2)
 * fails with EEXIST when the name exists, so exactly one process wins and nobody ever reads a
 * half-written record (open 'wx' followed by write would leave an empty file if the process
 * died in between).
 *
 * A lock left by a process that died (no clean close) is taken over when its PID is no longer
 * alive on this host. A lock written on another host (a shared volume) cannot be checked and
 * is treated as held; so is an unreadable one: the operator removes it by hand.
 *
 * The directory holds officers' records (a node), an OPRF secret (a keyholder), the hub's
 * database: it is created with mode 0700, and an existing one that group or others may access
 * is refused (DATA_DIR_PERMISSIONS) before anything is written, rather than quietly chmodded,
 * since its files may already have been copied (docs/storage.md).
 */
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { PlatformError } from '../errors.js';
import { assertOwnerOnly } from '../fs/owner-only.js';

export const LOCK_FILE_NAME = 'spx.lock';

interface LockRecord {
  readonly pid: number;
  readonly hostname: string;
}

export class DatabaseLockedError extends PlatformError<'DB_LOCKED'> {
  /** The absolute data directory that is locked. */
  readonly dataDir: string;
  /** The holder named by the lock file, when it could be read. */
  readonly holder: LockRecord | undefined;

  constructor(dataDir: string, holder: LockRecord | undefined) {
    const who = holder
      ? `process ${holder.pid} on ${holder.hostname}`
      : `an unknown holder (unreadable ${LOCK_FILE_NAME}; remove it if no process uses the directory)`;
    super('DB_LOCKED', `PGlite data directory ${dataDir} is locked by ${who}`, {
      field: 'dataDir',
    });
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly lockPath: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** Identity written into the lock; defaults to this process. Tests inject others. */
  readonly pid?: number;
  readonly hostname?: string;
  /** Whether a PID is alive on this host; defaults to `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
}

/** Lock paths held (or being acquired) by this process: a second open here fails at once. */
const heldHere = new Set<string>();
let tmpCounter = 0;

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

/** Signal 0 checks existence without signalling; EPERM means it exists under another user. */
function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, 'EPERM');
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const { pid, hostname } = v as Record<string, unknown>;
    // pid 0 and negatives address process groups in kill(2): never accept them.
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
    if (typeof hostname !== 'string' || hostname === '') return undefined;
    return { pid, hostname };
  } catch {
    return undefined;
  }
}

/** The lock file's text, or undefined when it does not exist (any other error propagates). */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/** Atomically creates `lockPath` holding `content`; false when it already exists. */
async function tryCreate(lockPath: string, content: string, pid: number): Promise<boolean> {
  const tmp = `${lockPath}.${pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, content);
  try {
    await link(tmp, lockPath);
    return true;
  } catch (e) {
    if (isErrno(e, 'EEXIST')) return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Moves a stale lock aside. Between our read and the rename another process may already have
 * taken the lock over and written its own; then we moved *its* lock, so we put it back and
 * report the directory as locked by it.
 */
async function takeOver(lockPath: string, staleText: string, dataDir: string, pid: number) {
  const aside = `${lockPath}.stale.${pid}.${++tmpCounter}`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return; // already removed by someone else: just retry
    throw e;
  }
  const moved = (await readText(aside)) ?? '';
  if (moved !== staleText) {
    await link(aside, lockPath).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    throw new DatabaseLockedError(dataDir, parseRecord(moved));
  }
  await unlink(aside);
}

/**
 * Takes the lock on `dataDir` (created with mode 0700 if missing) or throws DatabaseLockedError
 * (DB_LOCKED) naming the directory and the holder, or PermissionsTooOpenError
 * (DATA_DIR_PERMISSIONS) when group or others may access the directory.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: LockOptions = {},
): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  const lockPath = path.join(dir, LOCK_FILE_NAME);
  const me: LockRecord = {
    pid: options.pid ?? process.pid,
    hostname: options.hostname ?? osHostname(),
  };
  const isAlive = options.isAlive ?? pidIsAlive;
  // Claimed synchronously, before any await, so two opens in one process cannot both pass.
  if (heldHere.has(lockPath)) throw new DatabaseLockedError(dir, me);
  heldHere.add(lockPath);
  const content = JSON.stringify(me);
  try {
    // 0700 applies to every folder mkdir creates here (the umask can only remove bits).
    await mkdir(dir, { recursive: true, mode: 0o700 });
    assertOwnerOnly('DATA_DIR_PERMISSIONS', dir, (await stat(dir)).mode);
    // Two rounds: the second follows a stale takeover (or a lock that vanished meanwhile).
    for (let round = 0; round < 2; round++) {
      if (await tryCreate(lockPath, content, me.pid)) return makeLock(dir, lockPath, content);
      const text = await readText(lockPath);
      if (text === undefined) continue;
      const holder = parseRecord(text);
      // Same PID and host but not held here: a previous incarnation that reused our PID
      // (a container's PID 1 after a restart), hence stale.
      const stale =
        holder !== undefined &&
        holder.hostname === me.hostname &&
        (holder.pid === me.pid || !isAlive(holder.pid));
      if (!stale) throw new DatabaseLockedError(dir, holder);
      await takeOver(lockPath, text, dir, me.pid);
    }
    throw new DatabaseLockedError(dir, parseRecord((await readText(lockPath)) ?? ''));
  } catch (e) {
    heldHere.delete(lockPath);
    throw e;
  }
}

function makeLock(dataDir: string, lockPath: string, content: string): DataDirLock {
  let released: Promise<void> | undefined;
  return {
    dataDir,
    lockPath,
    release() {
      released ??= (async () => {
        try {
          // Only remove what we wrote: never a lock someone else holds.
          if ((await readText(lockPath)) === content) await unlink(lockPath);
        } finally {
          heldHere.delete(lockPath);
        }
      })();
      return released;
    },
  };
}
