import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { deriveKeyPair } from '../crypto/oprf/index.js';
import { createPglite } from '../platform/db/pglite.js';
import { buildProgram, COMMANDS, main } from './spx.js';

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    now: () => new Date('2026-11-27T12:00:00Z'),
  };
  return main(args, io, env).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

describe('the program', () => {
  const io = { stdout: () => undefined, stderr: () => undefined, now: () => new Date() };
  const names = async (argv: string[]) =>
    (await buildProgram(io, argv)).commands.map((c) => c.name());

  it('loads only the command its first argument names, each from the module that defines it', async () => {
    for (const name of Object.keys(COMMANDS)) expect(await names([name, '--help'])).toEqual([name]);
  });

  it('loads every command for help or a command line that names none', async () => {
    const all = ['keys', 'hub', 'keyholder', 'node', 'body', 'audit-log'];
    expect(await names(['--help'])).toEqual(all);
    expect(await names(['nod', 'status'])).toEqual(all);
    expect(await names(['constructor'])).toEqual(all);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const name of all) expect(help.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});

describe('spx keys', () => {
  it('prints the same name keys for two spellings of the same officer', async () => {
    const a = await run([
      'keys',
      '--first-name',
      'José',
      '--last-name',
      'García-López Jr.',
      '--dob',
      '1984-07-02',
      '--json',
    ]);
    const b = await run([
      'keys',
      '--first-name',
      'JOSE',
      '--last-name',
      'garcia lopez',
      '--dob',
      '1984-07-02',
      '--json',
    ]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
    expect(a.out).toContain('SPX1|name_dob|GARCIALOPEZ|JOSE|1984-07-02');
  });

  it('prints a table with every kind, strongest first, and alias keys', async () => {
    const r = await run([
      'keys',
      '--first-name',
      'Maria',
      '--last-name',
      'Garcia',
      '--dob',
      '1985-03-14',
      '--ssn',
      '123-45-6789',
      '--license',
      'tx:12-345-678',
      '--alias',
      'Lopez',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^ssn\s+strong\s+primary\s+SPX1\|ssn\|123456789$/);
    expect(r.out).toContain('SPX1|license|TX|12345678');
    expect(r.out).toContain('SPX1|last_dob|LOPEZ|1985-03-14');
  });

  it('names every rejected flag and exits 1 without printing keys', async () => {
    const r = await run([
      'keys',
      '--first-name',
      'Maria',
      '--last-name',
      'Garc1a',
      '--ssn',
      '666-12-3456',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('--last-name: NAME_DIGIT');
    expect(r.err).toContain('--ssn: SSN_INVALID_AREA');
  });

  it('rejects a licence without a state and a missing required flag with usage errors', async () => {
    expect(
      (await run(['keys', '--first-name', 'A', '--last-name', 'B', '--license', '12345'])).code,
    ).toBe(1);
    const missing = await run(['keys', '--first-name', 'A']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--last-name');
  });

  it('prints help for the command', async () => {
    const r = await run(['keys', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--first-name <name>');
    expect(r.out).toContain('Example:');
  });
});

describe('failures the commands did not foresee', () => {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
  const secret = toBase64url(deriveKeyPair(seed, 1).secretKey);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spx-internal-'));
    await writeFile(path.join(dir, 'seed'), Buffer.from(seed).toString('hex'), { mode: 0o600 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs SQL on the keyholder's PGlite directory between two CLI runs. */
  async function sabotage(statement: string) {
    const db = await createPglite(path.join(dir, 'data'));
    try {
      await db.exec(statement);
    } finally {
      await db.close();
    }
  }

  it('print the error class and SQLSTATE, never the statement parameters with the secret', async () => {
    const data = ['--data-dir', path.join(dir, 'data')];
    expect((await run(['keyholder', 'keys', ...data])).code).toBe(0); // creates the database
    await sabotage(`
      create function spx_refuse() returns trigger language plpgsql
        as $$ begin raise exception 'storage is broken'; end $$;
      create trigger spx_refuse before insert on oprf_keys
        for each row execute function spx_refuse();`);
    const init = ['keyholder', 'init', '--epoch', '1', '--seed-file', path.join(dir, 'seed')];
    const stored = await run([...init, ...data]);
    expect(stored.code).toBe(1);
    expect(stored.err).toBe(
      'spx: STORAGE_FAILED: storing the key record of epoch 1 failed (DrizzleQueryError P0001)\n',
    );
    expect(stored.out + stored.err).not.toContain(secret);

    await sabotage('alter table oprf_keys rename column kek_id to kek_ref');
    const listed = await run(['keyholder', 'keys', ...data]);
    expect([listed.code, listed.out]).toEqual([1, '']);
    expect(listed.err).toBe(
      'spx: INTERNAL_ERROR: DrizzleQueryError 42703\n' +
        '(set SPX_DEBUG=1 to print the whole error, which may contain secrets)\n',
    );
    const debug = await run(['keyholder', 'keys', ...data], { SPX_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.err).toContain('spx: INTERNAL_ERROR: DrizzleQueryError 42703\n');
    expect(debug.err).toContain('Failed query: select');
  }, 180_000); // a new PGlite directory runs initdb (seconds; longer on a loaded machine)
});
