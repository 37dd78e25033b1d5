import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { attestationsRepository, type NewAttestation } from './attestations.repository.js';
import { checksRepository } from './checks.repository.js';
import type { NodeTables } from './database.js';
import { officersRepository } from './officers.repository.js';
import { outboxRepository } from './outbox.repository.js';
import { outcomesRepository } from './outcomes.repository.js';
import { settingsRepository } from './settings.repository.js';
import { clearNodeStore, openNodeTestDatabase } from './testing.js';

const T0 = new Date('2025-03-01T12:00:00Z');
const T1 = new Date('2025-03-01T12:01:00Z');
const T2 = new Date('2025-03-01T12:02:00Z');
const ID1 = '01956a00-0000-7000-8000-000000000001';
const ID2 = '01956a00-0000-7000-8000-000000000002';

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

async function anOutcome(): Promise<number> {
  const { id: officerId } = await officersRepository(handle.db).insert(
    {
      employeeId: 'E-1',
      firstName: 'Ann',
      middleName: null,
      lastName: 'Lee',
      suffix: null,
      dateOfBirth: '1980-01-01',
      ssn: null,
      licenseState: null,
      licenseNumber: null,
      hireDate: null,
      separationDate: null,
      aliases: [],
    },
    T0,
  );
  const o = await outcomesRepository(handle.db).insert(
    {
      officerId,
      localRef: 'IA-1',
      category: 'suspension',
      categoryList: 1,
      useOfForce: false,
      eventDate: '2024-01-01',
      outcomeDate: '2024-02-01',
      status: 'notice_sent',
      statusDate: '2024-02-01',
      notified: true,
      disputedSince: null,
    },
    T0,
  );
  return o.id;
}

const statement = (outcomeId: number, over: Partial<NewAttestation> = {}): NewAttestation => ({
  id: ID1,
  outcomeId,
  outcomeRevision: 1,
  statementStatus: 'notice_sent',
  epoch: 3,
  jws: 'eyJhbGciOiJFZERTQSJ9.e30.sig',
  supersedes: null,
  ...over,
});

describe('attestations repository', () => {
  it('keeps the JWS byte for byte and refuses a second statement with the same id', async () => {
    const repo = attestationsRepository(handle.db);
    const outcomeId = await anOutcome();
    await repo.record(statement(outcomeId), T0);
    expect((await repo.get(ID1)).jws).toBe('eyJhbGciOiJFZERTQSJ9.e30.sig');
    await expect(repo.record(statement(outcomeId), T0)).rejects.toMatchObject({
      code: 'ATTESTATION_EXISTS',
    });
    await expect(repo.record(statement(outcomeId + 9, { id: ID2 }), T0)).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
    await expect(repo.get(ID2)).rejects.toMatchObject({ code: 'ATTESTATION_UNKNOWN' });
  });

  it('moves an accepted statement into its outcome, and a late receipt of an older revision does not move it back', async () => {
    const repo = attestationsRepository(handle.db);
    const outcomes = outcomesRepository(handle.db);
    const outcomeId = await anOutcome();
    await repo.record(statement(outcomeId), T0);
    await repo.record(
      statement(outcomeId, {
        id: ID2,
        outcomeRevision: 2,
        statementStatus: 'final',
        supersedes: ID1,
      }),
      T0,
    );
    expect(await repo.markSent([ID1, ID2], T1)).toBe(2);
    expect(await repo.markSent([ID1], T1)).toBe(0);
    await repo.markAccepted(ID2, { receipt: 2 }, T2);
    await repo.markAccepted(ID1, { receipt: 1 }, T2);
    const o = await outcomes.get(outcomeId);
    expect([o.currentAttestationId, o.attestedRevision, o.attestedStatus]).toEqual([
      ID2,
      2,
      'final',
    ]);
    expect((await repo.get(ID1)).receipt).toEqual({ receipt: 1 });
    expect([(await repo.get(ID1)).delivery, (await repo.get(ID2)).delivery]).toEqual([
      'accepted',
      'accepted',
    ]);
  });

  it('records a refusal with the hub’s code and leaves the outcome unattested', async () => {
    const repo = attestationsRepository(handle.db);
    const outcomeId = await anOutcome();
    await repo.record(statement(outcomeId), T0);
    const r = await repo.markRejected(ID1, 'EPOCH_UNKNOWN', { code: 'EPOCH_UNKNOWN' }, T1);
    expect([r.delivery, r.rejectionCode]).toEqual(['rejected', 'EPOCH_UNKNOWN']);
    expect((await outcomesRepository(handle.db).get(outcomeId)).currentAttestationId).toBeNull();
    await expect(repo.markAccepted(ID2, {}, T1)).rejects.toMatchObject({
      code: 'ATTESTATION_UNKNOWN',
    });
  });
});

describe('checks repository', () => {
  it('records a check, then its signed answer, and lists newest first', async () => {
    const repo = checksRepository(handle.db);
    const base = { purpose: 'hiring' as const, consentRef: 'C-1', requestedBy: 'investigator' };
    await repo.create({ id: ID1, candidateRef: 'BG-2025-117', ...base }, T0);
    await repo.create({ id: ID2, candidateRef: null, ...base }, T1);
    await expect(repo.create({ id: ID1, candidateRef: null, ...base }, T1)).rejects.toMatchObject({
      code: 'CHECK_EXISTS',
    });
    const answered = await repo.recordAnswer(
      ID1,
      { hubCheckId: ID2, responseJws: 'x.y.z', verdict: 'review', matchCount: 1 },
      T2,
    );
    expect([answered.state, answered.verdict, answered.matchCount]).toEqual([
      'answered',
      'review',
      1,
    ]);
    const failed = await repo.recordFailure(ID2, 'UNAVAILABLE', T2);
    expect([failed.state, failed.errorCode]).toEqual(['failed', 'UNAVAILABLE']);
    expect((await repo.list({ limit: 10 })).map((c) => c.id)).toEqual([ID2, ID1]);
    expect((await repo.list({ before: T1, limit: 10 })).map((c) => c.id)).toEqual([ID1]);
    await expect(repo.get('01956a00-0000-7000-8000-0000000000ff')).rejects.toMatchObject({
      code: 'CHECK_UNKNOWN',
    });
  });
});

describe('outbox repository', () => {
  it('enqueues once per dedupe key', async () => {
    const repo = outboxRepository(handle.db);
    const a = await repo.enqueue(
      { kind: 'attestations', payload: { ids: [1] }, dedupeKey: 'k' },
      T0,
    );
    const b = await repo.enqueue(
      { kind: 'attestations', payload: { ids: [2] }, dedupeKey: 'k' },
      T1,
    );
    expect([a.created, b.created, b.item.id]).toEqual([true, false, a.item.id]);
    expect(b.item.payload).toEqual({ ids: [1] });
  });

  it('claims due items with a lease, so a claimed item is not claimed again until the lease ends', async () => {
    const repo = outboxRepository(handle.db);
    const { item } = await repo.enqueue({ kind: 'k', payload: 1 }, T0);
    await repo.enqueue({ kind: 'k', payload: 2, notBefore: T2 }, T0);
    const claimed = await repo.claimDue(T0, { limit: 10, leaseMs: 30_000 });
    expect(claimed.map((i) => [i.id, i.attempts])).toEqual([[item.id, 1]]);
    expect(
      await repo.claimDue(new Date(T0.getTime() + 29_000), { limit: 10, leaseMs: 30_000 }),
    ).toEqual([]);
    const again = await repo.claimDue(T2, { limit: 10, leaseMs: 30_000 });
    expect(again.map((i) => i.attempts)).toEqual([2, 1]);
  });

  it('retries, completes and buries items and counts them by state', async () => {
    const repo = outboxRepository(handle.db);
    const a = (await repo.enqueue({ kind: 'k', payload: 'a' }, T0)).item;
    const b = (await repo.enqueue({ kind: 'k', payload: 'b' }, T0)).item;
    const c = (await repo.enqueue({ kind: 'k', payload: 'c' }, T0)).item;
    const retried = await repo.retry(a.id, 'UNAVAILABLE', T2, T1);
    expect([retried.lastError, retried.nextAttemptAt.toISOString()]).toEqual([
      'UNAVAILABLE',
      T2.toISOString(),
    ]);
    await repo.complete(b.id, T1);
    await repo.bury(c.id, 'VALIDATION_FAILED', T1);
    expect(await repo.countByState()).toEqual({ pending: 1, done: 1, dead: 1 });
    await expect(repo.complete(c.id + 99, T1)).rejects.toMatchObject({
      code: 'OUTBOX_ITEM_UNKNOWN',
    });
  });
});

describe('settings repository', () => {
  it('stores, replaces and deletes JSON values by key', async () => {
    const repo = settingsRepository(handle.db);
    expect(await repo.get('epoch')).toBeUndefined();
    await repo.set('epoch', { current: 3 }, T0);
    await repo.set('epoch', { current: 4 }, T1);
    expect(await repo.get('epoch')).toEqual({ current: 4 });
    expect(await repo.delete('epoch')).toBe(true);
    expect(await repo.delete('epoch')).toBe(false);
  });
});
