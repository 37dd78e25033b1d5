import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { importOfficers } from '../import/import-officers.js';
import { importOutcomes } from '../import/import-outcomes.js';
import type { NodeTables } from '../store/database.js';
import { outcomesRepository } from '../store/outcomes.repository.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { AGENCY_KEYS } from './builder.js';
import { generateFederation } from './federation.js';
import { seededRng } from './seeded-rng.js';

const NOW = new Date('2025-06-01T18:00:00Z');
const federation = generateFederation({ rng: seededRng('import'), asOf: '2025-06-01' });

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

it.each(AGENCY_KEYS)(
  'imports the %s agency’s files cleanly, and a second time changes nothing',
  async (key) => {
    const { officers, outcomes, officersCsv, outcomesCsv } = federation.agencies[key];
    const options = { now: () => NOW };
    const first = [
      await importOfficers(handle.db, officersCsv, options),
      await importOutcomes(handle.db, outcomesCsv, options),
    ];
    expect(first.map((r) => r.ok && r.summary.inserted)).toEqual([
      officers.length,
      outcomes.length,
    ]);
    const second = [
      await importOfficers(handle.db, officersCsv, options),
      await importOutcomes(handle.db, outcomesCsv, options),
    ];
    expect(
      second.map((r) => r.ok && [r.summary.unchanged, r.summary.inserted + r.summary.updated]),
    ).toEqual([
      [officers.length, 0],
      [outcomes.length, 0],
    ]);
    expect(await outcomesRepository(handle.db).count()).toBe(outcomes.length);
  },
);
