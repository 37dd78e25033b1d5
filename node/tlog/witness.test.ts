import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyCosignedCheckpoint } from '../../crypto/note/index.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { logRepository, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { forkFor } from './test-support/fake-log.js';
import { monitorNode, type MonitorNode } from './test-support/monitor-node.js';
import { hubNoteKeys } from './verify-checkpoint.js';
import { witnessKeyText, witnessVerifierKey } from './witness.js';

let cityDb: DatabaseHandle<NodeTables>;
let tribalDb: DatabaseHandle<NodeTables>;
let world: World;
let city: MonitorNode;

beforeAll(async () => {
  [cityDb, tribalDb] = await Promise.all([openNodeTestDatabase(), openNodeTestDatabase()]);
});
afterAll(async () => {
  await cityDb?.close();
  await tribalDb?.close();
});
beforeEach(async () => {
  await clearNodeStore(cityDb.db);
  await clearNodeStore(tribalDb.db);
  world = await createWorld();
  city = monitorNode(cityDb.db, world, world.city);
  await city.publish();
});

/** Gives `ori` the witness role in the hub's registry. */
function makeWitness(ori: string): void {
  const i = world.registry.findIndex((e) => e.ori === ori);
  const entry = world.registry[i]!;
  world.registry[i] = { ...entry, roles: [...entry.roles, 'witness'] } as RegistryEntry;
}

const grow = (n: number) => {
  for (let i = 0; i < n; i++) world.hub.log.appendEntry(`{"other":${i}}`);
};

/** The tribal node, requiring the city's cosignature on every checkpoint it stores. */
function tribalRequiringCity(): MonitorNode {
  const cityWitness = witnessVerifierKey({ ori: world.city.entry.ori, key: world.city.key });
  return monitorNode(tribalDb.db, world, world.tribal, { witnesses: [cityWitness], quorum: 1 });
}

describe('the node as a witness', () => {
  it('cosigns a checkpoint it verified; the hub publishes a line that verifies under the agency key', async () => {
    makeWitness(world.city.entry.ori);
    grow(1);
    const result = await city.monitor({ witness: true });
    expect([result.ok, result.cosigned, result.stored]).toEqual([true, true, true]);
    expect(world.hub.cosignatures).toHaveLength(1);
    const served = await city.hub.logCheckpoint();
    const hubKey = (await city.hub.hubKeys())[0]!;
    const verified = verifyCosignedCheckpoint(served, {
      logKey: hubNoteKeys(world.hub.log.origin, [hubKey])[0]!,
      witnesses: [witnessVerifierKey({ ori: world.city.entry.ori, key: world.city.key })],
      quorum: 1,
    });
    expect(verified.ok && verified.value.cosigners.map((c) => c.timestamp)).toEqual([
      Math.floor(world.clock.now().getTime() / 1000),
    ]);
    expect(witnessKeyText({ ori: world.city.entry.ori, key: world.city.key })).toMatch(
      /^spx-witness\/CA0194200\+[0-9a-f]{8}\+/,
    );
  });

  it('raises LOG_COSIGN_FAILED when the hub refuses its cosignature (no witness role)', async () => {
    const result = await city.monitor({ witness: true });
    expect(result.alerts.map((a) => a.code)).toEqual(['LOG_COSIGN_FAILED']);
    expect(result.cosigned).toBe(false);
    const [alert] = await logRepository(cityDb.db).openAlerts();
    expect(alert!.detail).toMatchObject({
      reason: 'ROLE_REQUIRED',
      witness: 'spx-witness/CA0194200',
    });
  });
});

describe('a node requiring a witness quorum', () => {
  it('stores a checkpoint only once the witness cosigned it, then closes the alert', async () => {
    makeWitness(world.city.entry.ori);
    const tribal = tribalRequiringCity();
    const before = await tribal.monitor();
    expect([before.alerts.map((a) => a.code), before.stored]).toEqual([
      ['LOG_QUORUM_NOT_MET'],
      false,
    ]);
    expect(await logRepository(tribalDb.db).latestCheckpoint()).toBeUndefined();
    await city.monitor({ witness: true });
    const after = await tribal.monitor();
    expect([after.ok, after.stored]).toEqual([true, true]);
    expect(await logRepository(tribalDb.db).openAlerts()).toEqual([]);
  });

  it('is not shown a fork the witness did not see (two checkpoints of one size for two nodes)', async () => {
    makeWitness(world.city.entry.ori);
    const tribal = tribalRequiringCity();
    await city.monitor({ witness: true });
    expect((await tribal.monitor()).stored).toBe(true);
    // The log grows; the hub shows the tribal node another last entry than everyone else.
    grow(1);
    world.hub.log.tamper.viewFor = forkFor(world.tribal.entry.ori);
    expect((await city.monitor({ witness: true })).ok).toBe(true);
    const cityView = (await logRepository(cityDb.db).latestCheckpoint())!;
    const shown = await tribal.monitor();
    expect(shown.checkpoint?.size).toBe(cityView.size);
    expect(shown.checkpoint?.root).not.toBe(cityView.root);
    expect(shown.alerts.map((a) => a.code)).toEqual(['LOG_QUORUM_NOT_MET']);
    expect((await logRepository(tribalDb.db).latestCheckpoint())!.size).toBe(cityView.size - 1);
  });
});
