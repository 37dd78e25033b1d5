/**
 * `--state <file>`: reading the saved checkpoint, and replacing it atomically — written to a
 * temporary file beside it, flushed, then renamed over it, so a crash or a full disk leaves
 * either the old state or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../../platform/cli/cli-io.js';
import { isFileTooLargeError, readFileBounded } from '../../platform/fs/index.js';
import { parseAuditState, type AuditState } from './audit-state.js';

/** A state file is one note and a date: a few KiB. */
const MAX_STATE_BYTES = 64 * 1024;

const stateError = (message: string) =>
  new CliError('STATE_INVALID', `--state: ${message}`, { exitCode: 1 });

/** The saved state, or undefined when the file does not exist yet (a first audit). */
export async function readStateFile(path: string): Promise<AuditState | undefined> {
  let text: string;
  try {
    const bytes = await readFileBounded(path, MAX_STATE_BYTES);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    if (isFileTooLargeError(e)) throw stateError(`${path} is too large`);
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    if (e instanceof TypeError) throw stateError(`${path} is not UTF-8`);
    throw stateError(`cannot read ${path}`);
  }
  const parsed = parseAuditState(text);
  if (!parsed.ok) throw stateError(`${path}: ${parsed.error.field}: ${parsed.error.message}`);
  return parsed.value;
}

export async function writeStateFile(path: string, contents: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    throw new CliError('STATE_WRITE_FAILED', `--state: cannot write ${path}`, { exitCode: 1 });
  }
}
