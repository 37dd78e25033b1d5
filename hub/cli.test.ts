/**
 * The operator CLI through registerHubCommands with a fake CliIo: registry commands on the
 * shared test database (and once on a real PGlite data directory), keygen into a temporary
 * folder, and serve until a (fake) SIGTERM.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { testSchemaName } from '../platform/db/test-db.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import { RegistryEntrySchema } from '../protocol/registry-entry.js';
import { registerHubCommands, type HubCliOptions } from './cli.js';
import { readSigningKeyFile } from './signing-key/signing-key.js';
import {
  attestationPayload,
  clearHubTables,
  hubFixture,
  keyFromByte,
  openHubTestDatabase,
  postBatch,
  problemCode,
  seededRng,
  signAttestation,
  START,
  type HubTestHandle,
} from './test-support.js';

let handle: HubTestHandle;
let dir: string;
/**
 * One PGlite data directory for the tests that need a real one: creating it runs initdb
 * (seconds), reopening it does not.
 */
const dataDir = () => path.join(dir, 'hub-data');
/** Set in the vitest project that runs the suites on PostgreSQL. */
const POSTGRES_URL = process.env['SPX_TEST_DATABASE_URL'] || undefined;

beforeAll(async () => {
  handle = await openHubTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'spx-hub-cli-'));
});
afterAll(async () => {
  await handle?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => clearHubTables(handle.db));

const sharedDb: HubCliOptions = {
  env: {},
  rng: seededRng('cli'),
  // The command closes what it opened; the shared test database stays open for the next one.
  openDatabase: async () => ({ ...handle, close: async () => undefined }),
};

async function run(args: string[], options: HubCliOptions = sharedDb) {
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

async function publicJwkFile(byte: number): Promise<string> {
  const file = path.join(dir, `agency-${byte}.pub.json`);
  await writeFile(file, JSON.stringify((await keyFromByte(byte)).publicJwk));
  return file;
}

const enrollArgs = async (patch: Record<string, string> = {}) => {
  const flags: Record<string, string> = {
    '--ori': 'CA0194200',
    '--name': 'Example City Police Department',
    '--level': 'local',
    '--state': 'CA',
    '--roles': 'reporter,checker',
    '--jwk': await publicJwkFile(1),
    '--contact-name': 'Records Unit',
    '--contact-email': 'records@example.gov',
    '--contact-phone': '+12135550100',
    ...patch,
  };
  return ['hub', 'enroll', ...Object.entries(flags).flat()];
};

describe('spx hub enroll and agencies', () => {
  it('enrolls an agency from a public key file and lists it', async () => {
    const enrolled = await run(await enrollArgs());
    expect(enrolled).toMatchObject({ code: 0, err: '' });
    expect(enrolled.out).toContain('enrolled CA0194200');
    const listed = await run(['hub', 'agencies', '--json']);
    const { agencies } = JSON.parse(listed.out) as { agencies: unknown[] };
    expect(agencies.map((a) => RegistryEntrySchema.parse(a).ori)).toEqual(['CA0194200']);
  });

  it('names each flag that is wrong, and enrolls nothing', async () => {
    const r = await run(
      await enrollArgs({
        '--level': 'county',
        '--contact-email': 'records@',
        '--contact-phone': '555-0100',
      }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('ENTRY_INVALID');
    for (const flag of ['--level', '--contact-email', '--contact-phone'])
      expect(r.err).toContain(`${flag}:`);
    expect((await run(['hub', 'agencies'])).out).toBe('no agencies enrolled\n');
    const mismatch = await run(await enrollArgs({ '--state': 'TX' }));
    expect(mismatch.err).toContain('--state: mismatch');
    const twice = await run(await enrollArgs({ '--roles': 'reporter,reporter' }));
    expect(twice.err).toContain('--roles: duplicate');
  });

  it('refuses a private key file and unreadable JSON for --jwk', async () => {
    const key = await keyFromByte(1);
    const privateJwk = JSON.stringify({
      ...key.publicJwk,
      d: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE',
    });
    const r = await run(await enrollArgs({ '--jwk': privateJwk }));
    expect([r.code, r.err.includes('--jwk: this JWK holds a private key')]).toEqual([1, true]);
    const bad = await run(await enrollArgs({ '--jwk': '{"kty":' }));
    expect(bad.err).toContain('--jwk: not JSON');
  });

  // PGlite-specific; the PostgreSQL project runs the commands on its server through serve below.
  it.skipIf(POSTGRES_URL)(
    'works on a real PGlite data directory configured by SPX_DATA_DIR',
    async () => {
      const env = { SPX_DATA_DIR: dataDir() };
      const options: HubCliOptions = { env };
      expect((await run(await enrollArgs(), options)).code).toBe(0);
      const listed = await run(['hub', 'agencies'], options);
      expect(listed.out).toMatch(/^CA0194200 {2}active {2}local\/CA {2}reporter,checker {2}key /);
    },
    60_000,
  );
});

describe('spx hub suspend, reinstate and rotate-key', () => {
  it('suspension blocks the agency at once, reinstatement lifts it', async () => {
    await run(await enrollArgs());
    const fx = await hubFixture(handle.db);
    const agency = { ori: 'CA0194200', key: await keyFromByte(1) };
    const publish = async () =>
      postBatch(fx, { ...agency, entry: undefined as never }, [
        await signAttestation(attestationPayload(agency.ori, fx.rng, fx.clock.now()), agency.key),
      ]);
    expect((await run(['hub', 'suspend', '--ori', 'CA0194200'])).out).toContain(
      'suspended CA0194200',
    );
    expect(await problemCode(await publish())).toMatchObject({
      status: 403,
      code: 'AGENCY_SUSPENDED',
    });
    expect((await run(['hub', 'reinstate', '--ori', 'CA0194200'])).code).toBe(0);
    expect((await publish()).status).toBe(200);
    const unknown = await run(['hub', 'suspend', '--ori', 'NV0000000']);
    expect([unknown.code, unknown.err]).toEqual([
      1,
      'spx: AGENCY_UNKNOWN: --ori: no agency NV0000000 in the registry\n',
    ]);
  });

  it('rotate-key makes the new key the active one and retires the old', async () => {
    await run(await enrollArgs());
    const r = await run([
      'hub',
      'rotate-key',
      '--ori',
      'CA0194200',
      '--jwk',
      await publicJwkFile(7),
      '--json',
    ]);
    const entry = RegistryEntrySchema.parse(JSON.parse(r.out));
    expect(entry.keys.map((k) => k.status).sort()).toEqual(['active', 'retired']);
    expect(entry.keys.find((k) => k.status === 'active')!.kid).toBe((await keyFromByte(7)).kid);
  });
});

describe('spx hub keygen', () => {
  it('writes a private key file readable only by its owner, and never overwrites it', async () => {
    const out = path.join(dir, 'hub-key.json');
    const r = await run(['hub', 'keygen', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out) as { kid: string; d?: string };
    expect(printed.d).toBeUndefined();
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await readSigningKeyFile(out)).kid).toBe(printed.kid);
    const before = await readFile(out, 'utf8');
    const again = await run(['hub', 'keygen', '--out', out]);
    expect([again.code, again.err]).toEqual([1, expect.stringContaining('KEY_FILE_EXISTS')]);
    expect(await readFile(out, 'utf8')).toBe(before);
  });
});

describe('spx hub serve', () => {
  it('serves until SIGTERM, then closes and exits 0', async () => {
    const keyFile = path.join(dir, 'serve-key.json');
    await run(['hub', 'keygen', '--out', keyFile]);
    const listeners: (() => void)[] = [];
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    const signals: SignalTarget = {
      on: (_s, l) => void listeners.push(l),
      off: () => undefined,
      exit: (code) => exited(code),
    };
    // On the PostgreSQL run, serve opens a schema of its own on the server (dropped below).
    const schema = testSchemaName(Date.now(), randomBytes(4));
    const database = POSTGRES_URL
      ? { SPX_DATABASE_URL: POSTGRES_URL, SPX_DATABASE_SCHEMA: schema }
      : { SPX_DATA_DIR: dataDir() };
    const env = { ...database, SPX_HUB_PORT: '0', SPX_HUB_KEY_FILE: keyFile };
    const r = await run(['hub', 'serve'], { env, signals });
    expect(r.code).toBe(0);
    const url = /listening on (\S+)/.exec(r.err)![1]!;
    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ status: 'ok' });
    const events = r.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    expect(events).toContainEqual(expect.objectContaining({ event: 'started', url }));
    // The checkpointer's first pass signs the log's head at start-up.
    expect(events).toContainEqual(expect.objectContaining({ event: 'checkpoint_issued' }));
    listeners[0]!(); // SIGTERM
    expect(await exitCode).toBe(0);
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
    if (POSTGRES_URL) {
      const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => undefined });
      await sql`drop schema if exists ${sql(schema)} cascade`;
      await sql.end();
    }
  }, 60_000);

  it('refuses to start on a bad configuration, naming the variable', async () => {
    const r = await run(['hub', 'serve'], {
      env: { SPX_HUB_EPOCHS: 'one', SPX_DATA_DIR: ':memory:' },
    });
    expect([r.code, r.err]).toEqual([1, expect.stringContaining('CONFIG_INVALID: SPX_HUB_EPOCHS')]);
  });
});
