/**
 * The embedded driver: PGlite (PostgreSQL in WASM) in a data directory, or in memory.
 *
 * Each instance needs PGlite's ~9 MB WASM compiled and its ~6 MB file-system bundle read; both
 * are done once per process and handed to every later instance through PGlite's own options
 * (`pgliteWasmModule`, `initdbWasmModule`, `fsBundle`). The larger cost of a *new* database,
 * initdb inside WASM (seconds), is what test-db.ts's templates avoid.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { once, type Database, type DatabaseHandle, type OpenDatabaseOptions } from './database.js';
import { applyMigrations } from './migrate.js';

type RuntimeOptions = Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;

let runtime: Promise<RuntimeOptions> | undefined;

type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;

/**
 * Node has WebAssembly, but the project's `lib` (ES2023, no DOM) does not declare it: the
 * type-check of the tests saw it only through a dev dependency's types, the build does not.
 */
const wasm = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }
).WebAssembly;

/** The installed PGlite package's dist/ folder (its main entry lives there). */
export function pgliteDistDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
}

/**
 * PGlite's compiled modules and FS bundle, shared by every instance in this process. When the
 * package's files are not where expected, PGlite loads them itself (slower, same result).
 */
export function pgliteRuntime(): Promise<RuntimeOptions> {
  runtime ??= (async () => {
    try {
      const dist = pgliteDistDir();
      const [pglite, initdb, bundle] = await Promise.all([
        readFile(path.join(dist, 'pglite.wasm')),
        readFile(path.join(dist, 'initdb.wasm')),
        readFile(path.join(dist, 'pglite.data')),
      ]);
      return {
        pgliteWasmModule: await wasm.compile(pglite),
        initdbWasmModule: await wasm.compile(initdb),
        fsBundle: new Blob([bundle]),
      };
    } catch {
      return {};
    }
  })();
  return runtime;
}

/** Creates a PGlite instance with the shared runtime (no lock, no migrations). */
export async function createPglite(
  dataDir: string | undefined,
  extra: Omit<PGliteOptions, 'dataDir'> = {},
): Promise<PGlite> {
  const options: PGliteOptions = { ...(await pgliteRuntime()), ...extra };
  if (dataDir !== undefined) options.dataDir = dataDir;
  return PGlite.create(options);
}

export async function openPgliteDatabase<TSchema extends Record<string, unknown>>(
  dataDir: string | undefined,
  options: OpenDatabaseOptions<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  // The lock comes first: PGlite must never touch a directory another process has open.
  const lock: DataDirLock | undefined =
    dataDir === undefined ? undefined : await acquireDataDirLock(dataDir);
  let client: PGlite | undefined;
  try {
    client = await createPglite(lock?.dataDir, options.pglite);
    const db: Database<TSchema> = drizzle({ client, schema: options.tables });
    const { applied } = await applyMigrations(db as Database<Record<string, unknown>>, {
      migrationsFolder: options.migrationsFolder,
    });
    const opened = client;
    return {
      kind: 'pglite',
      db,
      location: lock ? `pglite:${lock.dataDir}` : 'pglite:memory',
      migrationsApplied: applied,
      close: once(async () => {
        try {
          await opened.close();
        } finally {
          await lock?.release();
        }
      }),
    };
  } catch (e) {
    await client?.close().catch(() => undefined);
    await lock?.release();
    throw e;
  }
}
