import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { migrationFolder } from './fixtures/migration-folders.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import { applyMigrations } from './migrate.js';
import { notesRepository } from './fixtures/notes-repository.js';
import * as tables from './fixtures/schema.js';
import { openDatabase } from './open.js';
import { createPglite, initdbInChild } from './pglite.js';

describe.skipIf(process.env['SPX_TEST_DATABASE_URL'])(
  'migrations and drizzle’s own migrator',
  () => {
    it('keep one journal, so either can carry on from the other', async () => {
      const client = await createPglite(undefined);
      try {
        const db = drizzle({ client });
        const ours = (folder: string) =>
          applyMigrations(db as unknown as Database<Record<string, unknown>>, {
            migrationsFolder: folder,
          });
        const firstOnly = await migrationFolder(1);
        expect(await ours(firstOnly)).toEqual({ applied: 1, total: 1 });
        await rm(firstOnly, { recursive: true, force: true });
        // drizzle's migrator sees 0000 as applied and applies only 0001 (else: "type exists").
        await migrate(db, { migrationsFolder: FIXTURE_MIGRATIONS });
        expect(await ours(FIXTURE_MIGRATIONS)).toEqual({ applied: 0, total: 2 });
        const { rows } = await client.query<{ n: number }>(
          'select count(*)::int as n from drizzle.__drizzle_migrations',
        );
        expect(rows[0]?.n).toBe(2);
        await db.execute(sql`select pinned from notes`);
      } finally {
        await client.close();
      }
    });
  },
);

describe.skipIf(process.env['SPX_TEST_DATABASE_URL'])('a lean PGlite (service processes)', () => {
  it('runs initdb of a new data directory in a child process and starts with small buffers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-lean-'));
    try {
      // No cluster before: the child creates it, then the process opens the existing one.
      expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
      const handle = await openDatabase(
        { kind: 'pglite', dataDir: dir },
        { migrationsFolder: FIXTURE_MIGRATIONS, tables, lean: true },
      );
      try {
        const settings = await handle.db.execute(
          sql`select name, setting from pg_settings
              where name in ('shared_buffers', 'max_connections') order by name`,
        );
        const rows = (settings as unknown as { rows: { name: string; setting: string }[] }).rows;
        // shared_buffers is in 8 kB pages: 1024 × 8 kB = 8 MB (PostgreSQL's default: 16384).
        expect(rows).toEqual([
          expect.objectContaining({ name: 'max_connections', setting: '5' }),
          expect.objectContaining({ name: 'shared_buffers', setting: '1024' }),
        ]);
        await notesRepository(handle.db).addAuthor('kept');
      } finally {
        await handle.close();
      }
      expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
      // Reopened (no initdb now), the data is there.
      const again = await openDatabase(
        { kind: 'pglite', dataDir: dir },
        { migrationsFolder: FIXTURE_MIGRATIONS, tables, lean: true },
      );
      try {
        expect(again.migrationsApplied).toBe(0);
        const authors = await again.db.select({ name: tables.authors.name }).from(tables.authors);
        expect(authors).toEqual([{ name: 'kept' }]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('reports a failed initdb in the child instead of starting on a half-made directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spx-lean-bad-'));
    try {
      await expect(initdbInChild(dir, ['shared_buffers=not-a-size'])).rejects.toThrow(
        /initdb in a child process failed/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
