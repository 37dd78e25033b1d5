import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectBounded, isFileTooLargeError, readFileBounded } from './bounded-read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spx-bounded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readFileBounded', () => {
  it('reads a file up to the limit, byte for byte', async () => {
    const path = join(dir, 'small');
    await writeFile(path, Buffer.from([1, 2, 3, 4]));
    expect([...(await readFileBounded(path, 4))]).toEqual([1, 2, 3, 4]);
  });

  it('refuses a file past the limit, also through a symlink (whose own size is small)', async () => {
    const big = join(dir, 'big');
    await writeFile(big, Buffer.alloc(300_000, 7));
    const link = join(dir, 'link');
    await symlink(big, link);
    for (const path of [big, link]) {
      const error = await readFileBounded(path, 200_000).catch((e: unknown) => e);
      expect(isFileTooLargeError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', maxBytes: 200_000 });
    }
  });

  it('passes other failures through with their code', async () => {
    await expect(readFileBounded(join(dir, 'absent'), 10)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('collectBounded', () => {
  it('joins chunks and strings, and stops reading an endless source past the limit', async () => {
    expect((await collectBounded(['ab', new Uint8Array([99])], 3))!.toString()).toBe('abc');
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1000);
      }
    }
    expect(await collectBounded(endless(), 10_000)).toBeUndefined();
    expect(pulled).toBe(11);
  });

  it('cancels an HTTP body it stops reading', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(4096)),
      cancel: () => void (cancelled = true),
    });
    expect(await collectBounded(new Response(body).body!, 10_000)).toBeUndefined();
    expect(cancelled).toBe(true);
  });
});
