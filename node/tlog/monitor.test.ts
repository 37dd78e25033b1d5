import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noteSigner } from '../../crypto/note/index.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { ClientError } from '../clients/index.js';
import { seedFor } from '../clients/test-support/deterministic.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import {
  attestationLog,
  attestations,
  logAlerts,
  logCheckpoints,
  logRepository,
  type NodeTables,
} from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { forkFor, rewrite } from './test-support/fake-log.js';
import { monitorNode, type MonitorNode } from './test-support/monitor-node.js';

let handle: DatabaseHandle<NodeTables>;
let world: World;
let node: MonitorNode;

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
});

const latest = () => logRepository(handle.db).latestCheckpoint();
const openAlerts = () => logRepository(handle.db).openAlerts();
const codes = (r: { alerts: readonly { code: string }[] }) => r.alerts.map((a) => a.code);
/** Another agency's statements grow the log. */
const grow = (n: number) => {
  for (let i = 0; i < n; i++) world.hub.log.appendEntry(`{"other":${i}}`);
};

describe('receipts', () => {
  it('records a statement as delivered only with verified evidence, and where it is', async () => {
    await node.publish();
    const rows = await handle.db.select().from(attestations);
    expect(rows.map((r) => r.delivery)).toEqual(['accepted', 'accepted']);
    const places = await handle.db.select().from(attestationLog);
    expect(places.map((p) => p.logIndex).sort()).toEqual([0, 1]);
    for (const p of places) {
      const jws = rows.find((r) => r.id === p.attestationId)!.jws;
      expect(world.hub.log.evidence(jws)).toMatchObject({ index: p.logIndex, salt: p.salt });
      expect(p.verifiedSize).toBe(2);
    }
    expect(await latest()).toMatchObject({
      size: 2,
      source: 'receipt',
      origin: world.hub.log.origin,
    });
    expect(await logRepository(handle.db).origin()).toBe(world.hub.log.origin);
  });

  it('does not record a statement whose proof does not match, alerts, and delivers it on retry', async () => {
    world.hub.tamper.receipt = (r) => ({
      ...r,
      receipts: r.receipts.map((x, i) => (i === 1 ? { ...x, log: { ...x.log, index: 0 } } : x)),
    });
    await node.publish();
    const rows = await handle.db.select().from(attestations);
    expect(rows.map((r) => r.delivery).sort()).toEqual(['accepted', 'sent']);
    const [alert] = await openAlerts();
    const unproved = rows.find((r) => r.delivery === 'sent')!;
    expect(alert).toMatchObject({
      code: 'LOG_RECEIPT_INVALID',
      detail: { attestationId: unproved.id, source: 'receipt', index: 0 },
    });
    expect(node.lines.some((l) => l.includes('"code":"LOG_RECEIPT_INVALID"'))).toBe(true);
    world.hub.tamper = {};
    world.clock.set('2025-03-01T12:10:00Z');
    expect(await node.sender.drain()).toMatchObject({ duplicate: 1, unverified: 0 });
    const after = await handle.db.select().from(attestations);
    expect(after.every((r) => r.delivery === 'accepted')).toBe(true);
    expect(await handle.db.select().from(attestationLog)).toHaveLength(2);
  });

  it('records nothing from a receipt whose checkpoint the hub did not sign', async () => {
    world.hub.log.tamper.signer = noteSigner(world.hub.log.origin, seedFor('impostor'));
    await node.publish();
    const rows = await handle.db.select().from(attestations);
    expect(rows.map((r) => r.delivery)).toEqual(['sent', 'sent']);
    expect(await latest()).toBeUndefined();
    expect((await openAlerts()).map((a) => a.code)).toEqual(['LOG_BAD_SIGNATURE']);
  });
});

describe('receipts when the hub keys cannot be loaded', () => {
  it('refuses nothing the hub took: the batch is sent again later', async () => {
    const down = monitorNode(
      handle.db,
      world,
      world.city,
      {},
      {
        hubKeys: () =>
          Promise.reject(
            new ClientError('NETWORK_ERROR', 'down', { service: 'hub', retryable: true }),
          ),
      },
    );
    await down.publish();
    const rows = await handle.db.select().from(attestations);
    expect(rows.map((r) => r.delivery)).toEqual(['sent', 'sent']);
    expect((await openAlerts()).map((a) => [a.code, a.detail['reason']])).toEqual([
      ['LOG_UNREACHABLE', 'NETWORK_ERROR'],
    ]);
    world.clock.set('2025-03-01T12:10:00Z');
    expect(await node.sender.drain()).toMatchObject({ duplicate: 2, rejected: 0 });
  });
});

describe('runMonitor', () => {
  it('verifies a grown log, proves our statements again at the new size and stores it', async () => {
    await node.publish();
    grow(3);
    const result = await node.monitor();
    expect(result).toMatchObject({
      ok: true,
      previousSize: 2,
      stored: true,
      proved: 2,
      remaining: 0,
      cosigned: null,
      checkpoint: { size: 5 },
    });
    expect(await latest()).toMatchObject({ size: 5, source: 'monitor' });
    const places = await handle.db.select().from(attestationLog);
    expect(places.every((p) => p.verifiedSize === 5)).toBe(true);
    expect(await logRepository(handle.db).lastRun()).toMatchObject({ ok: true, stored: true });
    expect((await node.monitor()).stored).toBe(false); // nothing new
  });

  it('raises LOG_BAD_SIGNATURE for a checkpoint signed by another key and keeps the last one', async () => {
    await node.publish();
    grow(1);
    world.hub.log.tamper.signer = noteSigner(world.hub.log.origin, seedFor('impostor'));
    const result = await node.monitor();
    expect([result.ok, codes(result), result.stored]).toEqual([
      false,
      ['LOG_BAD_SIGNATURE'],
      false,
    ]);
    expect((await latest())?.size).toBe(2);
    await node.monitor();
    const [alert] = await openAlerts();
    expect(alert).toMatchObject({ code: 'LOG_BAD_SIGNATURE', count: 2 });
  });

  it('raises LOG_ROLLBACK when the latest checkpoint is smaller than one verified', async () => {
    await node.publish();
    world.hub.log.tamper.leaves = (l) => l.slice(0, 1);
    expect(codes(await node.monitor())).toEqual(['LOG_ROLLBACK']);
  });

  it('raises LOG_FORK for another checkpoint of the same size, keeping both notes as evidence', async () => {
    await node.publish();
    const verified = (await latest())!.note;
    world.hub.log.tamper.viewFor = forkFor(world.city.entry.ori);
    expect(codes(await node.monitor())).toEqual(['LOG_FORK']);
    const [alert] = await openAlerts();
    expect(alert!.detail).toMatchObject({ size: 2, verifiedNote: verified });
    expect(alert!.detail['note']).not.toBe(verified);
  });

  it('raises LOG_INCONSISTENT when a larger checkpoint rewrote history', async () => {
    await node.publish();
    grow(2);
    world.hub.log.tamper.leaves = rewrite.alterLeaf(0);
    expect(codes(await node.monitor())).toEqual(['LOG_INCONSISTENT']);
    expect((await latest())?.size).toBe(2);
  });

  describe('catches our statement altered, dropped or reordered (node restored without its checkpoints)', () => {
    for (const [name, tamper] of [
      ['altered', rewrite.alterLeaf(1)],
      ['dropped', rewrite.dropLeaf(1)],
      ['reordered', rewrite.swapLeaves(0, 1)],
    ] as const) {
      it(`raises LOG_OMISSION for a statement ${name}`, async () => {
        await node.publish();
        grow(3);
        await handle.db.delete(logCheckpoints);
        world.hub.log.tamper.leaves = tamper;
        const result = await node.monitor();
        expect(result.ok).toBe(false);
        expect(new Set(codes(result))).toEqual(new Set(['LOG_OMISSION']));
        expect(await latest()).toBeUndefined();
      });
    }
  });

  it('raises LOG_OMISSION when the hub’s inclusion proofs do not prove our statement', async () => {
    await node.publish();
    grow(2);
    world.hub.log.tamper.inclusion = (p) => ({ ...p, proof: [...p.proof].reverse() });
    const result = await node.monitor();
    expect(codes(result)).toEqual(['LOG_OMISSION', 'LOG_OMISSION']);
    expect(result.stored).toBe(false);
  });

  it('raises LOG_UNREACHABLE when the hub fails, and closes it on the next good pass', async () => {
    await node.publish();
    world.hub.log.tamper.note = () => {
      throw new Error('database down');
    };
    expect(codes(await node.monitor())).toEqual(['LOG_UNREACHABLE']);
    expect((await openAlerts()).map((a) => a.code)).toEqual(['LOG_UNREACHABLE']);
    world.hub.log.tamper = {};
    expect((await node.monitor()).ok).toBe(true);
    expect(await openAlerts()).toEqual([]);
    const all = await handle.db.select().from(logAlerts);
    expect(all[0]!.resolvedAt).not.toBeNull();
  });
});
