#!/usr/bin/env node
// `npm run build`: compiles the services and the CLI to dist/ (tsconfig.build.json), then copies
// each service's drizzle migrations next to the compiled module that finds them through
// import.meta.url (hub/server.ts, node/store/database.ts, keyholder/paths.ts), so dist/ runs
// with the same relative paths as the source. `--clean` first deletes dist/: `npm pack` uses it,
// so a file whose source was deleted cannot ship; without it tsc rebuilds only what changed.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const MIGRATIONS = ['hub/migrations', 'node/migrations', 'keyholder/migrations'];

const unknown = process.argv.slice(2).filter((a) => a !== '--clean');
if (unknown.length > 0) {
  process.stderr.write(`build: unknown option ${unknown[0]} (options: --clean)\n`);
  process.exit(2);
}
if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const folder of MIGRATIONS) {
  // The migrator reads meta/_journal.json and the .sql files; the snapshots are drizzle-kit's.
  cpSync(`${root}${folder}`, `${dist}/${folder}`, {
    recursive: true,
    filter: (source) => !source.endsWith('_snapshot.json'),
  });
}
