import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { attestations } from '../intake/intake.table.js';
import {
  attestationPayload,
  clearHubTables,
  enrollAgency,
  hubFixture,
  keyFromByte,
  openHubTestDatabase,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
  type HubFixture,
  type TestAgency,
} from '../test-support.js';
import type { HubDatabase } from '../database.js';
import { statisticsSnapshots } from './statistics.table.js';
import { certifyPeriod } from './coverage.test-support.js';

const DAY = 86_400;
/** The fixture clock starts at 2026-05-01T12:00:00Z; daily releases cut at 00:00 UTC. */
const PERIOD = { statsMinCell: 3, statsPeriod: 'day' } as const;

async function reset(db: HubDatabase): Promise<void> {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
}

const fx = useHubFixture({ config: PERIOD, clear: reset });
let city: TestAgency;
let tribal: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  tribal = await enrollAgency(fx.db, 'AZ0000T01', await keyFromByte(3), {
    jurisdiction: 'tribal',
    state: null,
  });
  // Both certify the last closed quarter: coverage 100 %, so releases publish counts.
  await certifyPeriod(fx, city, 120);
  await certifyPeriod(fx, tribal, 30);
});

async function sign(agency: TestAgency, ...patches: Partial<AttestationPayload>[]) {
  const payloads = patches.map((p) => attestationPayload(agency.ori, fx.rng, fx.clock.now(), p));
  const jws = await Promise.all(payloads.map((p) => signAttestation(p, agency.key)));
  return { payloads, jws };
}

async function publish(agency: TestAgency, ...patches: Partial<AttestationPayload>[]) {
  const { payloads, jws } = await sign(agency, ...patches);
  expect((await postBatch(fx, agency, jws)).status).toBe(200);
  return payloads;
}

/** Moves the clock to noon of the next day: the release then covers everything so far. */
const nextDay = (f: HubFixture = fx) => f.clock.advance(DAY);

interface Row {
  dimensions: Record<string, string | number>;
  count: number | null;
  suppressed: string | null;
}
interface Release {
  metadata: {
    minCell: number;
    generatedAt: string;
    asOf: string;
    period: string;
    nextAsOf: string;
  };
  rows: Row[];
}

async function release(f: HubFixture = fx): Promise<Release> {
  const res = await f.app.request('/v1/statistics');
  expect(res.status).toBe(200);
  return (await res.json()) as Release;
}

const cell = (rows: Row[], d: Record<string, string | number>) =>
  rows.find((r) => Object.entries(d).every(([k, v]) => r.dimensions[k] === v))!;
const TERMINATION_CA = { category: 'termination', year: 2023, level: 'local', state: 'CA' };
const GRAND = { category: '*', year: '*', level: '*', state: '*' };
const countOf = async (d: Record<string, string | number>, f: HubFixture = fx) =>
  cell((await release(f)).rows, d).count;

describe('GET /v1/statistics', () => {
  it('counts the current final statement of each chain, by category, year, level and state', async () => {
    const [notice] = await publish(city, { status: 'notice_sent' });
    await publish(city, {}, {}, {});
    const [gone] = await publish(city, {});
    fx.clock.advance(60);
    await publish(
      city,
      { supersedes: notice!.id, status: 'final', tokens: notice!.tokens },
      { supersedes: gone!.id, status: 'retracted', tokens: gone!.tokens },
    );
    await publish(tribal, {}, {}, {});
    nextDay();
    const { metadata, rows } = await release();
    expect(metadata.minCell).toBe(3);
    // Three finals plus the notice that became final; the retracted one is gone.
    expect(cell(rows, TERMINATION_CA).count).toBe(4);
    expect(cell(rows, { ...TERMINATION_CA, level: 'tribal', state: 'none' }).count).toBe(3);
    // Sparse: a zero cell is not listed (every cell not listed is 0).
    expect(cell(rows, { ...TERMINATION_CA, level: 'federal' })).toBeUndefined();
    expect(rows.every((r) => r.count !== 0)).toBe(true);
    expect(cell(rows, GRAND).count).toBe(7);
  });

  it('publishes a fixed ten-year window, leaving out older outcomes instead of failing', async () => {
    const year = fx.clock.now().getUTCFullYear();
    await publish(city, {}, {}, {});
    await publish(city, {
      eventDate: '1950-01-02',
      outcomeDate: '1950-03-04',
      statusDate: '1950-03-04',
    });
    nextDay();
    const { metadata, rows } = await release();
    // The domain states the ten years; the sparse rows list only those with outcomes.
    const years = (metadata as unknown as { domains: { year: number[] } }).domains.year;
    expect(years).toHaveLength(10);
    expect(rows.some((r) => r.dimensions['year'] === 2023)).toBe(true);
    expect(Math.max(...(years as number[]))).toBe(year);
    expect(years).not.toContain(1950);
    expect(cell(rows, GRAND).count).toBe(3);
  });

  it('suppresses a cell below the threshold, and enough others that it cannot be recovered', async () => {
    await publish(city, {}, {}, {}, { category: 'decertification', useOfForce: false });
    await publish(tribal, {}, {}, {});
    nextDay();
    const { rows } = await release();
    const decert = cell(rows, { ...TERMINATION_CA, category: 'decertification' });
    expect([decert.count, decert.suppressed]).toEqual([null, 'suppressed']);
    // Whatever else is suppressed, the published cells of its row do not add up to it.
    const siblings = rows.filter(
      (r) =>
        r.dimensions['year'] === 2023 &&
        r.dimensions['level'] === 'local' &&
        r.dimensions['state'] === 'CA',
    );
    expect(siblings.filter((r) => r.count === null).length).toBeGreaterThan(1);
  });

  it('answers CSV with a header and one CRLF-terminated line per cell, named by its cutoff', async () => {
    await publish(city, {}, {}, {});
    nextDay();
    const res = await fx.app.request('/v1/statistics?format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe(
      'inline; filename="spx-statistics-2026-05-02T00-00-00Z.csv"',
    );
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('category,year,level,state,count,suppressed');
    expect(lines).toContain('termination,2023,local,CA,3,');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe((await release()).rows.length);
  });

  it('refuses an unknown format with 400', async () => {
    const res = await fx.app.request('/v1/statistics?format=xml');
    expect(await problemCode(res)).toMatchObject({
      status: 400,
      fields: ['format: invalid_value'],
    });
  });
});

describe('GET /v1/statistics: one shared, compressed, revalidatable body per release', () => {
  it('answers gzip to a client that accepts it, the same document as the identity body', async () => {
    await publish(city, {}, {}, {});
    nextDay();
    const plain = await fx.app.request('/v1/statistics');
    const plainBytes = new Uint8Array(await plain.arrayBuffer());
    const zipped = await fx.app.request('/v1/statistics', {
      headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    const zippedBytes = new Uint8Array(await zipped.arrayBuffer());
    expect(zippedBytes.length).toBeLessThan(plainBytes.length / 2);
    // Buffer.equals, not toEqual: a deep comparison of megabytes element by element is slow.
    expect(gunzipSync(zippedBytes).equals(Buffer.from(plainBytes))).toBe(true);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const refused = await fx.app.request('/v1/statistics', {
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
    });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('tags each representation and answers 304 without a body to a client that has it', async () => {
    await publish(city, {}, {}, {});
    nextDay();
    const first = await fx.app.request('/v1/statistics');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const gz = await fx.app.request('/v1/statistics', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('etag')).not.toBe(etag);
    const csv = await fx.app.request('/v1/statistics?format=csv');
    expect(csv.headers.get('etag')).not.toBe(etag);

    const again = await fx.app.request('/v1/statistics', {
      headers: { 'if-none-match': `W/"other", ${etag!}` },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);

    // The next release is another document, so the old tag no longer matches.
    await publish(tribal, {}, {}, {});
    nextDay();
    const next = await fx.app.request('/v1/statistics', { headers: { 'if-none-match': etag! } });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
  });

  it.each([
    ['/v1/statistics?fromat=csv', 'fromat: unknown_field'],
    ['/v1/statistics?format=csv&format=json', 'format: duplicate'],
  ])('refuses %s with 400 instead of ignoring it', async (url, field) => {
    expect(await problemCode(await fx.app.request(url))).toMatchObject({
      status: 400,
      fields: [field],
    });
  });
});

describe('periodic releases', () => {
  it('leaves a statement received after the cutoff out until the next period starts', async () => {
    await publish(city, {}, {}, {});
    // Today's 00:00 cutoff came before the statements, and before the certifications: coverage
    // 0 %, so that release is withheld (the coverage tests below).
    expect(await release()).toMatchObject({ metadata: { tier: 'withheld' }, rows: [] });
    nextDay(); // 2026-05-02T12:00Z
    const first = await fx.app.request('/v1/statistics');
    const body = await first.text();
    const { metadata, rows } = JSON.parse(body) as Release;
    expect(metadata).toMatchObject({
      generatedAt: '2026-05-02T00:00:00Z',
      asOf: '2026-05-02T00:00:00Z',
      period: 'P1D',
      nextAsOf: '2026-05-03T00:00:00Z',
    });
    expect(cell(rows, TERMINATION_CA).count).toBe(3);
    // Cacheable until the next release is served (2026-05-03T00:01:00Z, after settling).
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${12 * 3600 + 60}`);

    await publish(city, {}); // the newest record: nothing about it may show yet
    expect(await (await fx.app.request('/v1/statistics')).text()).toBe(body);
    fx.clock.advance(12 * 3600 + 30); // 00:00:30 on the next day: still settling
    expect(await (await fx.app.request('/v1/statistics')).text()).toBe(body);
    fx.clock.advance(30);
    const next = await release();
    expect(next.metadata.asOf).toBe('2026-05-03T00:00:00Z');
    expect(cell(next.rows, TERMINATION_CA).count).toBe(4);
  });

  it('serves the same bytes from two hubs with the same statements and clock', async () => {
    const other = await openHubTestDatabase();
    try {
      await reset(other.db);
      const fx2 = await hubFixture(other.db, PERIOD);
      const agencies2 = [
        await enrollAgency(other.db, city.ori, city.key),
        await enrollAgency(other.db, tribal.ori, tribal.key, {
          jurisdiction: 'tribal',
          state: null,
        }),
      ] as const;
      await certifyPeriod(fx2, agencies2[0], 120);
      await certifyPeriod(fx2, agencies2[1], 30);
      const batches = [
        [city, agencies2[0], await sign(city, {}, {}, {}, { category: 'decertification' })],
        [tribal, agencies2[1], await sign(tribal, {}, {}, { status: 'pending_appeal' })],
      ] as const;
      for (const [agency, twin, { jws }] of batches) {
        expect((await postBatch(fx, agency, jws)).status).toBe(200);
        expect((await postBatch(fx2, twin, jws)).status).toBe(200);
      }
      nextDay();
      nextDay(fx2);
      for (const path of ['/v1/statistics', '/v1/statistics?format=csv']) {
        const a = await (await fx.app.request(path)).text();
        const b = await (await fx2.app.request(path)).text();
        expect(b).toBe(a);
      }
      // Not an empty table: the statements are in it, some suppressed.
      const { rows } = await release(fx2);
      expect(rows.some((r) => r.count !== null && r.count > 0)).toBe(true);
      expect(rows.some((r) => r.suppressed !== null)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('keeps serving the stored release for its cutoff after a restart, whatever changed since', async () => {
    await publish(city, {}, {}, {});
    nextDay();
    const body = await (await fx.app.request('/v1/statistics')).text();
    // A statement whose intake committed after the release was built, stamped before its
    // cutoff; and a new threshold. Neither may change a published release.
    const [late] = await publish(city, {});
    await fx.db
      .update(attestations)
      .set({ receivedAt: new Date('2026-05-01T23:59:59Z') })
      .where(sql`${attestations.id} = ${late!.id}`);
    const restarted = await hubFixture(fx.db, { ...PERIOD, statsMinCell: 5 });
    restarted.clock.ms = fx.clock.ms;
    expect(await (await restarted.app.request('/v1/statistics')).text()).toBe(body);

    // The stored copy is what kept it: without it, a rebuild reads the changed data.
    await fx.db.delete(statisticsSnapshots);
    const rebuilt = await hubFixture(fx.db, PERIOD);
    rebuilt.clock.ms = fx.clock.ms;
    expect(await countOf(TERMINATION_CA, rebuilt)).toBe(4);
  });

  it('rebuilds a deleted release byte for byte from the same statements', async () => {
    await publish(city, {}, {}, {}, { category: 'decertification' });
    await publish(tribal, {}, {}, {});
    nextDay();
    const body = await (await fx.app.request('/v1/statistics')).text();
    await fx.db.delete(statisticsSnapshots);
    fx.clock.advance(3600); // later the same day: same cutoff, another clock reading
    const again = await hubFixture(fx.db, PERIOD);
    again.clock.ms = fx.clock.ms;
    expect(await (await again.app.request('/v1/statistics')).text()).toBe(body);
    expect(await fx.db.$count(statisticsSnapshots)).toBe(1);
  });
});
