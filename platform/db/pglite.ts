/**
 * The embedded driver: PGlite (PostgreSQL in WASM) in a data directory, or in memory.
 *
 * Each instance needs PGlite's ~9 MB WASM compiled and its ~6 MB file-system bundle read; both
 * are done once per process and handed to every later instance through PGlite's own options
 * (`pgliteWasmModule`, `initdbWasmModule`, `fsBundle`). The larger cost of a *new* database,
 * initdb inside WASM (seconds), is what test-db.ts's templates avoid.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * PostgreSQL settings for a small, long-running service process (the agency node): 8 MB of
 * shared buffers instead of PostgreSQL's 128 MB, and room for 5 connections instead of 100
 * (PGlite serves one; the per-connection arrays are sized from max_connections). The WASM heap
 * never shrinks, so every buffer page PostgreSQL touches stays resident; with these the idle
 * process is ~100 MB smaller (docs/performance.md "Node"). The node's tables are small enough
 * that 8 MB of buffers (plus the operating system's page cache below them) keep them warm.
 */
export const LEAN_PGLITE_SETTINGS: readonly string[] = ['shared_buffers=8MB', 'max_connections=5'];

/** PGlite's own start parameters plus `-c name=value` for each of `settings`. */
export function pgliteStartParams(settings: readonly string[]): string[] {
  return [...PGlite.defaultStartParams, ...settings.flatMap((s) => ['-c', s])];
}

/** Whether `dataDir` already holds a PostgreSQL cluster (initdb has run there). */
function hasCluster(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * Runs initdb for `dataDir` in a child Node.js process, which then exits. initdb inside PGlite
 * needs a second WASM instance and a copy of the new cluster in memory; done in the serving
 * process, that peak (~300 MB) would stay as its resident size, since neither the V8 heap nor
 * WASM memory is handed back. The child runs the same PGlite package with the same settings.
 */
export async function initdbInChild(dataDir: string, settings: readonly string[]): Promise<void> {
  const entry = pathToFileURL(path.join(pgliteDistDir(), 'index.js')).href;
  const script = [
    `const { PGlite } = await import(${JSON.stringify(entry)});`,
    'const [dataDir, params] = JSON.parse(process.argv[1]);',
    'const pg = await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...params] });',
    'await pg.close();',
  ].join('\n');
  const params = settings.flatMap((s) => ['-c', s]);
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify([dataDir, params])],
    { stdio: ['ignore', 'ignore', 'pipe'], env: process.env },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : null)));
  });
  if (code !== 0 || !hasCluster(dataDir)) {
    throw new Error(`PGlite initdb in a child process failed (exit ${code}): ${stderr.trim()}`);
  }
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
    if (options.lean) {
      // A service process: initdb (if needed) in a child, lean settings, and no shared runtime
      // — its file-system bundle and compiled initdb module would stay in memory for nothing.
      if (lock !== undefined && !hasCluster(lock.dataDir)) {
        await initdbInChild(lock.dataDir, LEAN_PGLITE_SETTINGS);
      }
      client = await PGlite.create({
        ...(lock ? { dataDir: lock.dataDir } : {}),
        startParams: pgliteStartParams(LEAN_PGLITE_SETTINGS),
        ...options.pglite,
      });
    } else {
      client = await createPglite(lock?.dataDir, options.pglite);
    }
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
