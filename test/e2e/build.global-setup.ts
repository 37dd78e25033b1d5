/**
 * Builds dist/ once before the end-to-end suites: they start the services through bin/spx.mjs,
 * which runs the build, so a stale build would test old code. A clean build, as `npm pack` makes
 * (package.test.ts packs this dist/): no file of a deleted source is left in it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const built = spawnSync(process.execPath, ['bin/build.mjs', '--clean'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${String(built.status)})`);
}
