import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { NodeTables } from './database.js';
import { officersRepository, type OfficerFields } from './officers.repository.js';
import { caseKey, outcomesRepository, type OutcomeFields } from './outcomes.repository.js';
import { attestationsRepository } from './attestations.repository.js';
import { clearNodeStore, openNodeTestDatabase } from './testing.js';

const T0 = new Date('2025-03-01T12:00:00Z');
const T1 = new Date('2025-03-02T12:00:00Z');

const officer = (employeeId: string, over: Partial<OfficerFields> = {}): OfficerFields => ({
  employeeId,
  firstName: 'Ramón',
  middleName: null,
  lastName: 'Ibáñez',
  suffix: 'Jr.',
  dateOfBirth: '1984-07-02',
  ssn: '899-12-3456',
  licenseState: 'NM',
  licenseNumber: '12-345',
  hireDate: '2008-05-01',
  separationDate: null,
  aliases: [],
  ...over,
});

const outcome = (localRef: string, over: Partial<OutcomeFields> = {}): OutcomeFields => ({
  localRef,
  category: 'termination',
  categoryList: 1,
  useOfForce: true,
  eventDate: '2023-04-02',
  outcomeDate: '2023-09-14',
  status: 'final',
  statusDate: '2023-11-01',
  notified: true,
  disputedSince: null,
  ...over,
});

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

describe('officers repository', () => {
  it('stores an officer with aliases in order and reads the dates back as YYYY-MM-DD strings', async () => {
    const repo = officersRepository(handle.db);
    const aliases = [
      { firstName: null, lastName: 'Ortega' },
      { firstName: 'Ray', lastName: 'Ibanez' },
    ];
    const stored = await repo.insert(officer('E-1', { aliases }), T0);
    const read = await repo.get(stored.id);
    expect(read.dateOfBirth).toBe('1984-07-02');
    expect(read.hireDate).toBe('2008-05-01');
    expect(read.aliases).toEqual(aliases);
    expect(read.createdAt.toISOString()).toBe(T0.toISOString());
    expect((await repo.findByEmployeeId('E-1'))?.id).toBe(stored.id);
    expect(await repo.findByEmployeeId('E-2')).toBeUndefined();
  });

  it('refuses a second officer with the same employee id as OFFICER_EXISTS', async () => {
    const repo = officersRepository(handle.db);
    await repo.insert(officer('E-1'), T0);
    await expect(repo.insert(officer('E-1', { firstName: 'Other' }), T0)).rejects.toMatchObject({
      name: 'NodeError',
      code: 'OFFICER_EXISTS',
      field: 'employeeId',
    });
    expect(await repo.count()).toBe(1);
  });

  it('replaces fields and aliases on update, and reports an unknown id as OFFICER_UNKNOWN', async () => {
    const repo = officersRepository(handle.db);
    const a = await repo.insert(
      officer('E-1', { aliases: [{ firstName: null, lastName: 'X' }] }),
      T0,
    );
    const updated = await repo.update(a.id, officer('E-1', { ssn: null, aliases: [] }), T1);
    expect(updated.ssn).toBeNull();
    expect((await repo.get(a.id)).aliases).toEqual([]);
    expect((await repo.get(a.id)).updatedAt.toISOString()).toBe(T1.toISOString());
    await expect(repo.update(a.id + 999, officer('E-9'), T1)).rejects.toMatchObject({
      code: 'OFFICER_UNKNOWN',
    });
    await expect(repo.get(a.id + 999)).rejects.toMatchObject({ code: 'OFFICER_UNKNOWN' });
  });

  it('finds many officers by employee id across query chunks and pages through them', async () => {
    const repo = officersRepository(handle.db);
    const list = Array.from({ length: 1203 }, (_, i) => officer(`E-${i}`));
    await repo.insertMany(list, T0);
    const found = await repo.findByEmployeeIds([...list.map((o) => o.employeeId), 'missing']);
    expect(found.size).toBe(1203);
    const page = await repo.list({ limit: 10 });
    const next = await repo.list({ afterId: page[9]!.id, limit: 10 });
    expect(next[0]!.id).toBeGreaterThan(page[9]!.id);
    expect(await repo.count()).toBe(1203);
  });
});

describe('outcomes repository', () => {
  it('keeps one outcome per officer and case number (OUTCOME_EXISTS) and refuses unknown officers', async () => {
    const { id: officerId } = await officersRepository(handle.db).insert(officer('E-1'), T0);
    const repo = outcomesRepository(handle.db);
    await repo.insert({ officerId, ...outcome('IA-1') }, T0);
    await expect(repo.insert({ officerId, ...outcome('IA-1') }, T0)).rejects.toMatchObject({
      code: 'OUTCOME_EXISTS',
      field: 'localRef',
    });
    await expect(
      repo.insert({ officerId: officerId + 99, ...outcome('IA-2') }, T0),
    ).rejects.toMatchObject({ code: 'OFFICER_UNKNOWN' });
    expect(await repo.count()).toBe(1);
  });

  it('bumps the revision on every update and on a change of the officer’s keys', async () => {
    const officers = officersRepository(handle.db);
    const { id: officerId } = await officers.insert(officer('E-1'), T0);
    const repo = outcomesRepository(handle.db);
    const o = await repo.insert({ officerId, ...outcome('IA-1') }, T0);
    expect(o.revision).toBe(1);
    const u = await repo.update(o.id, outcome('IA-1', { status: 'pending_appeal' }), T1);
    expect(u.revision).toBe(2);
    expect(await officers.markOutcomesForReattestation(officerId, T1)).toBe(1);
    expect((await repo.get(o.id)).revision).toBe(3);
    const byCase = await repo.findByOfficers([officerId]);
    expect(byCase.get(caseKey(officerId, 'IA-1'))?.id).toBe(o.id);
  });

  it('lists outcomes needing attestation until one for their revision is on its way or accepted', async () => {
    const { id: officerId } = await officersRepository(handle.db).insert(officer('E-1'), T0);
    const repo = outcomesRepository(handle.db);
    const attestations = attestationsRepository(handle.db);
    const a = await repo.insert({ officerId, ...outcome('IA-1') }, T0);
    // Never attested and overturned: nothing at the hub to supersede, so never published.
    await repo.insert({ officerId, ...outcome('IA-2', { status: 'overturned' }) }, T0);
    const first = await repo.needingAttestation({ limit: 10 });
    expect(first.map((r) => [r.outcome.localRef, r.employeeId])).toEqual([['IA-1', 'E-1']]);
    expect(await repo.countNeedingAttestation()).toBe(1);

    const id = '01956a00-0000-7000-8000-000000000001';
    await attestations.record(
      {
        id,
        outcomeId: a.id,
        outcomeRevision: 1,
        statementStatus: 'final',
        epoch: 1,
        jws: 'a.b.c',
        supersedes: null,
      },
      T0,
    );
    expect(await repo.needingAttestation({ limit: 10 })).toEqual([]);
    expect(await repo.countNeedingAttestation()).toBe(0);
    await attestations.markRejected(id, 'VALIDATION_FAILED', null, T1);
    expect(await repo.needingAttestation({ limit: 10 })).toHaveLength(1);
    expect(await repo.countNeedingAttestation()).toBe(1);
  });
});
