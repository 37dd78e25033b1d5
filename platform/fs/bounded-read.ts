/**
 * Reading a file named on the command line or in configuration (or any stream) without trusting
 * its size:
 * the bytes are counted as they are read, whatever the path is — a symlink to something large,
 * a FIFO or a device whose `stat` size means nothing — and reading stops past the limit.
 */
import { createReadStream } from 'node:fs';
import { PlatformError } from '../errors.js';

export class FileTooLargeError extends PlatformError<'FILE_TOO_LARGE'> {
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
 * The bytes of a stream — a file, stdin, an HTTP body (a web ReadableStream is async
 * iterable) — or `undefined` as soon as more than `maxBytes` arrived. Leaving the loop early
 * cancels the source, so nothing past the limit is read. Strings are taken as UTF-8.
 */
export async function collectBounded(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const part = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += part.length;
    if (size > maxBytes) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}

/**
 * The file's bytes, or FileTooLargeError as soon as more than `maxBytes` were read. Other
 * failures (ENOENT, EACCES, EISDIR) are thrown as Node reports them, with their `code`.
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  const bytes = await collectBounded(stream as AsyncIterable<Buffer>, maxBytes);
  if (bytes === undefined) throw new FileTooLargeError(path, maxBytes);
  return bytes;
}
