/**
 * Test databases: the same test code runs on PGlite and on PostgreSQL (docs/storage.md).
 *
 * - `SPX_TEST_DATABASE_URL` unset: a fresh in-memory PGlite. Creating one runs initdb inside
 *   WASM (seconds), so a migrated *template* is built once per migrations folder, its data
 *   directory dumped (kept in memory and in the OS temp folder, keyed by content), and every
 *   open loads that dump instead (about a third of the time, and no migrations to replay).
 * - `SPX_TEST_DATABASE_URL` set: a fresh schema with a random name on that server, with
 *   search_path set to it and the migrations applied into it; `close()` drops it. Schemas left
 *   by killed runs are swept once per process when older than a day (the creation time is in
 *   the name).
 *
 * Either way each call gets its own empty, migrated database: suites never see each other's
 * rows or leftovers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { once, type Database, type DatabaseHandle } from './database.js';
import { applyMigrations } from './migrate.js';
import { createPglite, openPgliteDatabase, pgliteDistDir } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';

export const TEST_DATABASE_URL_VARIABLE = 'SPX_TEST_DATABASE_URL';
export const TEST_SCHEMA_PREFIX = 'spx_test_';
const SWEEP_AFTER_MS = 24 * 60 * 60 * 1000;
/** Bumped when the template's making changes in a way the cache key does not see. */
const TEMPLATE_FORMAT = 1;

export interface TestDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** drizzle's `schema` option, for `db.query.*`. */
  readonly tables?: TSchema;
  /** Where to read SPX_TEST_DATABASE_URL from; defaults to this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const templates = new Map<string, Promise<Blob>>();

/**
 * Where a template is kept between processes: vitest runs each test file in its own worker,
 * and rebuilding the template there would cost a fresh initdb per file. The name hashes the
 * PGlite version and every migration (drizzle's content hash and journal time), so any change
 * to either builds a new one.
 */
async function templateCachePath(migrationsFolder: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(
      await readFile(path.join(pgliteDistDir(), '..', 'package.json'), 'utf8'),
    ) as { version?: unknown };
    const migrations = readMigrationFiles({ migrationsFolder }).map((m) => [
      m.hash,
      m.folderMillis,
    ]);
    const key = createHash('sha256')
      .update(JSON.stringify([TEMPLATE_FORMAT, pkg.version, migrations]))
      .digest('hex');
    return path.join(tmpdir(), 'spx-pglite-templates', `${key}.tar`);
  } catch {
    return undefined; // no cache: applyMigrations below reports a bad folder properly
  }
}

async function buildTemplate(migrationsFolder: string): Promise<Blob> {
  const client = await createPglite(undefined);
  try {
    const db = drizzle({ client }) as Database<Record<string, unknown>>;
    await applyMigrations(db, { migrationsFolder });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

/** A migrated in-memory PGlite's data directory as a tarball, built once per folder. */
function pgliteTemplate(migrationsFolder: string): Promise<Blob> {
  let template = templates.get(migrationsFolder);
  if (!template) {
    template = (async () => {
      const cached = await templateCachePath(migrationsFolder);
      if (cached) {
        const bytes = await readFile(cached).catch(() => undefined);
        if (bytes) return new Blob([bytes]);
      }
      const blob = await buildTemplate(migrationsFolder);
      if (cached) {
        // Written aside then renamed: a concurrent reader sees the whole file or none.
        const tmp = `${cached}.${process.pid}.tmp`;
        await mkdir(path.dirname(cached), { recursive: true });
        await writeFile(tmp, new Uint8Array(await blob.arrayBuffer()));
        await rename(tmp, cached);
      }
      return blob;
    })();
    // A failed build is not cached: the next call reports the real error again.
    template.catch(() => templates.delete(migrationsFolder));
    templates.set(migrationsFolder, template);
  }
  return template;
}

let swept: Promise<void> | undefined;

/** Drops test schemas older than a day, left behind by runs that were killed. */
function sweepStaleSchemas(url: string, nowMs: number): Promise<void> {
  swept ??= (async () => {
    const client = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      const rows = await client<{ nspname: string }[]>`
        select nspname from pg_namespace where starts_with(nspname, ${TEST_SCHEMA_PREFIX})`;
      for (const { nspname } of rows) {
        const created = parseInt(nspname.slice(TEST_SCHEMA_PREFIX.length).split('_')[0]!, 36);
        if (Number.isFinite(created) && nowMs - created > SWEEP_AFTER_MS) {
          await client`drop schema if exists ${client(nspname)} cascade`;
        }
      }
    } finally {
      await client.end({ timeout: 5 });
    }
  })();
  return swept;
}

export function testSchemaName(nowMs: number, random: Uint8Array): string {
  return `${TEST_SCHEMA_PREFIX}${nowMs.toString(36)}_${Buffer.from(random).toString('hex')}`;
}

export async function openTestDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
>(
  migrationsFolder: string,
  options: TestDatabaseOptions<TSchema> = {},
): Promise<DatabaseHandle<TSchema>> {
  const env = options.env ?? process.env;
  const url = env[TEST_DATABASE_URL_VARIABLE];
  const base = { migrationsFolder, ...(options.tables ? { tables: options.tables } : {}) };
  if (url === undefined || url === '') {
    const loadDataDir = await pgliteTemplate(migrationsFolder);
    return openPgliteDatabase(undefined, { ...base, pglite: { loadDataDir } });
  }
  const nowMs = Date.now();
  await sweepStaleSchemas(url, nowMs);
  const schema = testSchemaName(nowMs, randomBytes(6));
  // A small pool: many suites run in parallel against one server's max_connections.
  const handle = await openPostgresDatabase(url, schema, { ...base, maxConnections: 3 });
  return {
    ...handle,
    close: once(async () => {
      try {
        await handle.db.execute(sql`drop schema if exists ${sql.identifier(schema)} cascade`);
      } finally {
        await handle.close();
      }
    }),
  };
}
