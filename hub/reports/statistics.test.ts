import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
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
  type HubFixture,
  type HubTestHandle,
  type TestAgency,
} from '../test-support.js';

let handle: HubTestHandle;
let fx: HubFixture;
let city: TestAgency;
let tribal: TestAgency;

beforeAll(async () => {
  handle = await openHubTestDatabase();
});
afterAll(() => handle?.close());
beforeEach(async () => {
  await clearHubTables(handle.db);
  fx = await hubFixture(handle.db, { statsMinCell: 3 });
  city = await enrollAgency(handle.db, 'CA0194200', await keyFromByte(1));
  tribal = await enrollAgency(handle.db, 'AZ0000T01', await keyFromByte(3), {
    jurisdiction: 'tribal',
    state: null,
  });
});

async function publish(agency: TestAgency, ...patches: Partial<AttestationPayload>[]) {
  const payloads = patches.map((p) => attestationPayload(agency.ori, fx.rng, fx.clock.now(), p));
  const res = await postBatch(
    fx,
    agency,
    await Promise.all(payloads.map((p) => signAttestation(p, agency.key))),
  );
  expect(res.status).toBe(200);
  return payloads;
}

interface Row {
  dimensions: Record<string, string | number>;
  count: number | null;
  suppressed: string | null;
}

async function table(): Promise<{ metadata: { minCell: number }; rows: Row[] }> {
  const res = await fx.app.request('/v1/statistics');
  expect(res.status).toBe(200);
  return (await res.json()) as { metadata: { minCell: number }; rows: Row[] };
}

const cell = (rows: Row[], d: Record<string, string | number>) =>
  rows.find((r) => Object.entries(d).every(([k, v]) => r.dimensions[k] === v))!;

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
    const { metadata, rows } = await table();
    expect(metadata.minCell).toBe(3);
    const termination = { category: 'termination', year: 2023 };
    // Three finals plus the notice that became final; the retracted one is gone.
    expect(cell(rows, { ...termination, level: 'local', state: 'CA' }).count).toBe(4);
    expect(cell(rows, { ...termination, level: 'tribal', state: 'none' }).count).toBe(3);
    expect(cell(rows, { ...termination, level: 'federal', state: 'CA' }).count).toBe(0);
    expect(cell(rows, { category: '*', year: '*', level: '*', state: '*' }).count).toBe(7);
  });

  it('publishes a fixed ten-year window, leaving out older outcomes instead of failing', async () => {
    const year = fx.clock.now().getUTCFullYear();
    await publish(city, {}, {}, {});
    await publish(city, {
      eventDate: '1950-01-02',
      outcomeDate: '1950-03-04',
      statusDate: '1950-03-04',
    });
    const { rows } = await table();
    const years = [...new Set(rows.map((r) => r.dimensions['year']).filter((y) => y !== '*'))];
    expect(years).toHaveLength(10);
    expect(Math.max(...(years as number[]))).toBe(year);
    expect(years).not.toContain(1950);
    expect(cell(rows, { category: '*', year: '*', level: '*', state: '*' }).count).toBe(3);
  });

  it('suppresses a cell below the threshold, and enough others that it cannot be recovered', async () => {
    await publish(city, {}, {}, {}, { category: 'decertification', useOfForce: false });
    await publish(tribal, {}, {}, {});
    const { rows } = await table();
    const decert = cell(rows, {
      category: 'decertification',
      year: 2023,
      level: 'local',
      state: 'CA',
    });
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

  it('answers CSV with a header and one CRLF-terminated line per cell', async () => {
    await publish(city, {}, {}, {});
    const res = await fx.app.request('/v1/statistics?format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('category,year,level,state,count,suppressed');
    expect(lines).toContain('termination,2023,local,CA,3,');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe((await table()).rows.length);
  });

  it('refuses an unknown format with 400', async () => {
    const res = await fx.app.request('/v1/statistics?format=xml');
    expect(await problemCode(res)).toMatchObject({
      status: 400,
      fields: ['format: invalid_value'],
    });
  });

  it('reflects a newly published statement at once', async () => {
    await publish(city, {}, {}, {});
    expect(
      cell((await table()).rows, {
        category: 'termination',
        year: 2023,
        level: 'local',
        state: 'CA',
      }).count,
    ).toBe(3);
    await publish(city, {});
    expect(
      cell((await table()).rows, {
        category: 'termination',
        year: 2023,
        level: 'local',
        state: 'CA',
      }).count,
    ).toBe(4);
  });
});
