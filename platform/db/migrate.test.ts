/**
 * Migrations at open, on the driver this vitest project selects (PGlite in a data directory,
 * or a fresh schema on SPX_TEST_DATABASE_URL), plus PostgreSQL-only behaviour: replicas that
 * start at once, and a service living in its own schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from './database.js';
import { migrationFolder as buildMigrationFolder } from './fixtures/migration-folders.js';
import { notesRepository } from './fixtures/notes-repository.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import * as tables from './fixtures/schema.js';
import { requalify } from './migrate.js';
import { openDatabase } from './open.js';

const url = process.env['SPX_TEST_DATABASE_URL'] || undefined;
const driver = url ? 'postgres' : 'pglite';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function migrationFolder(...args: Parameters<typeof buildMigrationFolder>): Promise<string> {
  const dir = await buildMigrationFolder(...args);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh place for a database that can be reopened: a data directory, or a schema. */
async function freshPlace(): Promise<DatabaseConfig> {
  if (url) {
    const schema = `spx_test_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
    cleanups.push(async () => {
      const client = postgres(url, { max: 1, onnotice: () => undefined });
      await client`drop schema if exists ${client(schema)} cascade`;
      await client.end();
    });
    return { kind: 'postgres', url, schema };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'spx-pglite-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return { kind: 'pglite', dataDir };
}

async function reject(
  p: Promise<unknown>,
): Promise<{ code?: string; field?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; field?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe(`migrations on ${driver}`, () => {
  it('applies only the migrations newer than the last one applied, and none on a reopen', async () => {
    const config = await freshPlace();
    const first = await openDatabase(config, {
      migrationsFolder: await migrationFolder(1),
      tables,
    });
    expect(first.migrationsApplied).toBe(1);
    // The repository knows the upgraded table; before the upgrade, plain SQL writes the row.
    const author = await notesRepository(first.db).addAuthor('before-upgrade');
    await first.db.execute(
      sql`insert into notes (author_id, body, created_at) values (${author}, 'kept', now())`,
    );
    await first.close();

    const upgraded = await openDatabase(config, { migrationsFolder: FIXTURE_MIGRATIONS, tables });
    expect(upgraded.migrationsApplied).toBe(1);
    const [note] = await notesRepository(upgraded.db).notesOf('before-upgrade');
    expect(note?.body).toBe('kept');
    expect(note?.pinned).toBe(false);
    await upgraded.close();

    const again = await openDatabase(config, { migrationsFolder: FIXTURE_MIGRATIONS, tables });
    expect(again.migrationsApplied).toBe(0);
    await again.close();
  });

  it('rolls a failing run back entirely and reports DB_MIGRATION_FAILED', async () => {
    const config = await freshPlace();
    const broken = await migrationFolder(1, {
      tag: '0001_broken',
      sql: 'ALTER TABLE "nope" ADD COLUMN "x" int;',
    });
    const err = await reject(openDatabase(config, { migrationsFolder: broken }));
    expect(err.code).toBe('DB_MIGRATION_FAILED');
    // 0000 ran in the same transaction: it is gone too, so a good folder applies it again.
    const ok = await openDatabase(config, { migrationsFolder: await migrationFolder(1) });
    expect(ok.migrationsApplied).toBe(1);
    await ok.close();
  });

  it('reports DB_MIGRATIONS_MISSING for a folder without a drizzle-kit journal', async () => {
    const config = await freshPlace();
    const empty = await mkdtemp(path.join(tmpdir(), 'spx-empty-'));
    cleanups.push(() => rm(empty, { recursive: true, force: true }));
    const err = await reject(openDatabase(config, { migrationsFolder: empty }));
    expect(err.code).toBe('DB_MIGRATIONS_MISSING');
    expect(err.field).toBe('migrationsFolder');
  });
});

describe('database configuration', () => {
  it.each(['Public', 'has-dash', '1st', 'a'.repeat(64), 'x"; drop table y; --', 'pg_temp'])(
    'rejects the schema name %j with DB_CONFIG_INVALID before connecting',
    async (schema) => {
      const err = await reject(
        openDatabase(
          { kind: 'postgres', url: 'postgres://u:p@127.0.0.1:1/db', schema },
          { migrationsFolder: FIXTURE_MIGRATIONS },
        ),
      );
      expect(err.code).toBe('DB_CONFIG_INVALID');
      expect(err.field).toBe('schema');
    },
  );

  it.each(['', 'not a url', 'mysql://u:pw@db/x'])(
    'rejects the URL %j with DB_CONFIG_INVALID, without echoing it',
    async (badUrl) => {
      const err = await reject(
        openDatabase({ kind: 'postgres', url: badUrl }, { migrationsFolder: FIXTURE_MIGRATIONS }),
      );
      expect([err.code, err.field]).toEqual(['DB_CONFIG_INVALID', 'url']);
      if (badUrl !== '') expect(err.message).not.toContain(badUrl);
    },
  );

  it('reports an unreachable server as DB_UNREACHABLE without revealing the password', async () => {
    const err = await reject(
      openDatabase(
        { kind: 'postgres', url: 'postgres://spx:s3cret-pw@127.0.0.1:1/hub' },
        { migrationsFolder: FIXTURE_MIGRATIONS },
      ),
    );
    expect(err.code).toBe('DB_UNREACHABLE');
    expect(err.message).toContain('127.0.0.1:1/hub');
    expect(err.message).not.toContain('s3cret-pw');
  });

  it('rewrites drizzle-kit\'s "public". qualifiers to the service schema, and only those', () => {
    const stmt =
      'ALTER TABLE "notes" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES "public"."authors"("id");';
    expect(requalify(stmt, 'hub')).toBe(stmt.replace('"public"."authors"', '"hub"."authors"'));
    expect(requalify(stmt, 'public')).toBe(stmt);
    expect(requalify('CREATE TABLE "public_notes" (x int);', 'hub')).toBe(
      'CREATE TABLE "public_notes" (x int);',
    );
  });
});

describe.runIf(url)('PostgreSQL only', () => {
  it('applies each migration exactly once when two replicas start at the same moment', async () => {
    const config = await freshPlace();
    const replicas = await Promise.all(
      [1, 2, 3].map(() => openDatabase(config, { migrationsFolder: FIXTURE_MIGRATIONS, tables })),
    );
    try {
      expect(replicas.map((r) => r.migrationsApplied).sort()).toEqual([0, 0, 2]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('starts as a role that may not create schemas, when its schema was created for it', async () => {
    const config = await freshPlace();
    if (config.kind !== 'postgres') throw new Error('unreachable');
    const role = 'spx_test_limited';
    const admin = postgres(url!, { max: 1, onnotice: () => undefined });
    try {
      const [exists] = await admin`select 1 from pg_roles where rolname = ${role}`;
      if (!exists) await admin`create role ${admin(role)} login`;
      await admin`create schema ${admin(config.schema!)} authorization ${admin(role)}`;
      const [mayCreate] = await admin<{ ok: boolean }[]>`
        select has_database_privilege(${role}, current_database(), 'CREATE') as ok`;
      expect(mayCreate?.ok).toBe(false); // else this test proves nothing
    } finally {
      await admin.end();
    }
    const limited = new URL(url!);
    limited.username = role;
    const h = await openDatabase(
      { ...config, url: limited.toString() },
      { migrationsFolder: FIXTURE_MIGRATIONS },
    );
    expect(h.migrationsApplied).toBe(2);
    await h.close();
  });

  it('keeps the tables, their foreign keys and the migrations journal inside the service schema', async () => {
    const config = await freshPlace();
    if (config.kind !== 'postgres') throw new Error('unreachable');
    const h = await openDatabase(config, { migrationsFolder: FIXTURE_MIGRATIONS, tables });
    await h.close();
    const client = postgres(url!, { max: 1 });
    try {
      const found = await client<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = ${config.schema!}
        order by table_name`;
      expect(found.map((r) => r.table_name)).toEqual(['__drizzle_migrations', 'authors', 'notes']);
      const [fk] = await client<{ target: string }[]>`
        select confrelid::regclass::text as target from pg_constraint
        where conname = 'notes_author_id_authors_id_fk' and connamespace = ${config.schema!}::regnamespace`;
      expect(fk?.target).toBe(`${config.schema}.authors`);
    } finally {
      await client.end();
    }
  });
});
