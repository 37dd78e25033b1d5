import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { deriveKeyPair, splitKey } from '../crypto/oprf/index.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { openTestDatabase } from '../platform/db/test-db.js';
import { kekFromBytes, type KeyEncryptionKey } from './kek.js';
import { keyRepository, type NewKeyRecord } from './key-repository.js';
import { KEYHOLDER_MIGRATIONS } from './paths.js';
import { quotaRepository } from './quota-repository.js';
import * as tables from './schema.js';
import { rng } from './test-fixtures.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const SEED = new Uint8Array(32).fill(3);
let handle: DatabaseHandle<typeof tables>;
let kek: KeyEncryptionKey;
let otherKek: KeyEncryptionKey;

function whole(epoch: number): NewKeyRecord {
  const key = deriveKeyPair(SEED, epoch);
  return { key, threshold: 1, groupPublicKey: key.publicKey, publicShares: [key.publicKey] };
}

async function row(epoch: number) {
  const [r] = await handle.db
    .select()
    .from(tables.oprfKeys)
    .where(eq(tables.oprfKeys.epoch, epoch));
  return r!;
}

beforeAll(async () => {
  handle = await openTestDatabase(KEYHOLDER_MIGRATIONS, { tables });
  kek = await kekFromBytes(new Uint8Array(32).fill(0xaa));
  otherKek = await kekFromBytes(new Uint8Array(32).fill(0xbb));
});
afterAll(() => handle?.close());

describe('keyRepository', () => {
  it('seals the secret with the KEK and opens it again with the same KEK', async () => {
    const sealed = keyRepository(handle.db, { kek, rng });
    const record = whole(1);
    const stored = await sealed.add(record, NOW);
    expect(stored.protection).toBe('aes-256-gcm');
    const r = await row(1);
    expect(r.kekId).toBe(kek.id);
    expect(r.secretKey).not.toContain(toBase64url(record.key.secretKey));
    const opened = await keyRepository(handle.db, { kek, rng }).activeKey(1);
    expect(opened?.secretKey).toEqual(record.key.secretKey);
  });

  it('refuses to open a sealed secret without a KEK or with another KEK', async () => {
    await expect(keyRepository(handle.db, { rng }).activeKey(1)).rejects.toMatchObject({
      code: 'KEK_REQUIRED',
      field: 'SPX_KEYHOLDER_KEK_FILE',
    });
    await expect(
      keyRepository(handle.db, { kek: otherKek, rng }).activeKey(1),
    ).rejects.toMatchObject({ code: 'KEK_MISMATCH' });
  });

  it("does not open a sealed secret moved to another epoch's record", async () => {
    const repo = keyRepository(handle.db, { kek, rng });
    await repo.add(whole(2), NOW);
    const one = await row(1);
    await handle.db
      .update(tables.oprfKeys)
      .set({ secretKey: one.secretKey })
      .where(eq(tables.oprfKeys.epoch, 2));
    await expect(keyRepository(handle.db, { kek, rng }).activeKey(2)).rejects.toMatchObject({
      code: 'KEK_MISMATCH',
    });
    await keyRepository(handle.db, { kek, rng }).retire(2, NOW);
  });

  it('stores the secret as-is without a KEK', async () => {
    const plain = keyRepository(handle.db, { rng });
    const record = whole(3);
    expect((await plain.add(record, NOW)).protection).toBe('none');
    expect((await row(3)).secretKey).toBe(toBase64url(record.key.secretKey));
    expect((await plain.activeKey(3))?.secretKey).toEqual(record.key.secretKey);
  });

  it('never overwrites an epoch: a second record for it is EPOCH_EXISTS', async () => {
    const other = { ...whole(1), key: { ...deriveKeyPair(new Uint8Array(32).fill(9), 1) } };
    const second = {
      ...other,
      groupPublicKey: other.key.publicKey,
      publicShares: [other.key.publicKey],
    };
    await expect(keyRepository(handle.db, { kek, rng }).add(second, NOW)).rejects.toMatchObject({
      code: 'EPOCH_EXISTS',
      field: 'epoch',
    });
    expect((await row(1)).publicKey).toBe(toBase64url(whole(1).key.publicKey));
  });

  it('stores a share with its key set and refuses a share that is not part of the set', async () => {
    const { keySet, shares } = splitKey(deriveKeyPair(SEED, 4), 2, 3, rng);
    const record = (i: number): NewKeyRecord => ({
      key: shares[i]!,
      threshold: 2,
      groupPublicKey: keySet.publicKey,
      publicShares: keySet.publicShares,
    });
    const repo = keyRepository(handle.db, { rng });
    const wrongIndex = { ...record(1), key: { ...shares[1]!, shareIndex: 3 } };
    await expect(repo.add(wrongIndex, NOW)).rejects.toMatchObject({ code: 'KEY_RECORD_INVALID' });
    const offSet = { ...record(1), publicShares: [...keySet.publicShares].reverse() };
    await expect(repo.add(offSet, NOW)).rejects.toMatchObject({ code: 'KEY_RECORD_INVALID' });
    const stored = await repo.add(record(1), NOW);
    expect(stored).toMatchObject({ epoch: 4, shareIndex: 2, threshold: 2, total: 3 });
    expect(stored.groupPublicKey).toBe(toBase64url(keySet.publicKey));
  });

  it('retires an epoch once, reports a repeat, and refuses an unknown epoch', async () => {
    const repo = keyRepository(handle.db, { rng });
    expect((await repo.retire(3, NOW)).changed).toBe(true);
    expect((await repo.retire(3, NOW)).changed).toBe(false);
    expect(await repo.activeKey(3)).toBeUndefined();
    await expect(repo.retire(77, NOW)).rejects.toMatchObject({ code: 'EPOCH_UNKNOWN' });
  });

  it('lists records in epoch order without their secrets', async () => {
    const listed = await keyRepository(handle.db, { rng }).list();
    expect(listed.map((r) => [r.epoch, r.status])).toEqual([
      [1, 'active'],
      [2, 'retired'],
      [3, 'retired'],
      [4, 'active'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(toBase64url(whole(3).key.secretKey));
  });
});

describe('quotaRepository', () => {
  it('counts up to the limit, refuses beyond it, and reports the figures', async () => {
    const q = quotaRepository(handle.db);
    expect(await q.consume('CA0000001', '2026-05-01', 7, 10)).toEqual({ ok: true, used: 7 });
    expect(await q.consume('CA0000001', '2026-05-01', 3, 10)).toEqual({ ok: true, used: 10 });
    expect(await q.consume('CA0000001', '2026-05-01', 1, 10)).toEqual({
      ok: false,
      used: 10,
      limit: 10,
    });
    // A first request larger than the limit leaves no row behind.
    expect(await q.consume('CA0000002', '2026-05-01', 11, 10)).toMatchObject({ ok: false });
    expect(await q.used('CA0000002', '2026-05-01')).toBe(0);
  });

  it("uses an agency's allowance instead of the default until it is cleared", async () => {
    const q = quotaRepository(handle.db);
    await q.setAllowance('CA0000003', 100, NOW);
    expect(await q.consume('CA0000003', '2026-05-01', 50, 10)).toEqual({ ok: true, used: 50 });
    await q.setAllowance('CA0000003', 60, NOW);
    expect(await q.allowance('CA0000003')).toBe(60);
    expect(await q.consume('CA0000003', '2026-05-01', 20, 10)).toMatchObject({
      ok: false,
      limit: 60,
    });
    expect(await q.clearAllowance('CA0000003')).toBe(true);
    expect(await q.clearAllowance('CA0000003')).toBe(false);
    expect(await q.allowance('CA0000003')).toBeUndefined();
    expect(await q.consume('CA0000003', '2026-05-02', 11, 10)).toMatchObject({ ok: false });
  });

  it('allows a zero allowance that refuses everything', async () => {
    const q = quotaRepository(handle.db);
    await q.setAllowance('CA0000004', 0, NOW);
    expect(await q.consume('CA0000004', '2026-05-01', 1, 10)).toMatchObject({ ok: false });
  });
});
