/**
 * Reading a file named on the command line or in configuration without trusting its size:
 * the bytes are counted as they are read, whatever the path is — a symlink to something large,
 * a FIFO or a device whose `stat` size means nothing — and reading stops past the limit.
 */
import { createReadStream } from 'node:fs';
import { PlatformError } from '../errors.js';

export class FileTooLargeError extends PlatformError<'FILE_TOO_LARGE'> {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super('FILE_TOO_LARGE', `${path} is larger than ${maxBytes} bytes`);
  }
}

export function isFileTooLargeError(e: unknown): e is FileTooLargeError {
  return e instanceof FileTooLargeError;
}

/**
 * The file's bytes, or FileTooLargeError as soon as more than `maxBytes` were read. Other
 * failures (ENOENT, EACCES, EISDIR) are thrown as Node reports them, with their `code`.
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const part = chunk as Buffer;
    size += part.length;
    if (size > maxBytes) throw new FileTooLargeError(path, maxBytes);
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}
