/**
 * The keyholder operator's commands beside a running keyholder on PGlite, as real processes
 * (docs/keyholder.md, "Operator commands beside a running keyholder"): `spx keyholder serve`
 * holds its data directory; `admit`, `quota`, `admissions` and `retire`, each its own process,
 * go through its operator socket and the keyholder serves the change at once, while `init` still
 * says DB_LOCKED. Then the keyholder is SIGKILLed, leaving its lock and socket behind: the next
 * command opens the directory itself.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpx, startService, type ServiceProcess } from '../../bin/demo/processes.js';
import { signingKeyFromSeed } from '../../crypto/signing/keys.js';

let dir: string;
let env: Record<string, string>;
const running: ServiceProcess[] = [];
const ORI = 'CA0194200';

const dataDir = () => path.join(dir, 'keyholder');
const socketPath = () => path.join(dataDir(), 'spx-operator.sock');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-e2e-kh-operator-'));
  env = {
    SPX_DATA_DIR: dataDir(),
    SPX_KEYHOLDER_PORT: '0',
    SPX_KEYHOLDER_WORKERS: '0',
    // No hub answers here: the keyholder's registry copy stays empty, which these commands ignore.
    SPX_KEYHOLDER_HUB_URL: 'http://127.0.0.1:9',
  };
  expect((await runSpx(['keyholder', 'init', '--epoch', '1'], env)).code).toBe(0);
  expect((await runSpx(['keyholder', 'init', '--epoch', '2'], env)).code).toBe(0);
});
afterAll(async () => {
  for (const service of running) await service.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('spx keyholder operator commands beside a running keyholder on PGlite', () => {
  it('go through the keyholder, and survive its being killed', async () => {
    const keyholder = await startService({
      name: 'keyholder',
      args: ['keyholder', 'serve'],
      env,
      logFile: path.join(dir, 'keyholder.log'),
    });
    running.push(keyholder);
    expect((await stat(socketPath())).isSocket()).toBe(true);
    const kid = (await signingKeyFromSeed(new Uint8Array(32).fill(7))).kid;
    const admitted = await runSpx(['keyholder', 'admit', '--ori', ORI, '--kid', kid], env);
    expect([admitted.code, admitted.stdout, admitted.stderr]).toEqual([
      0,
      `admitted ${ORI} with key ${kid}\n`,
      '',
    ]);
    const quota = await runSpx(['keyholder', 'quota', '--ori', ORI, '--daily', '25'], env);
    expect([quota.code, quota.stderr]).toEqual([0, '']);
    expect(quota.stdout).toMatch(
      /^CA0194200: 25 elements per UTC day \(its own allowance\); 0 used/,
    );
    const retired = await runSpx(['keyholder', 'retire', '--epoch', '1'], env);
    expect([retired.code, retired.stdout]).toEqual([0, 'epoch 1: retired\n']);
    const keys = (await (await fetch(`${keyholder.url}/v1/keys`)).json()) as {
      keys: { epoch: number; status: string }[];
    };
    expect(keys.keys.map((k) => [k.epoch, k.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    const init = await runSpx(['keyholder', 'init', '--epoch', '3'], env);
    expect([init.code, init.stderr]).toEqual([1, expect.stringContaining('spx: DB_LOCKED:')]);

    // SIGKILL: no clean close, so the lock and the socket stay behind.
    process.kill(keyholder.pid!, 'SIGKILL');
    await keyholder.stop();
    expect((await stat(socketPath())).isSocket()).toBe(true);
    const listed = await runSpx(['keyholder', 'admissions', '--json'], env);
    expect(listed.code).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { admissions: { ori: string; kid: string }[] }).admissions,
    ).toMatchObject([{ ori: ORI, kid }]);
  });
});
