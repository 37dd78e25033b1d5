import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noteSigner } from '../../crypto/note/index.js';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { seededRng, seedFor } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { LogStatusResponseSchema, MonitorResultSchema } from '../api/index.js';
import { registerNodeCommands } from '../cli.js';
import { MONITOR_ALERT_EXIT_CODE } from '../tlog/index.js';
import { DEFAULT_CHECK_POLICY } from '../config.js';
import { monitorNode, type MonitorNode } from '../tlog/test-support/monitor-node.js';
import { checks, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { createKeyholderSet, pinnedKeySetOf } from '../tokenize/index.js';
import { createNodeApp, type NodeApp } from './app.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import { serializedMonitor } from './log-routes.js';

const TOKEN = 'test-admin-token-0123456789abcdef-log';
const auth = { authorization: `Bearer ${TOKEN}` };

let handle: DatabaseHandle<NodeTables>;
let world: World;
let node: MonitorNode;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  node = monitorNode(handle.db, world, world.city);
  const rng = seededRng('log-routes');
  app = createNodeApp({
    db: handle.db,
    adminToken: TOKEN,
    ori: world.city.entry.ori,
    key: world.city.key,
    keyholders: createKeyholderSet(
      { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
      {
        identity: { ori: world.city.entry.ori, key: world.city.key },
        fetch: world.fetch,
        now: world.clock.now,
        rng,
      },
    ),
    hub: node.hub,
    hubKeys: () => node.hub.hubKeys(),
    policy: DEFAULT_CHECK_POLICY,
    outbox: node.sender,
    now: world.clock.now,
    rng,
    log: createLogger(() => undefined, world.clock.now),
    transparency: {
      view: node.view,
      settings: { origin: undefined, witnesses: [], quorum: 0 },
      runMonitor: serializedMonitor(() => node.monitor()),
      witness: false,
    },
  });
  await node.publish();
});

async function cli(args: string[]) {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, now: world.clock.now };
  const program = new Command('spx').exitOverride();
  registerNodeCommands(program, io, {
    env: { SPX_NODE_ADMIN_TOKEN: TOKEN },
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(input.toString(), init)) as typeof fetch,
  });
  for (const c of program.commands) c.exitOverride();
  let error: unknown;
  try {
    await program.parseAsync(['node', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join(''), error };
}

describe('the node’s log routes and commands', () => {
  it('shows the last verified checkpoint and the node’s witness key', async () => {
    const res = await app.request('/v1/log/status', { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      origin: world.hub.log.origin,
      originPinned: false,
      checkpoint: { size: 2, source: 'receipt' },
      lastRun: null,
      alerts: [],
      statements: { tracked: 2, provedAtCheckpoint: 2 },
      witness: { enabled: false, key: expect.stringMatching(/^spx-witness\/CA0194200\+/) },
    });
    expect((await app.request('/v1/log/status')).status).toBe(401);
  });

  it('runs a pass: exit 0 when all verified, 3 with the alert code when not', async () => {
    const ok = await cli(['monitor']);
    expect(ok.error).toBeUndefined();
    expect(ok.out).toContain('No alert.');
    world.hub.log.tamper.signer = noteSigner(world.hub.log.origin, seedFor('impostor'));
    const bad = await cli(['monitor', '--json']);
    expect(bad.error).toBeInstanceOf(CliError);
    expect([(bad.error as CliError).code, (bad.error as CliError).exitCode]).toEqual([
      'LOG_BAD_SIGNATURE',
      MONITOR_ALERT_EXIT_CODE,
    ]);
    expect(JSON.parse(bad.out)).toMatchObject({
      ok: false,
      alerts: [{ code: 'LOG_BAD_SIGNATURE' }],
    });
  });

  it('keeps an alert open in the status until a person resolves it', async () => {
    world.hub.log.tamper.signer = noteSigner(world.hub.log.origin, seedFor('impostor'));
    await app.request('/v1/log/monitor', { method: 'POST', headers: auth });
    world.hub.log.tamper = {};
    await app.request('/v1/log/monitor', { method: 'POST', headers: auth });
    const status = await cli(['log-status', '--json']);
    expect((status.error as CliError).exitCode).toBe(MONITOR_ALERT_EXIT_CODE);
    const [alert] = JSON.parse(status.out).alerts as { id: number; code: string }[];
    expect(alert!.code).toBe('LOG_BAD_SIGNATURE');
    const resolved = await cli(['resolve-alert', String(alert!.id), '--json']);
    expect(resolved.error).toBeUndefined();
    expect(JSON.parse(resolved.out)).toEqual({ id: alert!.id, resolved: true });
    expect((await cli(['log-status'])).out).toContain('No open alert.');
    const again = await cli(['resolve-alert', String(alert!.id)]);
    expect((again.error as CliError).code).toBe('ALERT_UNKNOWN');
    // zod drops members a schema does not name: equal means the schema names every one.
    const raw = await (await app.request('/v1/log/status', { headers: auth })).json();
    expect(LogStatusResponseSchema.parse(raw)).toEqual(raw);
    expect(raw).toMatchObject({ lastRun: { ok: true } });
    const pass = await (
      await app.request('/v1/log/monitor', { method: 'POST', headers: auth })
    ).json();
    expect(MonitorResultSchema.parse(pass)).toEqual(pass);
  });

  it('stores and returns a check answer whole, with the log evidence that proves it', async () => {
    const res = await app.request('/v1/checks', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        candidate: {
          firstName: 'Ramón',
          lastName: 'Ibáñez Jr.',
          dob: '1994-05-24',
          ssn: '899-73-2759',
        },
        purpose: 'hiring',
        consentRef: 'consent/2025/0101',
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      answer: { attestations: string[]; log: { checkpoint: string; inclusions: unknown[] } };
    };
    expect(body.answer.attestations).toHaveLength(1);
    expect(body.answer.log.inclusions).toHaveLength(1);
    expect(body.answer.log.checkpoint).toContain(world.hub.log.origin);
    const [stored] = await handle.db.select().from(checks);
    expect(stored!.answer).toEqual(body.answer);
  });
});
