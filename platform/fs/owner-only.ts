/**
 * Files and folders that hold secrets or people's records must be private to the service's
 * user, as ssh insists for private keys: a key file that the group or others may read, or a
 * PGlite data folder that others may enter, is refused rather than used, and the message tells
 * the operator which chmod fixes it. One check for every such reader: the agency's and the
 * hub's signing-key files, the keyholder's KEK and share files, and the PGlite data folder.
 *
 * Windows has no POSIX permission bits (Node reports a synthesized mode), so the check is
 * skipped there; ACLs are the operator's business.
 */
import { open, writeFile } from 'node:fs/promises';
import { PlatformError } from '../errors.js';

/** FILE_PERMISSIONS for a secret file, DATA_DIR_PERMISSIONS for a PGlite data folder. */
export type PermissionsErrorCode = 'FILE_PERMISSIONS' | 'DATA_DIR_PERMISSIONS';

/** The group and other permission bits of `mode` (0 when private, and always 0 on Windows). */
export function groupOrOtherBits(mode: number, platform: string = process.platform): number {
  return platform === 'win32' ? 0 : mode & 0o077;
}

export class PermissionsTooOpenError extends PlatformError<PermissionsErrorCode> {
  /** The file or folder at fault, as given. */
  readonly path: string;
  /** Its permission bits (mode & 0o777). */
  readonly mode: number;

  constructor(code: PermissionsErrorCode, path: string, mode: number) {
    const octal = (mode & 0o777).toString(8);
    super(
      code,
      code === 'FILE_PERMISSIONS'
        ? `${path} is readable by others (mode ${octal}); chmod 600 it`
        : `the data folder ${path} is open to other users (mode ${octal}); chmod 700 it`,
      { field: code === 'FILE_PERMISSIONS' ? 'path' : 'dataDir' },
    );
    this.path = path;
    this.mode = mode & 0o777;
  }
}

export function isPermissionsTooOpenError(e: unknown): e is PermissionsTooOpenError {
  return e instanceof PermissionsTooOpenError;
}

/** Throws PermissionsTooOpenError(code) when `mode` gives the group or others any access. */
export function assertOwnerOnly(code: PermissionsErrorCode, path: string, mode: number): void {
  if (groupOrOtherBits(mode) !== 0) throw new PermissionsTooOpenError(code, path, mode);
}

/**
 * Reads a secret file as UTF-8, refusing one that group or others may access
 * (PermissionsTooOpenError, FILE_PERMISSIONS). The mode is taken from the open descriptor, so
 * the file checked is the file read. Other failures are the file system's errors, unchanged.
 */
export async function readOwnerOnlyFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    assertOwnerOnly('FILE_PERMISSIONS', path, (await handle.stat()).mode);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Creates a secret file with mode 0600 and `text`; never replaces an existing file. `wx` makes
 * "does it exist" and "create it" one atomic step, and the mode applies to the new file only.
 * Throws PlatformError FILE_EXISTS or FILE_UNWRITABLE (with the file system's error as cause).
 */
export async function writeNewOwnerOnlyFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') {
      throw new PlatformError('FILE_EXISTS', `${path} exists; not overwriting it`, {
        field: 'path',
      });
    }
    throw new PlatformError('FILE_UNWRITABLE', `cannot write ${path}`, { field: 'path', cause: e });
  }
}

/**
 * readOwnerOnlyFile for a service's secret file, every failure a PlatformError naming `field`
 * (the setting or flag that named the file): FILE_PERMISSIONS, or FILE_UNREADABLE with the
 * file system's error as cause.
 */
export async function readSecretFile(path: string, field = 'path'): Promise<string> {
  try {
    return await readOwnerOnlyFile(path);
  } catch (e) {
    if (isPermissionsTooOpenError(e)) {
      throw new PlatformError(e.code, e.message, { field, cause: e });
    }
    throw new PlatformError('FILE_UNREADABLE', `cannot read ${path}`, { field, cause: e });
  }
}
