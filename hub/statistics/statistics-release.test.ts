/**
 * The hub builds a release by counting in SQL and suppressing in a worker thread
 * (statistics.service.ts). Before, it read every statement into memory and built the table on
 * the event loop (release-reference.test-support.ts). Published releases must not change with
 * the method: these tests build both ways over the same generated statements — chains
 * superseded before and after the cutoff, every status, outcome years outside the published
 * window, stateless agencies, small cells around the threshold — and compare the bytes, and the
 * errors on data intake never produces.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IsoDateSchema } from '../../protocol/common.js';
import {
  clearHubTables,
  keyFromByte,
  openHubTestDatabase,
  seededRng,
  type HubTestHandle,
} from '../test-support.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { transparencyLog } from '../tlog/tlog.service.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';
import {
  auditSuppression,
  toCsv,
  toPublication,
  type StatisticsTable,
} from './disclosure/index.js';
import { referenceBuild } from './release-reference.test-support.js';
import {
  generate,
  insertAgencies,
  insertStatements,
  type GenerateOptions,
  type StatementRow,
} from './release-data.test-support.js';
import { statisticsService } from './statistics.service.js';
import { statisticsSnapshots } from './statistics.table.js';
import { suppressInline, suppressInThread } from './suppression-thread.js';

const CUTOFF = new Date('2026-05-01T00:00:00Z');

let handle: HubTestHandle;
let db: HubDatabase;
let hubKey: SigningKey;
beforeAll(async () => {
  handle = await openHubTestDatabase();
  db = handle.db;
  hubKey = await keyFromByte(0xaa);
});

/** What a release needs beside the table (only build() is used here). */
const releasing = () => ({
  signingKey: hubKey,
  log: transparencyLog(db, { origin: 'hub.test/log', signingKey: hubKey }),
  certificationPeriod: 'quarter' as const,
});
afterAll(() => handle.close());
beforeEach(async () => {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
});

/** Every byte a release publishes or stores, from one table. */
function bytes(table: StatisticsTable) {
  return {
    stored: JSON.stringify(table),
    json: JSON.stringify(toPublication(table)),
    csv: toCsv(table),
  };
}

async function bothWays(minCell: number, inThread = false) {
  const service = statisticsService(db, {
    minCell,
    period: 'day',
    suppress: inThread ? suppressInThread : suppressInline,
    ...releasing(),
  });
  const [reference, built] = [
    await referenceBuild(db, CUTOFF, minCell),
    await service.build(CUTOFF),
  ];
  return { reference, built };
}

async function load(options: Omit<GenerateOptions, 'cutoff'>) {
  const data = generate({ ...options, cutoff: CUTOFF });
  await insertAgencies(db, data.agencies);
  await insertStatements(db, data.statements);
  return data;
}

/** The error (code and field) a build throws, or undefined. */
async function failure(build: () => Promise<unknown>) {
  try {
    await build();
    return undefined;
  } catch (e) {
    const { code, field } = e as { code?: string; field?: string };
    return { code, field };
  }
}

describe('a release counted in SQL and suppressed off the event loop', () => {
  it('is byte for byte the in-memory build over the same statements (threshold 10, in a worker)', async () => {
    const data = await load({ seed: 1, agencies: 40, statements: 3000 });
    const { reference, built } = await bothWays(10, true);
    expect(bytes(built)).toEqual(bytes(reference));
    // The case is not trivial: chains cross the cutoff, small cells are suppressed.
    const superseded = new Set(data.statements.map((s) => s.supersedes).filter((s) => s !== null));
    expect(superseded.size).toBeGreaterThan(100);
    const flags = built.rows.map((r) => r.suppressed);
    expect(flags.filter((f) => f === 'primary').length).toBeGreaterThan(50);
    expect(flags.filter((f) => f === 'complementary').length).toBeGreaterThan(10);
    expect(built.rows.some((r) => (r.count ?? 0) >= 100)).toBe(true);
  });

  it.each([
    { seed: 2, agencies: 12, statements: 600, minCell: 3, states: 3 },
    { seed: 3, agencies: 80, statements: 1500, minCell: 11, states: 20 },
    { seed: 4, agencies: 5, statements: 150, minCell: 2, states: 2 },
  ])(
    'is the same over other generated statements (seed $seed, threshold $minCell)',
    async ({ minCell, ...options }) => {
      await load({ ...options, supersedeShare: 0.3 });
      const { reference, built } = await bothWays(minCell);
      expect(bytes(built)).toEqual(bytes(reference));
    },
  );

  it('is the same at the edges: no statements, one statement, all in one cell, on the threshold', async () => {
    await insertAgencies(db, [{ ori: 'CA0000001', jurisdiction: 'local', state: 'CA' }]);
    expect(bytes((await bothWays(10)).built)).toEqual(bytes((await bothWays(10)).reference));

    const row = (i: number, patch: Partial<StatementRow> = {}): StatementRow => ({
      id: `edge-${String(i).padStart(4, '0')}`,
      issuer: 'CA0000001',
      category: 'termination',
      useOfForce: false,
      outcomeDate: '2024-06-01',
      status: 'final',
      supersedes: null,
      receivedAt: new Date(CUTOFF.getTime() - 1000),
      ...patch,
    });
    await insertStatements(db, [row(0)]);
    let { reference, built } = await bothWays(10);
    expect(bytes(built)).toEqual(bytes(reference));
    expect(built.rows[0]!.suppressed).toBe('primary');

    // Nine: one below the threshold; then ten, on it; then a superseded one and a late one.
    await insertStatements(
      db,
      Array.from({ length: 8 }, (_, i) => row(i + 1)),
    );
    ({ reference, built } = await bothWays(10));
    expect(bytes(built)).toEqual(bytes(reference));
    expect(built.rows[0]!.count).toBeNull();
    await insertStatements(db, [
      row(9),
      row(10, { supersedes: 'edge-0009', status: 'retracted' }),
      row(11, { receivedAt: CUTOFF }),
      row(12, { supersedes: 'edge-0000', receivedAt: CUTOFF, status: 'overturned' }),
    ]);
    ({ reference, built } = await bothWays(10));
    expect(bytes(built)).toEqual(bytes(reference));
    // 9 counted: edge-0009 is retracted, edge-0011 late, edge-0000 overturned only after the cutoff.
    expect(built.rows[0]!.count).toBeNull();
    await insertStatements(db, [row(13, { outcomeDate: '2017-01-01' })]);
    ({ reference, built } = await bothWays(10));
    expect(bytes(built)).toEqual(bytes(reference));
    expect(built.rows[0]!.count).toBe(10);
    // Outside the published window (2017–2026): ignored both ways.
    await insertStatements(db, [row(14, { outcomeDate: '2016-12-31' })]);
    ({ reference, built } = await bothWays(10));
    expect(bytes(built)).toEqual(bytes(reference));
    expect(built.rows[0]!.count).toBe(10);
  });
});

describe('a release with differential-privacy noise', () => {
  it('states its budget, stays whole, non-negative and additive, and repeats with the same seed', async () => {
    await load({ seed: 2, agencies: 12, statements: 600, states: 3 });
    const noisy = (seed: string) =>
      statisticsService(db, {
        minCell: 3,
        period: 'day',
        suppress: suppressInline,
        noise: { epsilon: 0.5, rng: seededRng(seed) },
        ...releasing(),
      }).build(CUTOFF);
    const [a, b, other, exact] = [
      await noisy('one'),
      await noisy('one'),
      await noisy('two'),
      await statisticsService(db, { minCell: 3, period: 'day', ...releasing() }).build(CUTOFF),
    ];
    expect(a.metadata.noise).toMatchObject({ mechanism: 'discrete_laplace', epsilon: 0.5 });
    expect(exact.metadata.noise).toBeUndefined();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(a));
    // Published counts are whole and non-negative; the noise moved some of them.
    const counts = a.rows.map((r) => r.count).filter((c) => c !== null);
    expect(counts.every((c) => Number.isSafeInteger(c) && c >= 0)).toBe(true);
    expect(a.rows.some((r, i) => r.count !== null && r.count !== exact.rows[i]!.count)).toBe(true);
    // Suppression ran on the noisy table, and no suppressed cell is recoverable from it.
    expect(a.rows.some((r) => r.suppressed !== null)).toBe(true);
    expect(auditSuppression(toPublication(a))).toEqual([]);
    // Four builds and an audit: on a loaded machine, more than the default 30 s.
  }, 120_000);
});

describe('data intake never produces', () => {
  const base = (id: string, patch: Partial<StatementRow> = {}): StatementRow => ({
    id,
    issuer: 'CA0000001',
    category: 'termination',
    useOfForce: true,
    outcomeDate: '2024-06-01',
    status: 'final',
    supersedes: null,
    receivedAt: new Date(CUTOFF.getTime() - 60_000),
    ...patch,
  });

  beforeEach(async () => {
    await insertAgencies(db, [
      { ori: 'CA0000001', jurisdiction: 'local', state: 'CA' },
      { ori: 'NY0000001', jurisdiction: 'state', state: 'NY' },
      { ori: 'ZZ0000001', jurisdiction: 'local', state: 'ZZ' },
    ]);
    await insertStatements(
      db,
      Array.from({ length: 20 }, (_, i) => base(`ok-${String(i).padStart(3, '0')}`)),
    );
  });

  it.each([
    ['a malformed date', { outcomeDate: '2024-13-01' }],
    ['an impossible date', { outcomeDate: '2023-02-29' }],
    ['a date before 1900', { outcomeDate: '1899-12-31' }],
    ['a date in another form', { outcomeDate: '2024-6-1' }],
    ['an unknown category', { category: 'made_up' }],
    ['an issuer whose registry state is unknown', { issuer: 'ZZ0000001' }],
  ])('stops with the same error and row for %s', async (_, patch) => {
    await insertStatements(db, [
      // Not counted (superseded, not final): not checked, either way.
      base('a-000', { outcomeDate: 'junk', category: 'junk' }),
      base('a-001', { supersedes: 'a-000' }),
      base('a-002', { status: 'pending_appeal', outcomeDate: 'junk' }),
      base('m-000', patch),
      base('z-000', { category: 'also_made_up' }),
    ]);
    const expected = await failure(() => referenceBuild(db, CUTOFF, 10));
    expect(expected?.code).toMatch(/^STATISTICS_/);
    expect(
      await failure(() =>
        statisticsService(db, { minCell: 10, period: 'day', ...releasing() }).build(CUTOFF),
      ),
    ).toEqual(expected);
  });

  it('stops with the same error for a statement superseding another issuer’s', async () => {
    await insertStatements(db, [
      base('b-000', { issuer: 'NY0000001' }),
      base('b-001', { supersedes: 'b-000' }),
      base('c-000', { category: 'made_up' }), // a later kind of check: this one comes first
    ]);
    const expected = await failure(() => referenceBuild(db, CUTOFF, 10));
    expect(expected).toEqual({
      code: 'STATISTICS_SUPERSESSION_ISSUER',
      field: 'rows[1].supersedes',
    });
    expect(
      await failure(() =>
        statisticsService(db, { minCell: 10, period: 'day', ...releasing() }).build(CUTOFF),
      ),
    ).toEqual(expected);
  });

  it('ignores what was received after the cutoff, both ways', async () => {
    await insertStatements(db, [base('late', { category: 'made_up', receivedAt: CUTOFF })]);
    const { reference, built } = await bothWays(10);
    expect(bytes(built)).toEqual(bytes(reference));
  });

  it('reads dates with the same pattern in SQL as IsoDateSchema in memory', async () => {
    const candidates = [
      '2000-02-29',
      '1900-02-29',
      '2100-02-29',
      '2024-02-29',
      '2023-02-29',
      '2400-02-29',
      '2021-04-30',
      '2021-04-31',
      '2021-12-31',
      '2021-00-10',
      '2021-01-00',
      '2021-01-32',
      '1900-01-01',
      '1899-12-31',
      '0000-01-01',
      '9999-12-31',
      '2021-1-01',
      ' 2021-01-01',
      '2021-01-01 ',
      '2021-01-01T00:00:00Z',
      '20210101',
      '２０２１-01-01',
      '2021-06-15\n',
    ];
    const result: unknown = await db.execute(sql`select d, (d ~ ${z.regexes.date.source}
        and d >= '1900-01-01') as ok from unnest(array[${sql.join(
          candidates.map((c) => sql`${c}`),
          sql`, `,
        )}]::text[]) as t(d)`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      d: string;
      ok: boolean;
    }[];
    expect(rows.map((r) => [r.d, r.ok])).toEqual(
      candidates.map((c) => [c, IsoDateSchema.safeParse(c).success]),
    );
  });
});

// Used by the schema (both tables are filled through their drizzle definitions above).
void attestations;
void agencies;
