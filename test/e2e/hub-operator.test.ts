/**
 * The hub operator's commands beside a running hub on PGlite, as real processes (docs/hub.md,
 * "Operator commands beside a running hub"): `spx hub serve` holds its data directory; `spx hub
 * agencies`, `enroll`, `audit` and `report compliance` (signed with the key the hub publishes),
 * each its own process, go through the hub's operator socket and
 * the hub serves the change at once. Then the hub is SIGKILLed, leaving its lock and socket
 * behind: the next command opens the directory itself, and a restarted hub replaces the socket.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpx, startService, type ServiceProcess } from '../../bin/demo/processes.js';
import { verifyDetached } from '../../crypto/signing/detached.js';
import { utf8 } from '../../crypto/encoding.js';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';

let dir: string;
let env: Record<string, string>;
const running: ServiceProcess[] = [];

const dataDir = () => path.join(dir, 'hub');
const socketPath = () => path.join(dataDir(), 'spx-operator.sock');

async function startHub(): Promise<ServiceProcess> {
  const hub = await startService({
    name: 'hub',
    args: ['hub', 'serve'],
    env,
    logFile: path.join(dir, 'hub.log'),
  });
  running.push(hub);
  return hub;
}

async function registryStatus(hub: ServiceProcess, ori: string): Promise<string> {
  const res = await fetch(`${hub.url}/v1/registry/agencies/${ori}`);
  return ((await res.json()) as { status: string }).status;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-e2e-operator-'));
  env = {
    SPX_DATA_DIR: dataDir(),
    SPX_HUB_PORT: '0',
    SPX_HUB_KEY_FILE: path.join(dir, 'hub-key.json'),
    SPX_HUB_LOG_ORIGIN: 'operator-test.spx.invalid/hub-log',
  };
  expect((await runSpx(['hub', 'keygen', '--out', env['SPX_HUB_KEY_FILE']!], env)).code).toBe(0);
  const agency = await signingKeyFromSeed(new Uint8Array(32).fill(7));
  await writeFile(path.join(dir, 'agency.pub.json'), JSON.stringify(agency.publicJwk));
});
afterAll(async () => {
  for (const hub of running) await hub.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('spx hub operator commands beside a running hub on PGlite', () => {
  it('go through the hub, and survive its being killed', async () => {
    let hub = await startHub();
    expect(await runSpx(['hub', 'agencies'], env)).toMatchObject({
      code: 0,
      stdout: 'no agencies enrolled\n',
    });
    const enrolled = await runSpx(
      [
        'hub',
        'enroll',
        '--ori',
        'CA0194200',
        '--name',
        'Example City Police Department',
        '--level',
        'local',
        '--state',
        'CA',
        '--roles',
        'reporter,checker',
        '--jwk',
        path.join(dir, 'agency.pub.json'),
        '--contact-name',
        'Records Unit',
        '--contact-email',
        'records@example.gov',
        '--contact-phone',
        '+12135550100',
      ],
      env,
    );
    expect([enrolled.code, enrolled.stderr]).toEqual([0, '']);
    expect(await registryStatus(hub, 'CA0194200')).toBe('active');
    expect(await runSpx(['hub', 'audit'], env)).toMatchObject({
      code: 0,
      stdout: 'no checks audited\n',
    });
    // The compliance report, signed by the running hub with the key it publishes.
    const out = path.join(dir, 'compliance.csv');
    const report = await runSpx(
      ['hub', 'report', 'compliance', '--format', 'csv', '--out', out],
      env,
    );
    expect([report.code, report.stderr]).toEqual([
      0,
      `wrote ${out} and its signature ${out}.jws\n`,
    ]);
    const csv = await readFile(out, 'utf8');
    expect(csv).toMatch(
      /\r\n[0-9]{4}-Q[1-4],[^,]+,1,CA0194200,Example City Police Department,local,CA,active,none,/,
    );
    const { keys } = (await (await fetch(`${hub.url}/v1/hub/keys`)).json()) as {
      keys: { kid: string; x: string }[];
    };
    const verified = await verifyDetached(
      utf8(csv),
      (await readFile(`${out}.jws`, 'utf8')).trim(),
      {
        typ: 'spx-compliance-report-csv+jws',
        key: { kty: 'OKP', crv: 'Ed25519', x: keys[0]!.x },
        kid: keys[0]!.kid,
      },
    );
    expect(verified.ok).toBe(true);
    expect(await runSpx(['hub', 'report', 'compliance', '--period', '2099-Q1'], env)).toMatchObject(
      {
        code: 1,
        stderr: expect.stringContaining('spx: PERIOD_NOT_CLOSED: '),
      },
    );

    // SIGKILL: no clean close, so the lock and the socket stay behind.
    process.kill(hub.pid!, 'SIGKILL');
    await hub.stop();
    expect((await stat(socketPath())).isSocket()).toBe(true);
    const suspended = await runSpx(['hub', 'suspend', '--ori', 'CA0194200'], env);
    expect([suspended.code, suspended.stderr]).toEqual([0, '']);

    hub = await startHub();
    expect(await registryStatus(hub, 'CA0194200')).toBe('suspended');
    const reinstated = await runSpx(['hub', 'reinstate', '--ori', 'CA0194200'], env);
    expect([reinstated.code, reinstated.stderr]).toEqual([0, '']);
    expect(await registryStatus(hub, 'CA0194200')).toBe('active');
    expect(await hub.stop()).toBe(0);
  });
});
