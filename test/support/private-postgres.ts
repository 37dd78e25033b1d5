/**
 * A PostgreSQL cluster of a test's own, which it may stop, restart or kill without disturbing
 * anyone else's server (the shared one on 127.0.0.1:5432 serves other suites): `initdb` into a
 * fresh temporary folder, then `pg_ctl` on a port the operating system hands out, listening on
 * 127.0.0.1 and on a Unix socket inside that folder, with `trust` authentication for the
 * `postgres` role (nothing else can reach it: loopback only, and a folder only its owner reads).
 *
 * The binaries come from SPX_PG_BIN, or the newest `/usr/lib/postgresql/<version>/bin` (Debian
 * and Ubuntu's layout), or the PATH. `initdb` refuses to run as root, so under root every
 * PostgreSQL command runs as the `postgres` system user through `runuser`, and the folder is
 * handed to that user; as anyone else they run as the current user.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The server's log (it survives restarts; removed with the cluster). */
  readonly logFile: string;
  /** `pg_ctl stop -m <mode>`; waits until the server is down. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start`; waits until the server accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl restart -m <mode>` (fast by default: sessions are cut, nothing committed is lost). */
  restart(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (immediately) and removes its folder. Idempotent. */
  destroy(): Promise<void>;
}

/** The folder holding initdb and pg_ctl, or undefined when there is none. */
export function findPostgresBin(): string | undefined {
  const configured = process.env['SPX_PG_BIN'];
  if (configured) return existsSync(path.join(configured, 'initdb')) ? configured : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return path.join(root, versions[0], 'bin');
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

/** A port nobody listens on right now (bound and released: another process may take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', name]);
  const { stdout: group } = await run('id', ['-g', name]);
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error('no PostgreSQL binaries (initdb, pg_ctl): install them or set SPX_PG_BIN');
  }
  const asRoot = userInfo().uid === 0;
  const pg = (tool: string, args: readonly string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
      : run(path.join(bin, tool), [...args]);

  const base = await mkdtemp(path.join(tmpdir(), 'spx-pg-'));
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'server.log');
  if (asRoot) {
    const owner = await systemUser('postgres');
    await chown(base, owner.uid, owner.gid);
  }
  let destroyed = false;
  let running = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    if (running)
      await pg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => 0);
    await rm(base, { recursive: true, force: true });
  };
  try {
    await pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    const port = await freePort();
    // In postgresql.conf rather than on pg_ctl's command line, so a restart keeps them.
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# spx private test cluster (test/support/private-postgres.ts)',
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${base}'`,
        'max_connections = 60',
        '',
      ].join('\n'),
    );
    const start = async () => {
      await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
      running = true;
    };
    await start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      logFile,
      start,
      async stop(mode = 'fast') {
        await pg('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
        running = false;
      },
      async restart(mode = 'fast') {
        await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-m', mode, '-w', '-t', '60', 'restart']);
        running = true;
      },
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
