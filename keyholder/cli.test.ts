/**
 * The keyholder's commands through registerKeyholderCommands with a fake CliIo. The commands keep
 * their data in a PGlite data directory in a temporary folder (`--data-dir`) — or, when
 * SPX_TEST_DATABASE_URL is set, in a fresh schema on that PostgreSQL server (SPX_DATABASE_URL and
 * SPX_DATABASE_SCHEMA), dropped afterwards. The tests run in order and share that database.
 */
import { lstat, mkdir, mkdtemp, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { deriveKeyPair } from '../crypto/oprf/index.js';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { TEST_DATABASE_URL_VARIABLE, testSchemaName } from '../platform/db/test-db.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import type { PublishedKeys } from './app.js';
import { registerKeyholderCommands, type KeyholderCliDeps } from './cli.js';
import type { RunningKeyholder } from './start.js';
import { signingKeyFromSeed } from '../crypto/signing/keys.js';
import { rng } from './test-fixtures.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const postgresUrl = process.env[TEST_DATABASE_URL_VARIABLE] || undefined;
const schema = postgresUrl ? testSchemaName(Date.now(), rng(6)) : undefined;
let dir: string;
/** The flags and variables that point a command at the test database. */
let db: string[] = [];
let dbEnv: Record<string, string> = {};

interface Run {
  code: number;
  errorCode: string | undefined;
  stdout: string;
  stderr: string;
}

async function spx(args: string[], deps: KeyholderCliDeps = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    now: () => NOW,
  };
  const program = new Command('spx')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerKeyholderCommands(program, io, { rng, ...deps, env: { ...dbEnv, ...deps.env } });
  try {
    await program.parseAsync(['keyholder', ...args], { from: 'user' });
    return { code: 0, errorCode: undefined, stdout, stderr };
  } catch (e) {
    if (e instanceof CliError)
      return { code: e.exitCode, errorCode: e.code, stdout, stderr: e.message };
    if (e instanceof CommanderError) return { code: 2, errorCode: e.code, stdout, stderr };
    throw e;
  }
}

const json = <T = Record<string, unknown>>(run: Run) => JSON.parse(run.stdout) as T;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-keyholder-cli-'));
  if (postgresUrl && schema) {
    dbEnv = { SPX_DATABASE_URL: postgresUrl, SPX_DATABASE_SCHEMA: schema };
  } else {
    db = ['--data-dir', path.join(dir, 'data')];
  }
});
afterAll(async () => {
  if (!postgresUrl || !schema) return;
  const client = postgres(postgresUrl, { max: 1, onnotice: () => undefined });
  await client`drop schema if exists ${client(schema)} cascade`;
  await client.end({ timeout: 5 });
});

describe('spx keyholder', () => {
  it('serve refuses to start without an active key', async () => {
    const run = await spx(['serve', ...db, '--port', '0']);
    expect(run.errorCode).toBe('NO_ACTIVE_KEY');
    expect(run.code).toBe(1);
  });

  it('init creates a key for an epoch and refuses to overwrite it', async () => {
    const first = await spx(['init', '--epoch', '1', ...db, '--json']);
    expect(first.code).toBe(0);
    expect(json(first)).toMatchObject({
      epoch: 1,
      shareIndex: 1,
      threshold: 1,
      total: 1,
      status: 'active',
      protection: 'none',
    });
    expect(first.stdout).not.toContain('secret');
    const again = await spx(['init', '--epoch', '1', ...db]);
    expect(again.errorCode).toBe('EPOCH_EXISTS');
  });

  it('init --seed-file derives the key of docs/protocol.md §4.2 for the epoch', async () => {
    const seed = new Uint8Array(32).fill(0x42);
    const seedFile = path.join(dir, 'seed');
    await writeFile(seedFile, `${Buffer.from(seed).toString('hex')}\n`);
    const run = await spx(['init', '--epoch', '2', '--seed-file', seedFile, ...db, '--json']);
    expect(json(run)['publicKey']).toBe(toBase64url(deriveKeyPair(seed, 2).publicKey));
    await writeFile(seedFile, 'not a seed');
    const bad = await spx(['init', '--epoch', '9', '--seed-file', seedFile, ...db]);
    expect(bad.errorCode).toBe('SEED_FILE_INVALID');
    expect(bad.stderr).toContain('--seed-file');
  });

  it('split writes one 0600 share file per keyholder and import-share stores one', async () => {
    const out = path.join(dir, 'shares');
    const split = await spx([
      'split',
      '--epoch',
      '3',
      '--threshold',
      '2',
      '--shares',
      '3',
      '--out-dir',
      out,
      '--json',
    ]);
    expect(split.code).toBe(0);
    const summary = json<{ files: string[]; publicShares: string[]; groupPublicKey: string }>(
      split,
    );
    expect((await readdir(out)).sort()).toEqual([
      'epoch-3-share-1-of-3.json',
      'epoch-3-share-2-of-3.json',
      'epoch-3-share-3-of-3.json',
    ]);
    for (const f of summary.files) expect((await stat(f)).mode & 0o777).toBe(0o600);

    const imported = await spx(['import-share', '--file', summary.files[1]!, ...db, '--json']);
    expect(json(imported)).toMatchObject({
      epoch: 3,
      shareIndex: 2,
      threshold: 2,
      total: 3,
      publicKey: summary.publicShares[1],
      groupPublicKey: summary.groupPublicKey,
    });
    const twice = await spx(['import-share', '--file', summary.files[0]!, ...db]);
    expect(twice.errorCode).toBe('EPOCH_EXISTS');
    const again = await spx([
      'split',
      '--epoch',
      '3',
      '--threshold',
      '2',
      '--shares',
      '3',
      '--out-dir',
      out,
    ]);
    expect(again.errorCode).toBe('OUTPUT_EXISTS');
  });

  it('split keeps no share file when writing one fails, and reports it as a CLI error', async () => {
    const out = path.join(dir, 'shares-broken');
    await mkdir(out);
    // A dangling link passes the "exists?" check, then refuses the exclusive create of share 2.
    const link = path.join(out, 'epoch-5-share-2-of-3.json');
    await symlink(path.join(dir, 'nowhere'), link);
    const run = await spx([
      'split',
      '--epoch',
      '5',
      '--threshold',
      '2',
      '--shares',
      '3',
      '--out-dir',
      out,
    ]);
    expect([run.code, run.errorCode]).toEqual([1, 'OUTPUT_EXISTS']);
    expect(run.stderr).toContain(link);
    expect(run.stdout).toBe('');
    // Share 1, already written, is gone; the link is not ours and stays.
    expect(await readdir(out)).toEqual(['epoch-5-share-2-of-3.json']);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('names the flag at fault', async () => {
    const cases: [string[], string][] = [
      [['init', '--epoch', '0', ...db], '--epoch'],
      [['init', '--epoch', 'one', ...db], '--epoch'],
      [
        ['split', '--epoch', '4', '--threshold', '3', '--shares', '2', '--out-dir', dir],
        '--threshold',
      ],
      [
        ['split', '--epoch', '4', '--threshold', '1', '--shares', '1', '--out-dir', dir],
        '--shares',
      ],
      [['quota', '--ori', 'nope', ...db], '--ori'],
      [['quota', '--ori', 'CA0194200', '--daily', '-5', ...db], '--daily'],
      [['quota', '--ori', 'CA0194200', '--daily', '5', '--clear', ...db], '--clear'],
      [['import-share', '--file', path.join(dir, 'missing.json'), ...db], '--file'],
    ];
    for (const [args, flag] of cases) {
      const run = await spx(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toContain(flag);
    }
    const missing = await spx(['init', ...db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--epoch');
  });

  it('reports a bad environment as CONFIG_INVALID naming the variable', async () => {
    const run = await spx(['keys', ...db], {
      env: { SPX_KEYHOLDER_DAILY_QUOTA: 'lots' },
    });
    expect(run.errorCode).toBe('CONFIG_INVALID');
    expect(run.stderr).toContain('SPX_KEYHOLDER_DAILY_QUOTA');
  });

  it('quota sets, shows and clears an agency allowance', async () => {
    const set = await spx(['quota', '--ori', 'CA0194200', '--daily', '50000', ...db, '--json']);
    expect(json(set)).toMatchObject({ ori: 'CA0194200', allowance: 50000, limit: 50000, used: 0 });
    const shown = await spx(['quota', '--ori', 'CA0194200', ...db]);
    expect(shown.stdout).toContain('50000 elements per UTC day (its own allowance)');
    const cleared = await spx(['quota', '--ori', 'CA0194200', '--clear', ...db, '--json'], {
      env: { SPX_KEYHOLDER_DAILY_QUOTA: '123' },
    });
    expect(json(cleared)).toMatchObject({ allowance: null, limit: 123, defaultDaily: 123 });
  });

  it('retire stops an epoch, and keys lists every record with its status', async () => {
    expect((await spx(['retire', '--epoch', '1', ...db])).stdout).toContain('retired');
    expect((await spx(['retire', '--epoch', '99', ...db])).errorCode).toBe('EPOCH_UNKNOWN');
    const keys = json<{ keys: { epoch: number; status: string }[] }>(
      await spx(['keys', ...db, '--json']),
    );
    expect(keys.keys.map((k) => [k.epoch, k.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
      [3, 'active'],
    ]);
    // The key set to pin: the newest active epoch by default, exactly the pinned shape.
    const keyset = json<Record<string, unknown>>(await spx(['keyset', ...db]));
    expect(Object.keys(keyset).sort()).toEqual(['epoch', 'publicKey', 'publicShares', 'threshold']);
    const all = json<{ keys: Record<string, unknown>[] }>(await spx(['keys', ...db, '--json']));
    const newest = all.keys.find((k) => k['epoch'] === keyset['epoch'])!;
    expect(keyset['epoch']).toBe(3);
    expect(keyset['publicKey']).toBe(newest['groupPublicKey']);
    expect(keyset['publicShares']).toEqual(newest['publicShares']);
    const two = json<Record<string, unknown>>(await spx(['keyset', '--epoch', '2', ...db]));
    const second = all.keys.find((k) => k['epoch'] === 2)!;
    expect([two['epoch'], two['threshold'], two['publicKey']]).toEqual([
      2,
      second['threshold'],
      second['groupPublicKey'],
    ]);
    expect((await spx(['keyset', '--epoch', '99', ...db])).errorCode).toBe('EPOCH_UNKNOWN');
    const table = await spx(['keys', ...db]);
    expect(table.stdout).toMatch(/^epoch\s+share\s+t-of-n/);
    expect(table.stdout).toContain('2-of-3');
  });

  it('gen-kek writes a KEK file that seals the secrets of later keys', async () => {
    const kekFile = path.join(dir, 'kek');
    const made = await spx(['gen-kek', '--out', kekFile]);
    expect(made.stdout).toContain(`SPX_KEYHOLDER_KEK_FILE=${kekFile}`);
    expect((await stat(kekFile)).mode & 0o777).toBe(0o600);
    expect((await spx(['gen-kek', '--out', kekFile])).errorCode).toBe('OUTPUT_EXISTS');
    const env = { SPX_KEYHOLDER_KEK_FILE: kekFile };
    const sealed = await spx(['init', '--epoch', '4', ...db, '--json'], { env });
    expect(json(sealed)['protection']).toBe('aes-256-gcm');
    const withoutKek = await spx(['serve', ...db, '--port', '0']);
    expect(withoutKek.errorCode).toBe('KEK_REQUIRED');
  });

  it('serve listens on loopback, answers over HTTP and closes cleanly on SIGTERM', async () => {
    const listeners = new Map<string, () => void>();
    let exitCode: number | undefined;
    const signals: SignalTarget = {
      on: (s, l) => listeners.set(s, l),
      off: (s) => listeners.delete(s),
      exit: (code) => void (exitCode = code),
    };
    let started!: (r: RunningKeyholder) => void;
    const running = new Promise<RunningKeyholder>((resolve) => (started = resolve));
    const logs: string[] = [];
    const hub = (async () => Response.json({ agencies: [] })) as unknown as typeof fetch;
    const serving = spx(['serve', ...db, '--port', '0'], {
      env: { SPX_KEYHOLDER_KEK_FILE: path.join(dir, 'kek') },
      signals,
      fetch: hub,
      log: (l) => logs.push(l),
      onStarted: started,
    });
    const { url } = await Promise.race([
      running,
      serving.then((r) => Promise.reject(new Error(`serve ended: ${r.stderr}`))),
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ status: 'ok' });
    const published = (await (await fetch(`${url}/v1/keys`)).json()) as PublishedKeys;
    expect(published.keys.map((k) => k.epoch)).toEqual([1, 2, 3, 4]);
    const refused = await fetch(`${url}/v1/evaluate`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);

    listeners.get('SIGTERM')!();
    expect((await serving).code).toBe(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(exitCode).toBe(0);
    const events = logs.map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['started', 'request']));
    // The database was closed (a PGlite directory's lock released): the next command opens it.
    expect((await spx(['keys', ...db])).code).toBe(0);
  });
});

describe('spx keyholder admit | revoke | admissions', () => {
  const CITY = 'CA0194200';
  let kid: string;
  let jwkFile: string;

  beforeAll(async () => {
    const key = await signingKeyFromSeed(new Uint8Array(32).fill(9));
    kid = key.kid;
    jwkFile = path.join(dir, 'city.jwk.json');
    // As `spx node keygen` writes it: with kid, alg and use beside kty, crv and x.
    await writeFile(jwkFile, JSON.stringify({ ...key.publicJwk, kid, alg: 'Ed25519', use: 'sig' }));
  });

  it('starts with no admission, and says that every evaluation is then refused', async () => {
    const run = await spx(['admissions', ...db]);
    expect(run.stdout).toContain('no agency is admitted');
  });

  it('admits a key given as the public JWK file, once, and lists it', async () => {
    const first = await spx(['admit', ...db, '--ori', CITY, '--jwk', jwkFile, '--note', 'T-17']);
    expect(first.stdout).toBe(`admitted ${CITY} with key ${kid}\n`);
    const again = await spx(['admit', ...db, '--ori', CITY, '--kid', kid, '--json']);
    expect(json(again)).toEqual({ ori: CITY, kid, admitted: false });
    const list = json<{ admissions: unknown[] }>(await spx(['admissions', ...db, '--json']));
    expect(list.admissions).toEqual([
      { ori: CITY, kid, admittedAt: NOW.toISOString(), revokedAt: null, note: 'T-17' },
    ]);
  });

  it('revokes, records both changes in order, and reports a second revocation as NOT_FOUND', async () => {
    expect((await spx(['revoke', ...db, '--ori', CITY])).stdout).toBe(`revoked ${CITY}: ${kid}\n`);
    expect((await spx(['revoke', ...db, '--ori', CITY])).errorCode).toBe('NOT_FOUND');
    expect((await spx(['revoke', ...db, '--ori', CITY, '--json'])).errorCode).toBe('NOT_FOUND');
    const { events } = json<{ events: { action: string; kid: string }[] }>(
      await spx(['admissions', ...db, '--events', '--json']),
    );
    expect(events.map((e) => [e.action, e.kid])).toEqual([
      ['admit', kid],
      ['revoke', kid],
    ]);
  });

  it.each([
    [['--ori', CITY], '--kid or --jwk'],
    [['--ori', CITY, '--kid', 'abc'], '--kid:'],
    [['--ori', 'nope', '--kid', 'x'], '--ori:'],
    [['--ori', CITY, '--jwk', '{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}'], 'private key'],
    [['--ori', CITY, '--jwk', '{"kty":"RSA"}'], 'not a usable Ed25519 public JWK: kty'],
    [['--ori', CITY, '--jwk', '/no/such/file'], 'cannot read'],
    [['--ori', CITY, '--kid', 'A'.repeat(43), '--note', 'a\nb'], '--note:'],
  ])('refuses admit %j naming the flag', async (args, message) => {
    const run = await spx(['admit', ...db, ...args]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
  });
});
