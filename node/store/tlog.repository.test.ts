import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { NodeTables } from './database.js';
import { logRepository, type NewCheckpoint } from './tlog.repository.js';
import { clearNodeStore, openNodeTestDatabase } from './testing.js';

const T0 = new Date('2025-03-01T12:00:00Z');
const T1 = new Date('2025-03-01T12:01:00Z');

let handle: DatabaseHandle<NodeTables>;
beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
});

const cp = (size: number): NewCheckpoint => ({
  size,
  origin: 'hub.test/log',
  root: `root-${size}`,
  note: `note ${size}`,
  source: 'monitor',
});

describe('logRepository', () => {
  it('advances the last verified checkpoint only from the one the caller checked against', async () => {
    const repo = logRepository(handle.db);
    expect(await repo.advance(cp(5), null, T0)).toBe(true);
    // Two verifiers both checked against 5; only the first may store.
    const [a, b] = await Promise.all([repo.advance(cp(7), 5, T1), repo.advance(cp(8), 5, T1)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const latest = await repo.latestCheckpoint();
    expect(latest?.size).toBe(a ? 7 : 8);
    expect(await repo.advance(cp(9), null, T1)).toBe(false);
    expect(await repo.advance(cp(4), latest!.size, T1)).toBe(false);
  });

  it('keeps the first origin seen', async () => {
    const repo = logRepository(handle.db);
    expect(await repo.origin()).toBeUndefined();
    expect(await repo.trustOrigin('hub.test/log', T0)).toBe('hub.test/log');
    expect(await repo.trustOrigin('other.test/log', T1)).toBe('hub.test/log');
  });

  it('counts a repeated open alert, opens a new one after it is resolved', async () => {
    const repo = logRepository(handle.db);
    const alert = { code: 'LOG_FORK', key: 'LOG_FORK:5', message: 'fork', detail: { size: 5 } };
    const first = await repo.raiseAlert(alert, T0);
    const again = await repo.raiseAlert({ ...alert, message: 'fork again' }, T1);
    expect([again.id, again.count, again.message, again.at, again.lastAt]).toEqual([
      first.id,
      2,
      'fork again',
      T0,
      T1,
    ]);
    expect(await repo.resolveAlert(first.id, T1)).toBe(true);
    expect(await repo.resolveAlert(first.id, T1)).toBe(false);
    const reopened = await repo.raiseAlert(alert, T1);
    expect([reopened.id === first.id, reopened.count]).toEqual([false, 1]);
    await repo.raiseAlert({ ...alert, code: 'LOG_UNREACHABLE', key: 'LOG_UNREACHABLE:' }, T1);
    expect(await repo.resolveCodes(['LOG_UNREACHABLE'], T1)).toBe(1);
    expect((await repo.openAlerts()).map((a) => a.code)).toEqual(['LOG_FORK']);
  });
});
