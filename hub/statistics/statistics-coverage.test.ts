/**
 * Coverage-gated, signed and logged releases over HTTP (docs/statistics.md "Coverage",
 * docs/protocol.md §5.17): what each tier publishes, how coverage counts agencies, the manifest's
 * signature and digests, and the log entry.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { LogEntriesResponseSchema, parseLogEntry } from '../../protocol/tlog.js';
import {
  attestationPayload,
  clearHubTables,
  enrollAgency,
  keyFromByte,
  postBatch,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import type { HubDatabase } from '../database.js';
import { certifyPeriod } from './coverage.test-support.js';
import { statisticsSnapshots } from './statistics.table.js';

const DAY = 86_400;
const fx = useHubFixture({
  config: { statsMinCell: 3, statsPeriod: 'day' },
  clear: async (db: HubDatabase) => {
    await db.delete(statisticsSnapshots);
    await clearHubTables(db);
  },
});
let city: TestAgency;
let county: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  county = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2));
  // Never certifies: no known headcount, so in neither side of the ratio.
  await enrollAgency(fx.db, 'NY0000001', await keyFromByte(3));
});

async function publish(agency: TestAgency, n: number, patch: Partial<AttestationPayload> = {}) {
  const payloads = Array.from({ length: n }, () =>
    attestationPayload(agency.ori, fx.rng, fx.clock.now(), patch),
  );
  const jws = await Promise.all(payloads.map((p) => signAttestation(p, agency.key)));
  expect((await postBatch(fx, agency, jws)).status).toBe(200);
}

/** city certifies 2026-Q1 with `citySworn`; county only 2025-Q4, so its headcount is known. */
async function certify(citySworn: number, countySworn: number) {
  await certifyPeriod(fx, city, citySworn);
  await certifyPeriod(fx, county, countySworn, { period: '2025-Q4' });
}

interface Body {
  metadata: Record<string, unknown> & { tier: string; coverage: Record<string, unknown> };
  rows: Record<string, unknown>[];
}

async function get(path = '/v1/statistics') {
  const res = await fx.app.request(path);
  expect(res.status).toBe(200);
  return res;
}

const GRAND = { category: '*', year: '*', level: '*', state: '*' };
const isGrand = (r: Record<string, unknown>) =>
  JSON.stringify(r['dimensions']) === JSON.stringify(GRAND);

describe('coverage', () => {
  it('withholds every row under 40 % and says why', async () => {
    await certify(39, 61);
    await publish(city, 12);
    fx.clock.advance(DAY);
    const body = (await (await get()).json()) as Body;
    expect(body.metadata.tier).toBe('withheld');
    expect(body.metadata.coverage).toEqual({
      period: '2026-Q1',
      certifiedSworn: 39,
      knownSworn: 100,
      percent: 39,
      agencies: 3,
      certifiedAgencies: 1,
      unknownHeadcount: 1,
    });
    expect(body.rows).toEqual([]);
    expect(await (await get('/v1/statistics?format=csv')).text()).toBe(
      'category,year,level,state,percent,suppressed\r\n',
    );
  });

  it('lists coverage per closed period from the first certified one, each with its tier', async () => {
    await certifyPeriod(fx, city, 50, { period: '2025-Q3' });
    fx.clock.advance(60); // its 2026-Q1 certification is then its latest
    await certify(39, 61);
    await publish(city, 12);
    fx.clock.advance(DAY);
    const body = (await (await get()).json()) as Body;
    const series = body.metadata['coverageSeries'] as Record<string, unknown>[];
    expect(
      series.map((c) => [c['period'], c['certifiedSworn'], c['knownSworn'], c['tier']]),
    ).toEqual([
      // Each period as of the cutoff: city's headcount of the period, else its latest.
      ['2025-Q3', 50, 111, 'percentages'],
      ['2025-Q4', 61, 100, 'rates'],
      ['2026-Q1', 39, 100, 'withheld'],
    ]);
    // It ends at the release's own coverage, and the signed digest covers it.
    expect({ ...series.at(-1), tier: undefined }).toEqual({
      ...body.metadata.coverage,
      tier: undefined,
    });
    expect(series.every((c) => c['agencies'] === 3 && c['unknownHeadcount'] === 1)).toBe(true);
  });

  it('publishes percentages without counts from 40 % to 60 %', async () => {
    await certify(40, 60);
    await publish(city, 12);
    await publish(county, 4);
    fx.clock.advance(DAY);
    const body = (await (await get()).json()) as Body;
    expect(body.metadata.tier).toBe('percentages');
    expect(body.rows.every((r) => !('count' in r) && !('ratePer1000' in r))).toBe(true);
    expect(body.rows.find(isGrand)).toMatchObject({ percent: 100, suppressed: null });
    const ca = body.rows.find(
      (r) => JSON.stringify(r['dimensions']) === JSON.stringify({ ...GRAND, state: 'CA' }),
    );
    expect(ca).toMatchObject({ percent: 75 }); // 12 of 16
  });

  it('adds national rates per 1,000 sworn officers from 60 % to 80 %, counts from 80 %', async () => {
    await certify(300, 200);
    await publish(city, 12);
    await publish(county, 4);
    fx.clock.advance(DAY);
    let body = (await (await get()).json()) as Body;
    expect(body.metadata.tier).toBe('rates');
    // 16 outcomes over 500 known sworn officers: 32 per 1,000.
    expect(body.rows.find(isGrand)).toMatchObject({ percent: 100, ratePer1000: 32 });
    expect(body.rows.every((r) => !('count' in r))).toBe(true);

    // The county certifies 2026-Q1 too: 100 % from the next release on, counts and all.
    await certifyPeriod(fx, county, 200);
    fx.clock.advance(DAY);
    body = (await (await get()).json()) as Body;
    expect(body.metadata).toMatchObject({ tier: 'full', version: 2 });
    expect(body.metadata.coverage).toMatchObject({ certifiedSworn: 500, percent: 100 });
    expect(body.rows.find(isGrand)).toMatchObject({ count: 16 });
  });
});

describe('signed and logged releases', () => {
  it('signs a manifest with the digests of the bodies served, and logs the same facts', async () => {
    await certify(412, 50);
    await publish(city, 12);
    fx.clock.advance(DAY);
    const json = new Uint8Array(await (await get()).arrayBuffer());
    const csv = new Uint8Array(await (await get('/v1/statistics?format=csv')).arrayBuffer());
    const res = await get('/v1/statistics/manifest');
    expect(res.headers.get('content-type')).toBe('application/spx-statistics-release+jws');
    const verified = await verifyStatement(await res.text(), {
      typ: STATEMENT_TYPES.statisticsRelease,
      resolveKey: (kid) => (kid === fx.hubKey.kid ? fx.hubKey.publicJwk : undefined),
    });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    const manifest = verified.value.payload as Record<string, unknown>;
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('base64url');
    expect(manifest).toMatchObject({
      v: 1,
      kind: 'statistics_release',
      version: 1,
      asOf: '2026-05-02T00:00:00Z',
      tier: 'full',
      json: digest(json),
      csv: digest(csv),
    });
    const { logIndex, ...entry } = manifest;
    const page = LogEntriesResponseSchema.parse(
      await (
        await fx.app.request(
          `/v1/log/entries?start=${String(logIndex)}&end=${Number(logIndex) + 1}`,
        )
      ).json(),
    );
    const logged = parseLogEntry(page.entries[0]!.entry);
    expect(logged).toEqual({ ok: true, entry });
  });
});
