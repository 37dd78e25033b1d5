/**
 * The statistics page and its CSV at each coverage tier: the page shows what the release
 * publishes at its tier and nothing else (docs/statistics.md "Coverage").
 */
import { describe, expect, it } from 'vitest';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { HubDatabase } from '../database.js';
import { certifyPeriod } from '../statistics/coverage.test-support.js';
import { statisticsSnapshots } from '../statistics/statistics.table.js';
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
import { PUBLIC_HUB_CONFIG } from './pages.test-support.js';

async function reset(db: HubDatabase): Promise<void> {
  await db.delete(statisticsSnapshots);
  await clearHubTables(db);
}

const fx = useHubFixture({ config: PUBLIC_HUB_CONFIG, clear: reset });

async function publish(agency: TestAgency, count: number, patch: Partial<AttestationPayload> = {}) {
  const jws = await Promise.all(
    Array.from({ length: count }, () =>
      signAttestation(attestationPayload(agency.ori, fx.rng, fx.clock.now(), patch), agency.key),
    ),
  );
  expect((await postBatch(fx, agency, jws)).status).toBe(200);
}

async function twoAgencies() {
  const city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  const patrol = await enrollAgency(fx.db, 'NY0000000', await keyFromByte(6), {
    jurisdiction: 'state',
  });
  await publish(city, 6);
  await publish(patrol, 4, { category: 'suspension' });
  return { city, patrol };
}

const text = async (path: string) => (await fx.app.request(path)).text();

describe('the statistics page by coverage tier', () => {
  it('at tier rates shows percentages and national rates, never a count', async () => {
    const { city, patrol } = await twoAgencies();
    await certifyPeriod(fx, city, 9000);
    // The patrol's headcount is known from an earlier period; it did not certify this one.
    await certifyPeriod(fx, patrol, 4800, { period: '2025-Q4' });
    fx.clock.advance(86_400);
    const page = await text('/statistics');
    expect(page).toContain('<dd>65.21 % of sworn officers</dd>');
    expect(page).toContain('<th scope="col" class="num">Percent</th>');
    expect(page).toContain('<th scope="col" class="num">Per 1,000 sworn</th>');
    // Termination: 6 of 10 outcomes, 6 per 13 800 sworn officers.
    expect(page).toContain(
      '<th scope="row">Termination</th><td class="num">60.0 %</td><td class="num">0.43</td>',
    );
    expect(page).not.toContain('<th scope="col" class="num">Count</th>');
    expect(page).not.toMatch(/<td class="num">(6|4|10)<\/td>/);
    const csv = await text('/statistics.csv');
    expect(csv.split('\r\n')[0]).toBe('category,year,level,state,percent,ratePer1000,suppressed');
    expect(csv).toContain('\r\ntermination,*,*,*,60,0.43,\r\n');
  });

  it('withheld: no figure on the page, the CSV is its header line alone', async () => {
    await twoAgencies();
    fx.clock.advance(86_400);
    const page = await text('/statistics');
    expect(page).toContain('This release is withheld');
    expect(page).not.toContain('<svg');
    expect(page).not.toContain('<table');
    expect(await text('/statistics.csv')).toBe('category,year,level,state,percent,suppressed\r\n');
  });
});
