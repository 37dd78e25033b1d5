import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logging/json-lines.js';
import { toBase64url } from '../../crypto/encoding.js';
import { generateKeyPair, splitKey } from '../../crypto/oprf/index.js';
import { parseLogEntry, type LogEntry } from '../../protocol/tlog.js';
import { registryService } from '../registry/registry.service.js';
import { enrollAgency, keyFromByte, seededRng, useHubFixture } from '../test-support.js';
import { startCheckpointer, type CheckpointerTimers } from './checkpointer.js';
import { logKeyholderKeySet, readKeyholderKeySet, type KeyholderKeySet } from './keyholder-keys.js';
import { checkedHead, LOG_ORIGIN, verifiedCheckpoint } from './tlog-test-support.js';
import { logRepository } from './tlog.repository.js';
import { transparencyLog } from './tlog.service.js';

const fx = useHubFixture();

async function entries(): Promise<LogEntry[]> {
  const { size } = await checkedHead(fx.db);
  const rows = await logRepository(fx.db).entries(0, size);
  return rows.map((r) => {
    const parsed = parseLogEntry(r.entry);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  });
}

describe('registry changes are logged in their transaction', () => {
  it('enrollment, rotation, suspension and reinstatement, each once', async () => {
    const registry = registryService(fx.db);
    const first = await keyFromByte(1);
    const second = await keyFromByte(2);
    await enrollAgency(fx.db, 'CA0194200', first);
    await registry.rotateKey('CA0194200', second.publicJwk, fx.clock.now());
    await registry.setStatus('CA0194200', 'suspended', fx.clock.now());
    await registry.setStatus('CA0194200', 'suspended', fx.clock.now());
    await registry.setStatus('CA0194200', 'active', fx.clock.now());
    expect(await entries()).toEqual([
      expect.objectContaining({ event: 'enrolled', kid: first.kid, publicJwk: first.publicJwk }),
      expect.objectContaining({
        event: 'key_rotated',
        kid: second.kid,
        publicJwk: second.publicJwk,
      }),
      expect.objectContaining({ event: 'suspended', kid: second.kid, publicJwk: null }),
      expect.objectContaining({ event: 'reinstated', kid: second.kid, publicJwk: null }),
    ]);
  });

  it('not when the change is refused', async () => {
    const key = await keyFromByte(1);
    await enrollAgency(fx.db, 'CA0194200', key);
    await expect(enrollAgency(fx.db, 'CA0194200', await keyFromByte(3))).rejects.toMatchObject({
      code: 'AGENCY_EXISTS',
    });
    await expect(
      registryService(fx.db).rotateKey('CA0194200', key.publicJwk, fx.clock.now()),
    ).rejects.toMatchObject({ code: 'KEY_IN_USE' });
    expect(await entries()).toHaveLength(1);
  });
});

describe('the checkpointer', () => {
  it('checkpoints the head whenever it is ahead, on each timer tick, until stopped', async () => {
    const log = transparencyLog(fx.db, { origin: LOG_ORIGIN, signingKey: fx.hubKey });
    const lines: string[] = [];
    const pending: (() => void)[] = [];
    const timers: CheckpointerTimers = {
      setTimeout: (callback) => pending.push(callback),
      clearTimeout: () => pending.splice(0),
    };
    await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
    const checkpointer = await startCheckpointer(log, {
      intervalMs: 1000,
      now: fx.clock.now,
      log: createLogger((l) => void lines.push(l), fx.clock.now),
      timers,
    });
    const latest = async () => {
      const c = await log.repo.latestCheckpoint();
      return c && verifiedCheckpoint(fx, c.note).size;
    };
    expect(await latest()).toBe(1);
    expect(await checkpointer.runOnce()).toBeUndefined(); // nothing new
    await enrollAgency(fx.db, 'WA0000001', await keyFromByte(2));
    pending.shift()!();
    await checkpointer.runOnce();
    expect(await latest()).toBe(2);
    expect(lines.map((l) => JSON.parse(l) as { event: string; size: number })).toEqual([
      expect.objectContaining({ event: 'checkpoint_issued', size: 1 }),
      expect.objectContaining({ event: 'checkpoint_issued', size: 2 }),
    ]);
    await checkpointer.stop();
    expect(pending).toHaveLength(0);
  });

  it('issues the empty tree’s checkpoint on a new hub', async () => {
    const log = transparencyLog(fx.db, { origin: LOG_ORIGIN, signingKey: fx.hubKey });
    expect((await log.checkpointIfBehind(fx.clock.now()))?.size).toBe(0);
    expect(await log.checkpointIfBehind(fx.clock.now())).toBeUndefined();
  });
});

describe('keyholder keys', () => {
  const keySet = (label: string, epoch = 1): KeyholderKeySet => {
    const rng = seededRng(label);
    const { keySet: set } = splitKey(generateKeyPair(epoch, rng), 2, 3, rng);
    return {
      epoch: set.epoch,
      threshold: set.threshold,
      publicKey: toBase64url(set.publicKey),
      publicShares: set.publicShares.map(toBase64url),
    };
  };

  it('are logged once per epoch, and again when the key differs', async () => {
    const set = keySet('a');
    expect(await logKeyholderKeySet(fx.db, set, fx.clock.now())).toBe(true);
    expect(await logKeyholderKeySet(fx.db, set, fx.clock.now())).toBe(false);
    expect(await logKeyholderKeySet(fx.db, keySet('b'), fx.clock.now())).toBe(true);
    expect(await logKeyholderKeySet(fx.db, keySet('c', 2), fx.clock.now())).toBe(true);
    expect(await logKeyholderKeySet(fx.db, set, fx.clock.now())).toBe(true);
    const logged = await entries();
    expect(logged.map((e) => (e.kind === 'keyholder_key' ? e.epoch : 0))).toEqual([1, 1, 2, 1]);
    expect(logged[0]).toMatchObject({
      publicKey: set.publicKey,
      shares: set.publicShares.map((publicKey, i) => ({ index: i + 1, publicKey })),
    });
  });

  it('are read from inline JSON or a file and checked for consistency', async () => {
    const set = keySet('a');
    expect(await readKeyholderKeySet(JSON.stringify(set))).toEqual(set);
    const swapped = {
      ...set,
      publicShares: [set.publicShares[1]!, set.publicShares[0]!, set.publicShares[2]!],
    };
    await expect(readKeyholderKeySet(JSON.stringify(swapped))).rejects.toMatchObject({
      code: 'KEYHOLDER_KEYSET_INVALID',
    });
    await expect(
      readKeyholderKeySet(JSON.stringify({ ...set, publicKey: 'x' })),
    ).rejects.toMatchObject({
      code: 'KEYHOLDER_KEYSET_INVALID',
      field: 'publicKey',
    });
    await expect(readKeyholderKeySet('/nonexistent/keyset.json')).rejects.toMatchObject({
      code: 'KEYHOLDER_KEYSET_INVALID',
    });
  });
});
