import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { migrationFolder } from './fixtures/migration-folders.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import { applyMigrations } from './migrate.js';
import { createPglite } from './pglite.js';

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
