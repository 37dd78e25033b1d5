/**
 * `spx node monitoring [status|sync]` (docs/node.md "Monitoring") against a node app wired to the
 * test world's hub and keyholders: status before and after a sync, the sync's counts as text and
 * JSON, the hub's ENROLLMENT_LIMIT as a failing exit, and an unknown action as usage.
 */
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import { MonitoringStatusResponseSchema, MonitoringSyncResponseSchema } from '../api/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { registerNodeCommands } from '../cli.js';
import { syncMonitoring } from '../monitoring/sync.js';
import type { NodeApp } from '../service/app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import {
  monitoringEnrollments,
  officersRepository,
  type NodeTables,
  type OfficerFields,
} from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';

const DANA: OfficerFields = {
  employeeId: 'E-1042',
  firstName: 'Dana',
  middleName: null,
  lastName: 'Kowalczyk',
  suffix: null,
  dateOfBirth: '1988-03-14',
  ssn: '899-20-4417',
  licenseState: null,
  licenseNumber: null,
  hireDate: '2015-06-01',
  separationDate: null,
  aliases: [],
};

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

function nodeApp(enabled: boolean): NodeApp {
  const node = world.node(world.city);
  return testNodeApp(world, handle.db, {
    seed: 'monitoring-cli',
    monitoring: {
      enabled,
      sync: () =>
        syncMonitoring({
          db: handle.db,
          hub: node.hub,
          keyholders: node.keyholders,
          rng: node.rng,
          now: world.clock.now,
          log: createLogger(() => undefined, world.clock.now),
          settings: { enabled, renewDays: 30 },
        }),
    },
  });
}

beforeEach(async () => {
  await handle.db.delete(monitoringEnrollments);
  await clearNodeStore(handle.db);
  world = await createWorld();
  await officersRepository(handle.db).insertMany([DANA], world.clock.now());
  app = nodeApp(true);
});

async function cli(args: string[]) {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, now: world.clock.now };
  const program = new Command('spx').exitOverride();
  registerNodeCommands(program, io, {
    env: { SPX_NODE_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    rng: seededRng(`cli:${args.join(' ')}`),
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(input.toString(), init)) as typeof fetch,
  });
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  let error: unknown;
  try {
    await program.parseAsync(['node', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join(''), error };
}

describe('spx node monitoring', () => {
  it('shows nothing enrolled, syncs the roster, then shows what the hub holds', async () => {
    const before = await cli(['monitoring']);
    expect(before.error).toBeUndefined();
    expect(before.out).toContain('Monitoring is on.');
    expect(before.out).toContain('Enrolled: 0 current officers, 0 hub indexes.');

    const sync = await cli(['monitoring', 'sync']);
    expect(sync.error).toBeUndefined();
    const enrolled = world.hub.enrollments.get(world.city.entry.ori)?.size ?? 0;
    expect(enrolled).toBeGreaterThan(0);
    expect(sync.out).toContain('1 current officer to keep enrolled');
    expect(sync.out).toContain(`${enrolled} enrolled, 0 renewed, 0 removed`);

    const after = await cli(['monitoring', 'status', '--json']);
    expect(after.error).toBeUndefined();
    expect(MonitoringStatusResponseSchema.parse(JSON.parse(after.out))).toMatchObject({
      enabled: true,
      officers: 1,
      indexes: enrolled,
      unacknowledged: 0,
      notices: 0,
    });
    // A second sync has nothing to send.
    const again = MonitoringSyncResponseSchema.parse(
      JSON.parse((await cli(['monitoring', 'sync', '--json'])).out),
    );
    expect(again).toMatchObject({ enrolled: 0, renewed: 0, removed: 0, refused: null });
  });

  it("fails with the hub's code when the hub refuses the enrollment", async () => {
    world.hub.monitoringLimit = 1;
    const refused = await cli(['monitoring', 'sync']);
    expect(refused.error).toBeInstanceOf(CliError);
    expect((refused.error as CliError).code).toBe('ENROLLMENT_LIMIT');
    expect((refused.error as CliError).exitCode).toBe(1);
    expect(refused.out).toContain('The hub REFUSED the enrollment (ENROLLMENT_LIMIT)');
    expect((await cli(['monitoring'])).out).toContain('Enrolled: 1 current officer');
  });

  it('says monitoring is off, and a sync removes what was enrolled', async () => {
    await cli(['monitoring', 'sync']);
    app = nodeApp(false);
    expect((await cli(['monitoring'])).out).toContain('Monitoring is off');
    const off = await cli(['monitoring', 'sync', '--json']);
    const result = MonitoringSyncResponseSchema.parse(JSON.parse(off.out));
    expect(result.enabled).toBe(false);
    expect(result.removed).toBeGreaterThan(0);
    expect(world.hub.enrollments.get(world.city.entry.ori)?.size ?? 0).toBe(0);
  });

  it('refuses an unknown action as usage, sending nothing', async () => {
    const seen = world.hub.seen.length;
    const bad = await cli(['monitoring', 'enroll']);
    expect((bad.error as CliError).code).toBe('OPTION_INVALID');
    expect((bad.error as CliError).exitCode).toBe(2);
    expect(world.hub.seen.length).toBe(seen);
  });
});
