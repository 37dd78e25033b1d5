/**
 * The node API's progress stream (progress-stream.ts) for import and publish, and the CLI's
 * bars drawn from it against this app.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../platform/cli/cli-io.js';
import { looksLikeABar, screen } from '../../platform/cli/test-support/screen.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { registerNodeCommands } from '../cli.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import type { NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from './app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from './test-support.js';
import { PROGRESS_MEDIA_TYPE } from './progress-stream.js';

const TOKEN = TEST_ADMIN_TOKEN;
const HEADER =
  'employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date';
const OFFICERS = [
  HEADER,
  'RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05',
  'RPD-10002,Okafor,Chidi,,,1990-01-12,,NM,700603,,2018-03-15,',
  'RPD-10003,Lee,Ann,,,1985-11-02,,NM,700604,,2019-03-15,',
].join('\n');
const OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
RPD-10002,IA-2022-0002,termination,no,2022-12-14,2023-02-05,final,2023-03-07,yes,
`;

let handle: DatabaseHandle<NodeTables>;
let world: World;
let apps = 0;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
});

/** The node of app.test.ts; `keyholderFetch` replaces the keyholders' network. */
function nodeApp(keyholderFetch: typeof fetch = world.fetch): NodeApp {
  return testNodeApp(world, handle.db, { seed: `node-progress:${apps++}`, keyholderFetch });
}

const headers = (stream: boolean, type: string) => ({
  authorization: `Bearer ${TOKEN}`,
  'content-type': type,
  ...(stream ? { accept: PROGRESS_MEDIA_TYPE } : {}),
});
const importCsv = (app: NodeApp, path: string, body: string, stream = true) =>
  app.request(path, { method: 'POST', body, headers: headers(stream, 'text/csv') });
const publish = (app: NodeApp, stream = true) =>
  app.request('/v1/publish', { method: 'POST', headers: headers(stream, 'application/json') });

interface Lines {
  progress: { phase: string; done: number; total: number }[];
  last: { status: number; body: Record<string, unknown> };
}
async function lines(res: Response): Promise<Lines> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(PROGRESS_MEDIA_TYPE);
  const parsed = (await res.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = parsed.pop() as Lines['last'];
  return { progress: parsed.map((p) => p['progress'] as Lines['progress'][number]), last };
}
const finalOf = (progress: Lines['progress'], phase: string) =>
  progress.filter((p) => p.phase === phase).at(-1);

describe('node API progress stream', () => {
  it('streams import progress by phase and ends with the answer of a plain request', async () => {
    const app = nodeApp();
    const dry = await lines(await importCsv(app, '/v1/import/officers?dryRun=true', OFFICERS));
    const plainDry = await importCsv(app, '/v1/import/officers?dryRun=true', OFFICERS, false);
    expect(dry.last).toEqual({ status: 200, body: await plainDry.json() });
    expect(dry.progress.map((p) => p.phase)).not.toContain('write');

    const real = await lines(await importCsv(app, '/v1/import/officers', OFFICERS));
    expect(real.last).toMatchObject({ status: 200, body: { ok: true, summary: { inserted: 3 } } });
    expect(finalOf(real.progress, 'validate')).toEqual({ phase: 'validate', done: 3, total: 3 });
    expect(finalOf(real.progress, 'write')).toEqual({ phase: 'write', done: 3, total: 3 });
    const phases = real.progress.map((p) => p.phase);
    expect(phases.lastIndexOf('validate')).toBeLessThan(phases.indexOf('write'));
  });

  it('ends a rejected import with its 422 problem and per-row issues', async () => {
    const bad = `${HEADER}\nRPD-2,Lee,Ann,,,1980-01-01,666-12-3456,,,,,\n`;
    const res = await lines(await importCsv(nodeApp(), '/v1/import/officers', bad));
    expect(res.last).toMatchObject({
      status: 422,
      body: { code: 'IMPORT_REJECTED', issues: [{ line: 2, field: 'ssn' }] },
    });
  });

  it('streams the signing and sending of a publish', async () => {
    const app = nodeApp();
    await importCsv(app, '/v1/import/officers', OFFICERS, false);
    await importCsv(app, '/v1/import/outcomes', OUTCOMES, false);
    const res = await lines(await publish(app));
    expect(res.progress[0]).toEqual({ phase: 'sign', done: 0, total: 2 });
    expect(finalOf(res.progress, 'sign')).toEqual({ phase: 'sign', done: 2, total: 2 });
    expect(finalOf(res.progress, 'send')).toEqual({ phase: 'send', done: 2, total: 2 });
    expect(res.last).toMatchObject({ status: 200, body: { delivery: { accepted: 2 } } });
    expect(world.hub.stored.size).toBe(2);
  });

  it('ends with the problem when the work fails mid-stream', async () => {
    const down = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const app = nodeApp(down);
    await importCsv(app, '/v1/import/officers', OFFICERS, false);
    await importCsv(app, '/v1/import/outcomes', OUTCOMES, false);
    const plain = await publish(app, false);
    const streamed = await lines(await publish(app));
    expect(streamed.last).toEqual({ status: plain.status, body: await plain.json() });
    expect(streamed.last.status).toBe(503);
  });
});

describe('spx node import and publish against the node', () => {
  async function cli(app: NodeApp, args: string[], terminal: boolean) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      now: world.clock.now,
      ...(terminal ? { stderrTerminal: { columns: 120 } } : {}),
    };
    const program = new Command('spx').exitOverride();
    registerNodeCommands(program, io, {
      env: { SPX_NODE_ADMIN_TOKEN: TOKEN },
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        app.request(input.toString(), init)) as typeof fetch,
    });
    await program.parseAsync(['node', ...args], { from: 'user' });
    return { out: out.join(''), err: err.join('') };
  }

  it('draws bars that reach the total on a terminal, and none with --json', async () => {
    const app = nodeApp();
    const dir = await mkdtemp(join(tmpdir(), 'spx-node-progress-'));
    await writeFile(join(dir, 'officers.csv'), OFFICERS);
    await writeFile(join(dir, 'outcomes.csv'), OUTCOMES);
    const imported = await cli(app, ['import', 'officers', join(dir, 'officers.csv')], true);
    expect(screen(imported.err).slice(2)).toEqual([
      expect.stringMatching(/^Checking \[=+\] 100% \| 3\/3 rows/),
      expect.stringMatching(/^Writing {2}\[=+\] 100% \| 3\/3 rows/),
    ]);
    expect(imported.out).toContain('officers: 3 rows — 3 new');

    const json = await cli(app, ['import', 'outcomes', join(dir, 'outcomes.csv'), '--json'], true);
    expect(looksLikeABar(json.err)).toBe(false);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, summary: { inserted: 2 } });

    const published = await cli(app, ['publish'], true);
    expect(screen(published.err).slice(1)).toEqual([
      expect.stringMatching(/^Signing \[=+\] 100% \| 2\/2 outcomes/),
      expect.stringMatching(/^Sending \[=+\] 100% \| 2\/2 statements/),
    ]);
    expect(published.out).toContain('Hub: 2 accepted');
  });
});
