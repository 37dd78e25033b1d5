/**
 * The PGlite data directory across real processes: a stand-in service
 * (fixtures/hold-data-dir.ts, run with node --import tsx) holds a directory while the test
 * process, and a second service process, try to open it; then SIGTERM and SIGKILL.
 * PGlite only: in the PostgreSQL vitest project there is no data directory to hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, type DatabaseLockedError } from './data-dir-lock.js';
import { notesRepository } from './fixtures/notes-repository.js';
import { FIXTURE_MIGRATIONS, HOLD_DATA_DIR_SCRIPT } from './fixtures/paths.js';
import * as tables from './fixtures/schema.js';
import { openDatabase } from './open.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

interface Service {
  readonly child: ChildProcess;
  /** The first line the service printed: `READY <pid>` or `FAILED <code>`. */
  readonly status: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startService(dataDir: string, author: string, note: string): Service {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOLD_DATA_DIR_SCRIPT, dataDir, author, note],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const status = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => /^(READY|FAILED) /.test(l));
      if (line) resolve(line);
    });
    void exited.then(({ code }) => reject(new Error(`service exited ${code}: ${out}${err}`)));
  });
  return { child, status, exited };
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'spx-proc-'));
  dirs.push(d);
  return d;
}

// Each test starts PGlite in up to three processes: seconds each on a loaded 2-core machine.
const SLOW_MS = 90_000;

describe.skipIf(process.env['SPX_TEST_DATABASE_URL'])(
  'a PGlite data directory across processes',
  () => {
    it(
      'refuses a second process with DB_LOCKED naming the directory and the holder, then reopens intact after SIGTERM',
      async () => {
        const dataDir = await tempDir();
        const holder = startService(dataDir, 'ada', 'held note');
        expect(await holder.status).toBe(`READY ${holder.child.pid}`);

        // This test process is a second process: it must fail fast, not open the directory.
        const err = (await openDatabase(
          { kind: 'pglite', dataDir },
          { migrationsFolder: FIXTURE_MIGRATIONS },
        ).catch((e: unknown) => e)) as DatabaseLockedError;
        expect(err.code).toBe('DB_LOCKED');
        expect(err.dataDir).toBe(path.resolve(dataDir));
        expect(err.holder?.pid).toBe(holder.child.pid);

        // So is another service process started on the same directory.
        const second = startService(dataDir, 'grace', 'never written');
        expect(await second.status).toBe('FAILED DB_LOCKED');
        expect((await second.exited).code).toBe(3);

        holder.child.kill('SIGTERM');
        expect(await holder.exited).toEqual({ code: 0, signal: null });
        expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);

        const reopened = await openDatabase(
          { kind: 'pglite', dataDir },
          { migrationsFolder: FIXTURE_MIGRATIONS, tables },
        );
        try {
          expect(reopened.migrationsApplied).toBe(0);
          const repo = notesRepository(reopened.db);
          expect((await repo.notesOf('ada')).map((n) => n.body)).toEqual(['held note']);
          expect(await repo.notesOf('grace')).toEqual([]);
        } finally {
          await reopened.close();
        }
      },
      SLOW_MS,
    );

    it(
      'takes over the lock of a service killed with SIGKILL and finds its committed rows',
      async () => {
        const dataDir = await tempDir();
        const victim = startService(dataDir, 'barbara', 'committed before the crash');
        expect(await victim.status).toBe(`READY ${victim.child.pid}`);
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true); // left behind

        const reopened = await openDatabase(
          { kind: 'pglite', dataDir },
          { migrationsFolder: FIXTURE_MIGRATIONS, tables },
        );
        try {
          const notes = await notesRepository(reopened.db).notesOf('barbara');
          expect(notes.map((n) => n.body)).toEqual(['committed before the crash']);
        } finally {
          await reopened.close();
        }
      },
      SLOW_MS,
    );
  },
);
