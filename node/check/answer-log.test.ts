import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../crypto/match-keys/index.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { examplePolicy } from '../../protocol/test-support/examples.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { forkFor } from '../tlog/test-support/fake-log.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { logRepository, type NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { checkCandidate } from './check-candidate.js';
import { screened } from './test-support/screened.js';
import { CheckError } from './check-error.js';

const officer: Identity = {
  firstName: 'Ann',
  lastName: 'Lee',
  dob: '1990-01-01',
  ssn: '123-45-6789',
};

let handle: DatabaseHandle<NodeTables>;
let world: World;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  await world.publish(world.city, officer);
  world.hub.log.appendEntry('{"registry":"change"}');
});

async function check() {
  const node = world.node(world.tribal);
  return checkCandidate(
    {
      candidate: screened(officer, 'consent/2025/0099', world.clock.now()),
      purpose: 'hiring',
      consentRef: 'consent/2025/0099',
      policy: examplePolicy(),
    },
    {
      keyholders: node.keyholders,
      hub: node.hub,
      requester: world.tribal.entry.ori,
      hubKeys: await node.hub.hubKeys(),
      rng: node.rng,
      now: world.clock.now,
      logView: testLogView(handle.db, node.hub, { now: world.clock.now }),
    },
  );
}

describe('a check answer held against the node’s view of the log', () => {
  it('moves the view to a newer checkpoint that extends the last verified one', async () => {
    await check();
    expect(await logRepository(handle.db).latestCheckpoint()).toMatchObject({
      size: 2,
      source: 'answer',
    });
    await world.publish(world.board, { ...officer, ssn: '234-56-7890' });
    await check();
    expect((await logRepository(handle.db).latestCheckpoint())?.size).toBe(3);
  });

  it('refuses an answer proved in a fork of the log this node verified, and alerts', async () => {
    await check();
    world.hub.log.tamper.viewFor = forkFor(world.tribal.entry.ori);
    const e = await check().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckError);
    expect([(e as CheckError).code, (e as CheckError).field]).toEqual([
      'LOG_CHECKPOINT_INCONSISTENT',
      'log.checkpoint',
    ]);
    const [alert] = await logRepository(handle.db).openAlerts();
    expect(alert).toMatchObject({ code: 'LOG_FORK', detail: { source: 'answer', size: 2 } });
  });
});
