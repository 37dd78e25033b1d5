/**
 * Distinct officers counted in SQL (statistics.repository.ts officerCounts) against an
 * in-memory union-find over the same generated statements and hub indexes: statements sharing
 * a strong hub index (ssn, license) under one epoch are one officer, transitively; a shared
 * name_dob (a namesake) links nothing; a statement with no strong index is an officer of its
 * own. And the release document carries the protected officer table at each tier.
 */
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SigningKey } from '../../crypto/signing/index.js';
import { coverageOf } from '../../protocol/statistics-coverage.js';
import {
  clearHubTables,
  keyFromByte,
  openHubTestDatabase,
  type HubTestHandle,
} from '../test-support.js';
import type { HubDatabase } from '../database.js';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import { transparencyLog } from '../tlog/tlog.service.js';
import { TOTAL } from './disclosure/index.js';
import type { OfficerGroup } from './disclosure/officers.js';
import {
  generate,
  insertAgencies,
  insertStatements,
  seeded,
  type StatementRow,
} from './release-data.test-support.js';
import { releaseCsv, releaseDocument } from './release-document.js';
import { releaseWindow } from './statistics-period.js';
import { statisticsRepository } from './statistics.repository.js';
import { publishedYears, statisticsService } from './statistics.service.js';
import { statisticsSnapshots } from './statistics.table.js';
import { suppressInline } from './suppression-thread.js';

const CUTOFF = new Date('2026-05-01T00:00:00Z');
const YEARS = publishedYears(new Date(CUTOFF.getTime() - 1));

let handle: HubTestHandle;
let db: HubDatabase;
let hubKey: SigningKey;
beforeAll(async () => {
  handle = await openHubTestDatabase();
  db = handle.db;
  hubKey = await keyFromByte(0xab);
});
afterAll(() => handle.close());
beforeEach(async () => {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
});

interface Keyed {
  readonly id: string;
  readonly epoch: number;
  readonly keys: readonly { kind: string; hubIndex: string }[];
}

/**
 * Hub indexes for generated statements: each chain is one officer of a pool; a tenth of the
 * statements under epoch 2 (their indexes differ, as a new key's do); ssn on most, a licence
 * (of two per officer) on half, name_dob on all, shared by namesakes.
 */
function keysFor(statements: readonly StatementRow[], seed: number): Keyed[] {
  const random = seeded(seed);
  const officerOf = new Map<string, number>();
  return statements.map((s) => {
    const officer =
      s.supersedes !== null
        ? officerOf.get(s.supersedes)!
        : Math.floor(random() * statements.length * 0.4);
    officerOf.set(s.id, officer);
    const epoch = random() < 0.1 ? 2 : 1;
    const keys: { kind: string; hubIndex: string }[] = [
      { kind: 'name_dob', hubIndex: `nd:${officer % 25}:e${epoch}` },
    ];
    if (random() < 0.6) keys.push({ kind: 'ssn', hubIndex: `ssn:${officer}:e${epoch}` });
    if (random() < 0.5) {
      keys.push({
        kind: 'license',
        hubIndex: `lic:${officer}:${random() < 0.5 ? 0 : 1}:e${epoch}`,
      });
    }
    return { id: s.id, epoch, keys };
  });
}

async function insertKeys(keyed: readonly Keyed[]): Promise<void> {
  const epoch2 = keyed.filter((k) => k.epoch === 2).map((k) => k.id);
  for (let i = 0; i < epoch2.length; i += 500) {
    await db
      .update(attestations)
      .set({ epoch: 2 })
      .where(inArray(attestations.id, epoch2.slice(i, i + 500)));
  }
  const rows = keyed.flatMap((k) => k.keys.map((key) => ({ attestationId: k.id, ...key })));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(attestationKeys).values(rows.slice(i, i + 1000));
  }
}

/** The statements the statement table counts, then officers by union-find, then the groups. */
function referenceOfficers(statements: readonly StatementRow[], keyed: readonly Keyed[]) {
  const before = statements.filter((s) => s.receivedAt < CUTOFF);
  const superseded = new Set(before.map((s) => s.supersedes).filter((id) => id !== null));
  const counted = before.filter(
    (s) =>
      s.status === 'final' &&
      !superseded.has(s.id) &&
      YEARS.includes(Number(s.outcomeDate.slice(0, 4))),
  );
  const parent = new Map(counted.map((s) => [s.id, s.id]));
  const find = (id: string): string => {
    const p = parent.get(id)!;
    if (p === id) return id;
    const root = find(p);
    parent.set(id, root);
    return root;
  };
  const holder = new Map<string, string>();
  const keysOf = new Map(keyed.map((k) => [k.id, k]));
  for (const s of counted) {
    for (const key of keysOf.get(s.id)!.keys) {
      if (key.kind !== 'ssn' && key.kind !== 'license') continue;
      const other = holder.get(key.hubIndex);
      if (other === undefined) holder.set(key.hubIndex, s.id);
      else parent.set(find(s.id), find(other));
    }
  }
  const sets = new Map<string, Set<string>>();
  for (const s of counted) {
    for (const c of [TOTAL, s.category])
      for (const y of [TOTAL, s.outcomeDate.slice(0, 4)]) {
        const k = `${c}|${y}`;
        sets.set(k, (sets.get(k) ?? new Set()).add(find(s.id)));
      }
  }
  return { counted, groups: [...sets].map(([k, v]) => `${k}=${v.size}`).sort() };
}

const render = (groups: readonly OfficerGroup[]) =>
  groups.map((g) => `${g.category}|${g.year}=${g.officers}`).sort();

describe('distinct officers, counted in SQL', () => {
  it.each([
    { seed: 5, agencies: 20, statements: 1200 },
    { seed: 6, agencies: 6, statements: 300 },
  ])('are the union-find of strong hub indexes (seed $seed)', async (options) => {
    const data = generate({ ...options, cutoff: CUTOFF, supersedeShare: 0.2, states: 4 });
    await insertAgencies(db, data.agencies);
    await insertStatements(db, data.statements);
    const keyed = keysFor(data.statements, options.seed);
    await insertKeys(keyed);
    const { groups, officers } = await statisticsRepository(db).releaseCountsAndOfficers(
      CUTOFF,
      YEARS,
    );
    const reference = referenceOfficers(data.statements, keyed);
    expect(render(officers)).toEqual(reference.groups);
    // Not trivial: linking merged statements, and fewer officers than statements counted.
    const grand = officers.find((g) => g.category === TOTAL && g.year === TOTAL)!.officers;
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(reference.counted.length);
    expect(grand).toBeLessThan(reference.counted.length);
    expect(grand).toBeGreaterThan(reference.counted.length / 4);
  });

  it('links through a shared licence, never through a namesake or across epochs', async () => {
    await insertAgencies(db, [{ ori: 'CA0000001', jurisdiction: 'local', state: 'CA' }]);
    const row = (i: number, category = 'termination'): StatementRow => ({
      id: `o-${i}`,
      issuer: 'CA0000001',
      category,
      useOfForce: false,
      outcomeDate: '2025-03-01',
      status: 'final',
      supersedes: null,
      receivedAt: new Date(CUTOFF.getTime() - 1000),
    });
    await insertStatements(db, [row(1), row(2, 'suspension'), row(3), row(4), row(5), row(6)]);
    await db.execute(sql`update attestations set epoch = 2 where id = 'o-6'`);
    await db.insert(attestationKeys).values([
      // o-1 and o-2 share an ssn, o-2 and o-3 a licence: one officer in two categories.
      { attestationId: 'o-1', hubIndex: 'A', kind: 'ssn' },
      { attestationId: 'o-2', hubIndex: 'A', kind: 'ssn' },
      { attestationId: 'o-2', hubIndex: 'L', kind: 'license' },
      { attestationId: 'o-3', hubIndex: 'L', kind: 'license' },
      // o-4 and o-5 are namesakes: a shared name_dob does not link.
      { attestationId: 'o-4', hubIndex: 'N', kind: 'name_dob' },
      { attestationId: 'o-5', hubIndex: 'N', kind: 'name_dob' },
      // o-6 is under another epoch: the same index string would not link it either.
      { attestationId: 'o-6', hubIndex: 'A', kind: 'ssn' },
    ]);
    const { officers } = await statisticsRepository(db).releaseCountsAndOfficers(CUTOFF, YEARS);
    expect(render(officers)).toEqual(
      [
        `${TOTAL}|${TOTAL}=4`,
        `${TOTAL}|2025=4`,
        `termination|${TOTAL}=4`,
        'termination|2025=4',
        `suspension|${TOTAL}=1`,
        'suspension|2025=1',
      ].sort(),
    );
  });
});

describe('a release with officers', () => {
  it('publishes the protected officer table at each tier, in the JSON only', async () => {
    const data = generate({ seed: 7, agencies: 10, statements: 900, cutoff: CUTOFF, states: 2 });
    await insertAgencies(db, data.agencies);
    await insertStatements(db, data.statements);
    await insertKeys(keysFor(data.statements, 7));
    const service = statisticsService(db, {
      minCell: 5,
      period: 'day',
      suppress: suppressInline,
      signingKey: hubKey,
      log: transparencyLog(db, { origin: 'hub.test/log', signingKey: hubKey }),
      certificationPeriod: 'quarter',
    });
    const now = new Date(CUTOFF.getTime() + 3_600_000);
    const served = await service.release(now);
    expect(served.officers).toBeDefined();
    const window = releaseWindow('day', now);
    const coverage = coverageOf('2026-Q1', [{ certified: true, sworn: 2000 }]);
    const doc = (tier: 'full' | 'rates' | 'withheld') =>
      releaseDocument({
        period: 'day',
        window,
        table: served.table,
        officers: served.officers,
        facts: { version: 1, coverage, tier },
      });
    const full = doc('full');
    expect(full.officers!.metadata.linking.unit).toMatch(/strong hub index/);
    const grand = full.officers!.rows[0]!;
    expect(grand.dimensions).toEqual({ category: TOTAL, year: TOTAL });
    // Sparse, reasons hidden, and some suppression happens at this size — the grand total with
    // it, as every margin of a suppressed cell is.
    expect(full.officers!.rows.every((r) => r.count !== 0)).toBe(true);
    expect(
      full.officers!.rows.every((r) => r.suppressed === null || r.suppressed === 'suppressed'),
    ).toBe(true);
    expect(grand.suppressed).toBe('suppressed');
    const i = full.officers!.rows.findIndex((r) => typeof r.count === 'number');
    const shown = full.officers!.rows[i]!;
    expect(shown.count).toBeGreaterThanOrEqual(5);
    const rates = doc('rates').officers!.rows[i]!;
    expect(rates.count).toBeUndefined();
    // As in the statement table, a suppressed grand total leaves no percentage or rate.
    expect(rates.percent).toBeNull();
    expect(rates.ratePer1000).toBeNull();
    expect(doc('withheld').officers!.rows).toEqual([]);
    // The served body is this document; the CSV is the statement table alone.
    expect(new TextDecoder().decode(served.json.identity)).toContain('"officers":');
    expect(releaseCsv({ period: 'day', window, table: served.table, facts: served.facts })).toBe(
      new TextDecoder().decode(served.csv.identity),
    );

    // A release stored before officers were counted is served as before: no officers member,
    // the rest byte for byte the same.
    await db.update(statisticsSnapshots).set({ officersJson: null });
    const before = await statisticsService(db, {
      minCell: 5,
      period: 'day',
      suppress: suppressInline,
      signingKey: hubKey,
      log: transparencyLog(db, { origin: 'hub.test/log', signingKey: hubKey }),
      certificationPeriod: 'quarter',
    }).release(now);
    const body = new TextDecoder().decode(before.json.identity);
    expect(body).not.toContain('"officers"');
    const { officers: dropped, ...rest } = JSON.parse(
      new TextDecoder().decode(served.json.identity),
    ) as Record<string, unknown>;
    expect(dropped).toBeDefined();
    expect(body).toBe(JSON.stringify(rest));
  });
});
