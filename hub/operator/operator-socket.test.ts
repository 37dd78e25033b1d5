/**
 * `spx hub` operator commands beside a hub that holds its PGlite data directory (the hub runs
 * in this process, on port 0): they go through its operator socket with the same output, exit
 * codes and refusals as on the database directly — before the socket they all failed with
 * DB_LOCKED — and the hub sees each change at once. Then what happens when no hub answers: a
 * stale socket left by a killed hub, a lock held by a process that serves no socket, a data
 * directory whose path is too long for a socket. On PostgreSQL there is no lock and no
 * socket: the commands open the server beside the running hub, as they always have (last suite).
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { acquireDataDirLock, DatabaseLockedError } from '../../platform/db/data-dir-lock.js';
import { testSchemaName } from '../../platform/db/test-db.js';
import { maxSocketPathBytes } from '../../platform/operator-socket/socket-path.js';
import { registerHubCommands, type HubCliOptions } from '../cli.js';
import { parseHubConfig } from '../config.js';
import { startHub, type RunningHub } from '../server.js';
import { writeNewSigningKeyFile } from '../signing-key/signing-key.js';
import {
  keyFromByte,
  openHubTestDatabase,
  seededRng,
  START,
  type HubTestHandle,
} from '../test-support.js';
import { OPERATOR_SOCKET_NAME, startOperatorSocket, throughRunningHub } from './operator-socket.js';

/** Set in the vitest project that runs the suites on PostgreSQL. */
const POSTGRES_URL = process.env['SPX_TEST_DATABASE_URL'] || undefined;
const POSTGRES = POSTGRES_URL !== undefined;

let dir: string;
let keyFile: string;
let jwkFile: string;
const dataDir = () => path.join(dir, 'hub-data');
const socketPath = () => path.join(dataDir(), OPERATOR_SOCKET_NAME);
const besideHub = (): HubCliOptions => ({ env: { SPX_DATA_DIR: dataDir() } });

async function run(args: string[], options: HubCliOptions) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: () => new Date(START),
  };
  const program = new Command('spx').exitOverride().configureOutput({
    writeOut: io.stdout,
    writeErr: io.stderr,
  });
  registerHubCommands(program, io, options);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CliError) {
      err.push(`spx: ${e.code}: ${e.message}\n`);
      code = e.exitCode;
    } else if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else throw e;
  }
  return { code, out: out.join(''), err: err.join('') };
}

async function startHubOn(logs: Record<string, unknown>[] = []): Promise<RunningHub> {
  const config = parseHubConfig({
    SPX_DATA_DIR: dataDir(),
    SPX_HUB_PORT: '0',
    SPX_HUB_KEY_FILE: keyFile,
  });
  return startHub(config, {
    now: () => new Date(START),
    log: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
    signals: false,
  });
}

/** A socket file nobody listens on, as a killed hub leaves it (Node unlinks on a clean close). */
async function leaveStaleSocket(file: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(`${file}.tmp`, resolve));
  await rename(`${file}.tmp`, file);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const enroll = (ori: string, patch: Record<string, string> = {}) => {
  const flags: Record<string, string> = {
    '--ori': ori,
    '--name': 'Example City Police Department',
    '--level': 'local',
    '--state': 'CA',
    '--roles': 'reporter,checker',
    '--jwk': jwkFile,
    '--contact-name': 'Records Unit',
    '--contact-email': 'records@example.gov',
    '--contact-phone': '+12135550100',
    ...patch,
  };
  return ['hub', 'enroll', ...Object.entries(flags).flat()];
};

/** A session of commands: reads, a write, and a refusal of each kind. */
const SESSION = (): string[][] => [
  ['hub', 'agencies'],
  ['hub', 'audit'],
  enroll('CA0194200'),
  enroll('CA0194200'),
  enroll('CA0194201', { '--level': 'county', '--contact-email': 'records@' }),
  ['hub', 'report', 'compliance', '--period', '2026-Q1', '--format', 'csv'],
  ['hub', 'report', 'compliance', '--rule', '9'],
  ['hub', 'suspend', '--ori', 'CA0194200'],
  ['hub', 'suspend', '--ori', 'CA9999999'],
  ['hub', 'rotate-key', '--ori', 'CA0194200', '--jwk', '{"kty":"OKP","crv":"Ed25519","x":"AA"}'],
  ['hub', 'expunge', '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5', '--order', 'A-1', '--by', 'J. Doe'],
  ['hub', 'agencies', '--json'],
  ['hub', 'audit', '--ori', 'CA0194200', '--limit', '5', '--json'],
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-hub-op-'));
  keyFile = path.join(dir, 'hub-key.json');
  await writeNewSigningKeyFile(keyFile, seededRng('operator socket hub key'));
  jwkFile = path.join(dir, 'agency.pub.json');
  await writeFile(jwkFile, JSON.stringify((await keyFromByte(1)).publicJwk));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(POSTGRES)('spx hub commands beside a running hub on PGlite', () => {
  let hub: RunningHub;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    hub = await startHubOn(logs);
  }, 90_000);
  afterAll(() => hub?.close());

  it('serves its operator socket to its own user only', async () => {
    const socket = await stat(socketPath());
    expect([socket.isSocket(), (socket.mode & 0o777).toString(8)]).toEqual([true, '600']);
    expect(((await stat(dataDir())).mode & 0o777).toString(8)).toBe('700');
    expect(logs).toContainEqual(
      expect.objectContaining({ event: 'operator_socket_listening', path: socketPath() }),
    );
  });

  it('runs every command as on the database: same output, same refusals, same exit codes', async () => {
    const beside: unknown[] = [];
    for (const args of SESSION()) beside.push(await run(args, besideHub()));
    // The same session on a database the command opens itself.
    const direct: unknown[] = [];
    const handle: HubTestHandle = await openHubTestDatabase();
    try {
      const options: HubCliOptions = {
        // The running hub signs compliance reports with its key: the same file here.
        env: { SPX_HUB_KEY_FILE: keyFile },
        openDatabase: async () => ({ ...handle, close: async () => undefined }),
      };
      for (const args of SESSION()) direct.push(await run(args, options));
    } finally {
      await handle.close();
    }
    expect(beside).toEqual(direct);
    expect(beside.slice(0, 3)).toEqual([
      { code: 0, out: 'no agencies enrolled\n', err: '' },
      { code: 0, out: 'no checks audited\n', err: '' },
      { code: 0, out: expect.stringMatching(/^enrolled CA0194200 {2}active/), err: '' },
    ]);
    expect(beside[4]).toMatchObject({ code: 1, err: expect.stringContaining('--level: ') });
    expect(beside[5]).toMatchObject({
      code: 0,
      out: expect.stringMatching(/\r\n2026-Q1,2026-05-01T12:00:00Z,1,CA0194200,.*,missing,/),
    });
    expect(beside[6]).toMatchObject({
      code: 1,
      err: expect.stringContaining('spx: RULE_UNKNOWN: '),
    });
    // Each went through the hub: one operator_request line per command that reached it.
    expect(logs.filter((l) => l['event'] === 'operator_request').length).toBeGreaterThanOrEqual(9);
  });

  it('changes what the running hub serves at once', async () => {
    const entry = async () =>
      (await (await fetch(`${hub.url}/v1/registry/agencies/CA0194200`)).json()) as {
        status: string;
      };
    expect((await entry()).status).toBe('suspended');
    expect((await run(['hub', 'reinstate', '--ori', 'CA0194200'], besideHub())).code).toBe(0);
    expect((await entry()).status).toBe('active');
  });

  it('removes its socket on close; the commands then open the directory themselves', async () => {
    await hub.close();
    await expect(stat(socketPath())).rejects.toMatchObject({ code: 'ENOENT' });
    const listed = await run(['hub', 'agencies'], besideHub());
    expect([listed.code, listed.out]).toEqual([0, expect.stringMatching(/^CA0194200 {2}active/)]);
  }, 60_000);
});

// On the data directory the suite above left (an initdb costs seconds), with CA0194200 enrolled.
describe.skipIf(POSTGRES)('spx hub commands when no hub answers on the socket', () => {
  it('open the directory themselves after a hub was killed, and a new hub replaces its socket', async () => {
    // What SIGKILL leaves: a lock naming a dead process, and a socket nobody listens on.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(
      path.join(dataDir(), 'spx.lock'),
      JSON.stringify({ pid: dead, hostname: hostname() }),
    );
    await leaveStaleSocket(socketPath());
    const listed = await run(['hub', 'agencies'], besideHub());
    expect([listed.code, listed.err]).toEqual([0, '']);
    const hub = await startHubOn();
    try {
      expect((await stat(socketPath())).isSocket()).toBe(true);
      const suspended = await run(['hub', 'suspend', '--ori', 'CA0194200'], besideHub());
      expect([suspended.code, suspended.out]).toEqual([0, expect.stringMatching(/^suspended /)]);
    } finally {
      await hub.close();
    }
  }, 90_000);

  it('report the directory locked, and why, when its holder serves no socket', async () => {
    const lock = await acquireDataDirLock(dataDir());
    try {
      const none = await run(['hub', 'audit'], besideHub());
      expect([none.code, none.out]).toEqual([1, '']);
      expect(none.err).toMatch(/^spx: DB_LOCKED: PGlite data directory .* is locked by process /);
      expect(none.err).toContain(
        `no hub answers on its operator socket (${socketPath()}: no socket there)`,
      );
      await leaveStaleSocket(socketPath());
      const stale = await run(enroll('CA0194202'), besideHub());
      expect([stale.code, stale.err]).toEqual([
        1,
        expect.stringContaining(`${socketPath()}: nothing listens on it`),
      ]);
    } finally {
      await lock.release();
    }
  });

  it('a hub whose socket path is too long keeps serving, and the commands say why', async () => {
    const max = maxSocketPathBytes()!;
    const longDir = path.join(dir, 'x'.repeat(Math.max(1, max - dir.length)));
    const logs: Record<string, unknown>[] = [];
    // The database is not touched until a command arrives; none can.
    const served = await startOperatorSocket({
      dataDir: longDir,
      db: undefined as never,
      mailbox: undefined as never,
      compliance: { signingKey: () => Promise.reject(new Error('no report is asked for')) },
      now: () => new Date(START),
      sink: () => undefined,
      log: (level, event, fields) => void logs.push({ level, event, ...fields }),
    });
    expect(served).toBeUndefined();
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'operator_socket_unavailable',
        reason: expect.stringContaining('more than the'),
      }),
    ]);
    const locked = new DatabaseLockedError(longDir, { pid: 1, hostname: 'h' });
    await expect(throughRunningHub(locked, (ops) => ops.listAgencies())).rejects.toMatchObject({
      code: 'DB_LOCKED',
      message: expect.stringContaining('more than the'),
    });
  });
});

describe.runIf(POSTGRES)('spx hub commands beside a running hub on PostgreSQL', () => {
  const schema = testSchemaName(Date.now(), randomBytes(4));
  const env = { SPX_DATABASE_URL: POSTGRES_URL!, SPX_DATABASE_SCHEMA: schema };
  const logs: Record<string, unknown>[] = [];
  let hub: RunningHub;
  beforeAll(async () => {
    const config = parseHubConfig({ ...env, SPX_HUB_PORT: '0', SPX_HUB_KEY_FILE: keyFile });
    hub = await startHub(config, {
      now: () => new Date(START),
      log: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
      signals: false,
    });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    const sql = postgres(POSTGRES_URL!, { max: 1, onnotice: () => undefined });
    await sql`drop schema if exists ${sql(schema)} cascade`;
    await sql.end();
  });

  it('open the server themselves, and the hub serves each change at once', async () => {
    const options: HubCliOptions = { env };
    expect(await run(['hub', 'agencies'], options)).toEqual({
      code: 0,
      out: 'no agencies enrolled\n',
      err: '',
    });
    expect((await run(enroll('CA0194200'), options)).code).toBe(0);
    expect((await run(['hub', 'suspend', '--ori', 'CA0194200'], options)).code).toBe(0);
    expect((await run(['hub', 'audit'], options)).out).toBe('no checks audited\n');
    const entry = await fetch(`${hub.url}/v1/registry/agencies/CA0194200`);
    expect(((await entry.json()) as { status: string }).status).toBe('suspended');
    // No data directory, no socket: nothing went through the hub's process.
    const events = logs.map((l) => l['event']);
    expect(events.filter((e) => String(e).startsWith('operator_'))).toEqual([]);
  });
});
