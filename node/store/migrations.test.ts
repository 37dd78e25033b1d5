import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { NODE_MIGRATIONS_FOLDER } from './database.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Schema-only: runs once, in the PGlite project (the PostgreSQL run would repeat it).
it.skipIf(process.env['SPX_TEST_DATABASE_URL'])(
  'has committed migrations that match the schema (drizzle-kit generates nothing new)',
  async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'spx-node-migrations-'));
    try {
      await cp(NODE_MIGRATIONS_FOLDER, copy, { recursive: true });
      const before = await readdir(copy);
      // drizzle-kit prefixes --out with "./", so it is given relative to the repository root.
      const out = path.relative(ROOT, copy);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/drizzle-kit/bin.cjs'),
          'generate',
          '--dialect=postgresql',
          '--schema=./node/store/schema.ts',
          `--out=${out}`,
        ],
        { cwd: ROOT },
      );
      expect(await readdir(copy)).toEqual(before);
      expect(stdout).toContain('No schema changes');
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  },
  60_000,
);
