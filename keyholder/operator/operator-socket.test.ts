/**
 * `spx keyholder` operator commands beside a keyholder that holds its PGlite data directory
 * (`serve` runs in this process, on port 0): quota, admissions and key listing go through its
 * operator socket with the same output and refusals as on the database directly — before the
 * socket they failed with DB_LOCKED — while `init` and `import-share` still say DB_LOCKED. Then
 * what happens when no keyholder answers, and input the operator API refuses. PGlite only: on
 * PostgreSQL there is no lock and no socket.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { acquireDataDirLock } from '../../platform/db/data-dir-lock.js';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';
import { registerKeyholderCommands, type KeyholderCliDeps } from '../cli.js';
import type { RunningKeyholder } from '../start.js';
import { rng } from '../test-fixtures.js';
import { createOperatorApp, operatorClient } from './operator.api.js';
import { KeyholderError } from '../errors.js';
import type { KeyholderOperations } from './operations.js';
import { OPERATOR_SOCKET_NAME } from './operator-socket.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const CITY = 'CA0194200';
let dir: string;
let seedFile: string;
let kid: string;

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
  registerKeyholderCommands(program, io, {
    rng,
    ...deps,
    env: { SPX_KEYHOLDER_WORKERS: '0', SPX_KEYHOLDER_DAILY_QUOTA: '700', ...deps.env },
  });
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

/** A data directory holding the same epoch-1 key (from one seed), so outputs compare. */
async function freshDataDir(name: string): Promise<string> {
  const dataDir = path.join(dir, name);
  const init = await spx(['init', '--epoch', '1', '--seed-file', seedFile, '--data-dir', dataDir]);
  expect(init.code).toBe(0);
  return dataDir;
}

/** Starts `serve` on `dataDir`; returns it and its stop. */
async function serve(dataDir: string, logs: string[] = []) {
  const listeners = new Map<string, () => void>();
  let started!: (r: RunningKeyholder) => void;
  const running = new Promise<RunningKeyholder>((resolve) => (started = resolve));
  const serving = spx(['serve', '--data-dir', dataDir, '--port', '0'], {
    signals: { on: (s, l) => listeners.set(s, l), off: (s) => listeners.delete(s), exit: () => {} },
    fetch: (async () => Response.json({ agencies: [] })) as unknown as typeof fetch,
    log: (l) => logs.push(l),
    onStarted: started,
  });
  const keyholder = await Promise.race([
    running,
    serving.then((r) => Promise.reject(new Error(`serve ended: ${r.stderr}`))),
  ]);
  return {
    keyholder,
    stop: async () => {
      listeners.get('SIGTERM')!();
      expect((await serving).code).toBe(0);
    },
  };
}

/** Every routed command: reads, writes, and the refusal of each. */
const SESSION = (): string[][] => [
  ['quota', '--ori', CITY],
  ['quota', '--ori', CITY, '--daily', '50', '--json'],
  ['quota', '--ori', CITY],
  ['quota', '--ori', CITY, '--clear'],
  ['quota', '--ori', CITY, '--daily', '5000000000'],
  ['admissions'],
  ['admit', '--ori', CITY, '--kid', kid, '--note', 'ticket 1'],
  ['admit', '--ori', CITY, '--kid', kid, '--json'],
  ['admissions'],
  ['admissions', '--json'],
  ['revoke', '--ori', CITY, '--kid', 'A'.repeat(43)],
  ['revoke', '--ori', CITY, '--note', 'asked by the chief', '--json'],
  ['revoke', '--ori', CITY],
  ['admissions', '--events'],
  ['admissions', '--events', '--json'],
  ['keys'],
  ['keys', '--json'],
  ['keyset'],
  ['keyset', '--epoch', '9'],
  ['retire', '--epoch', '9'],
  ['retire', '--epoch', '1', '--json'],
  ['retire', '--epoch', '1'],
  ['keys'],
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-kh-op-'));
  seedFile = path.join(dir, 'seed');
  await writeFile(seedFile, '11'.repeat(32), { mode: 0o600 });
  kid = (await signingKeyFromSeed(new Uint8Array(32).fill(9))).kid;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(process.env['SPX_TEST_DATABASE_URL'])(
  'spx keyholder beside a running keyholder on PGlite',
  () => {
    it('runs quota, admissions, key listing and retire through the socket, as on the database', async () => {
      const direct = await freshDataDir('direct');
      const expected: Run[] = [];
      for (const args of SESSION()) expected.push(await spx([...args, '--data-dir', direct]));
      // The session exercises successes and refusals alike.
      expect(expected.map((r) => r.errorCode)).toEqual(
        SESSION().map((a) =>
          a.includes('5000000000')
            ? 'OPTION_INVALID'
            : a[0] === 'revoke' && (a.includes('--kid') || !a.includes('--json'))
              ? 'NOT_FOUND'
              : a.includes('9')
                ? 'EPOCH_UNKNOWN'
                : undefined,
        ),
      );

      const dataDir = await freshDataDir('served');
      const logs: string[] = [];
      const { keyholder, stop } = await serve(dataDir, logs);
      try {
        const socket = await stat(path.join(dataDir, OPERATOR_SOCKET_NAME));
        expect([socket.isSocket(), (socket.mode & 0o777).toString(8)]).toEqual([true, '600']);
        for (const [i, args] of SESSION().entries()) {
          expect({ args, ...(await spx([...args, '--data-dir', dataDir])) }).toEqual({
            args,
            ...expected[i],
          });
        }
        // The running keyholder serves what the commands changed: epoch 1 is retired.
        const published = (await (await fetch(`${keyholder.url}/v1/keys`)).json()) as {
          keys: { epoch: number; status: string }[];
        };
        expect(published.keys.map((k) => [k.epoch, k.status])).toEqual([[1, 'retired']]);
        // Key-storing commands are not routed: they still ask for the service to be stopped.
        const shares = path.join(dir, 'shares');
        const split = await spx([
          'split',
          '--epoch',
          '2',
          '--threshold',
          '2',
          '--shares',
          '2',
          '--out-dir',
          shares,
        ]);
        expect(split.code).toBe(0);
        for (const args of [
          ['init', '--epoch', '2'],
          ['import-share', '--file', path.join(shares, 'epoch-2-share-1-of-2.json')],
        ]) {
          const refused = await spx([...args, '--data-dir', dataDir]);
          expect([refused.errorCode, refused.stderr]).toEqual([
            'DB_LOCKED',
            expect.stringMatching(/is locked by process \d+/),
          ]);
        }
      } finally {
        await stop();
      }
      const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = lines.filter((l) => l['event'] === 'operator_request');
      // Flag checks refuse before anything is sent (keyset --epoch 9 reads the keys, then refuses):
      // one request per other command.
      expect(requests.length).toBe(SESSION().length - 1);
      expect(requests.map((r) => r['route'])).toContain('/v1/quotas/:ori');
      // Never an ORI or a note in the log.
      expect(logs.join('\n')).not.toContain(CITY);
      expect(logs.join('\n')).not.toContain('ticket 1');
      // The socket is gone with the service, and the database opens again.
      await expect(stat(path.join(dataDir, OPERATOR_SOCKET_NAME))).rejects.toThrow();
      expect(
        JSON.parse((await spx(['admissions', '--events', '--json', '--data-dir', dataDir])).stdout),
      ).toEqual(JSON.parse(expected[14]!.stdout));
    }, 120_000);

    it('says DB_LOCKED, and why, when no keyholder answers on the socket', async () => {
      const dataDir = await freshDataDir('locked');
      const lock = await acquireDataDirLock(dataDir);
      try {
        const none = await spx(['quota', '--ori', CITY, '--data-dir', dataDir]);
        expect([none.errorCode, none.stdout]).toEqual(['DB_LOCKED', '']);
        expect(none.stderr).toContain(
          `no keyholder answers on its operator socket (${path.join(dataDir, OPERATOR_SOCKET_NAME)}: no socket there)`,
        );
      } finally {
        await lock.release();
      }
    }, 60_000);
  },
);

describe('the keyholder operator API', () => {
  const calls: unknown[][] = [];
  const ops: KeyholderOperations = {
    quota: async (ori, change) => {
      calls.push(['quota', ori, change]);
      return { ori, day: '2026-05-01', used: 3, allowance: null, defaultDaily: 700 };
    },
    admit: async (...a) => (calls.push(['admit', ...a]), true),
    revoke: async (...a) => (calls.push(['revoke', ...a]), []),
    admissions: async () => [],
    admissionEvents: async () => [],
    listKeys: async () => {
      throw new Error('database gone');
    },
    retire: async (epoch) => {
      throw new KeyholderError('EPOCH_UNKNOWN', `this keyholder holds no key for epoch ${epoch}`, {
        field: 'epoch',
      });
    },
  };
  const logs: string[] = [];
  const app = createOperatorApp({ operations: ops, log: (l) => logs.push(l), now: () => NOW });
  const fetchApp = (r: Request) => Promise.resolve(app.request(r));
  const client = operatorClient(fetchApp);

  it('carries each operation and its arguments', async () => {
    calls.length = 0;
    expect((await client.quota(CITY, { clear: true })).used).toBe(3);
    await client.quota(CITY, { daily: 9 });
    await client.quota(CITY, undefined);
    expect(await client.admit(CITY, kid, null)).toBe(true);
    expect(await client.revoke(CITY, undefined, 'why')).toEqual([]);
    expect(calls).toEqual([
      ['quota', CITY, { clear: true }],
      ['quota', CITY, { daily: 9 }],
      ['quota', CITY, undefined],
      ['admit', CITY, kid, null],
      ['revoke', CITY, undefined, 'why'],
    ]);
  });

  it('refuses bad input naming it, and reports a failure without its detail', async () => {
    calls.length = 0;
    const bad = async (path: string, method: string, body: unknown) => {
      const res = await app.request(`http://x${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [res.status, ((await res.json()) as { detail?: string }).detail ?? ''];
    };
    for (const [p, m, b] of [
      ['/v1/quotas/CA0194200', 'PUT', { daily: -1 }],
      ['/v1/quotas/nope', 'PUT', { daily: 1 }],
      ['/v1/admissions', 'POST', { ori: CITY, kid: 'short', note: null }],
      ['/v1/admissions', 'POST', { ori: CITY, kid, note: 'x'.repeat(201) }],
      ['/v1/revocations', 'POST', { ori: CITY, note: 'a\nb' }],
      ['/v1/admissions', 'POST', { ori: CITY, kid, note: null, extra: 1 }],
      ['/v1/retirements', 'POST', { epoch: 0 }],
    ] as const) {
      const [status] = await bad(p, m, b);
      expect({ p, status }).toEqual({ p, status: 400 });
    }
    expect(calls).toEqual([]);
    await expect(client.listKeys()).rejects.toMatchObject({
      code: 'OPERATOR_CHANNEL_FAILED',
      message: expect.stringContaining('failed to carry out GET /v1/keys'),
    });
    expect(logs.join('\n')).not.toContain('database gone');
    await expect(client.retire(7)).rejects.toEqual(
      new KeyholderError('EPOCH_UNKNOWN', 'this keyholder holds no key for epoch 7', {
        field: 'epoch',
      }),
    );
  });
});
