/**
 * How a department with no developer installs a node (deploy/README.md, "Installing from the
 * package"): the packed tarball, installed with `npm install --omit=dev` in an empty folder —
 * no TypeScript, no tsx, no repository — runs `spx --help` and `spx node serve`, and the node
 * answers its health and status endpoints. Needs the npm registry for the production
 * dependencies. The tarball is packed from the dist/ the global set-up built (--ignore-scripts:
 * `npm pack` would otherwise rebuild dist/ under the other suites' running services).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpx, startService, type ServiceProcess } from '../../bin/demo/processes.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let installed: string;
let spx: string;
let packed: string[];
let node: ServiceProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-package-'));
  const { stdout } = await exec(
    npm,
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    { cwd: ROOT },
  );
  const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = pack!.files.map((f) => f.path);
  installed = path.join(dir, 'install');
  await mkdir(installed);
  await exec(
    npm,
    ['install', '--omit=dev', '--no-audit', '--no-fund', path.join(dir, pack!.filename)],
    { cwd: installed },
  );
  spx = path.join(installed, 'node_modules', 'safe-policing-exchange', 'bin', 'spx.mjs');
}, 600_000);

afterAll(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built code and the migrations, and no sources, tests or demo', () => {
    expect(packed).toContain('bin/spx.mjs');
    expect(packed).toContain('dist/bin/spx.js');
    expect(packed).toContain('dist/node/migrations/meta/_journal.json');
    expect(packed).toContain('dist/hub/migrations/meta/_journal.json');
    expect(packed).toContain('dist/keyholder/migrations/meta/_journal.json');
    const stray = packed.filter(
      (f) =>
        !(f.startsWith('dist/') || ['bin/spx.mjs', 'package.json', 'README.md'].includes(f)) ||
        /\.test\.js$|\.ts$|test-support|^dist\/bin\/demo\/|_snapshot\.json$/.test(f),
    );
    expect(stray).toEqual([]);
  });

  it('installs without the development tools', () => {
    const modules = path.join(installed, 'node_modules');
    expect(existsSync(path.join(modules, 'hono'))).toBe(true);
    for (const dev of ['tsx', 'typescript', 'vitest', 'drizzle-kit']) {
      expect(existsSync(path.join(modules, dev)), dev).toBe(false);
    }
  });

  it('runs `spx --help`', async () => {
    const r = await runSpx(['--help'], {}, spx);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+node\b/m);
    expect(r.stdout).toMatch(/^\s+hub\b/m);
  });

  it('runs `spx node serve`, which answers its health and, with the admin token, its status', async () => {
    const keyFile = path.join(dir, 'agency-key.json');
    const keygen = await runSpx(['node', 'keygen', '--out', keyFile], {}, spx);
    expect(keygen.code, keygen.stderr).toBe(0);
    const token = 'package-test-admin-token-0123456789abcdef';
    node = await startService({
      name: 'installed-node',
      command: spx,
      args: ['node', 'serve'],
      logFile: path.join(dir, 'node.log'),
      env: {
        SPX_DATA_DIR: path.join(dir, 'node-data'),
        SPX_NODE_ORI: 'NM0019900',
        SPX_NODE_KEY_FILE: keyFile,
        SPX_NODE_ADMIN_TOKEN: token,
        SPX_NODE_PORT: '0',
      },
    });
    const health = await fetch(`${node.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${node.url}/v1/status`)).status).toBe(401);
    const status = await fetch(`${node.url}/v1/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    expect(await node.stop()).toBe(0);
    node = undefined;
  });
});
