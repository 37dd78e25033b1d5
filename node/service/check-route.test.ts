/**
 * POST /v1/checks refuses identifiers that cannot be used and a consent reference that carries
 * the candidate's identifiers (the hub keeps consentRef in its audit), before a check is stored
 * or anything is sent (node/check/screen-candidate.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import { checks, type NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from './app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from './test-support.js';

const TOKEN = TEST_ADMIN_TOKEN;
const CANDIDATE = {
  firstName: 'Dana',
  lastName: 'Kowalczyk-Nowak',
  dob: '1988-03-14',
  ssn: '899-20-4417',
  license: { state: 'NM', number: 'P-700602' },
};

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  world = await createWorld();
  app = testNodeApp(world, handle.db, { seed: 'check-route' });
});
afterAll(async () => {
  await handle?.close();
});

const check = (consentRef: string, candidate: object = CANDIDATE) =>
  app.request('/v1/checks', {
    method: 'POST',
    body: JSON.stringify({ candidate, purpose: 'hiring', consentRef }),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });

describe('POST /v1/checks consentRef', () => {
  it.each([
    ['consent/NOWAK/2025', 'last name'],
    ['KOWALCZYK-NOWAK-1', 'last name'],
    ['C-1988-03-14', 'date of birth'],
    ['C.899.20.4417', 'Social Security number'],
    ['LIC-P700602', 'licence number'],
  ])(
    'refuses %j (the %s) with 422 REFERENCE_CONTAINS_IDENTIFIER, storing and sending nothing',
    async (consentRef, label) => {
      const seen = world.hub.seen.length;
      const before = (await handle.db.select().from(checks)).length;
      const res = await check(consentRef);
      expect(res.status).toBe(422);
      const body = (await res.json()) as {
        code: string;
        detail: string;
        errors: { field: string; code: string }[];
      };
      expect(body.code).toBe('REFERENCE_CONTAINS_IDENTIFIER');
      expect(body.errors).toEqual([
        expect.objectContaining({ field: 'consentRef', code: 'not_allowed' }),
      ]);
      expect(body.detail).toContain(`candidate's ${label}`);
      expect(JSON.stringify(body)).not.toMatch(/kowalczyk|nowak|1988|4417|700602/i);
      expect((await handle.db.select().from(checks)).length).toBe(before);
      expect(world.hub.seen.length).toBe(seen);
    },
  );

  it('refuses unusable identifiers with 400 and each candidate field, asking nobody', async () => {
    const seen = world.hub.seen.length;
    const batches = world.keyholders.keyholders.map((k) => k.batches.length);
    const before = (await handle.db.select().from(checks)).length;
    const res = await check('CONSENT-2025-18', { ...CANDIDATE, dob: '14/03/1988' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'candidate.dob', code: 'DOB_FORMAT' }],
    });
    expect((await handle.db.select().from(checks)).length).toBe(before);
    expect(world.hub.seen.length).toBe(seen);
    expect(world.keyholders.keyholders.map((k) => k.batches.length)).toEqual(batches);
  });

  it('accepts an opaque reference and records the check', async () => {
    const res = await check('CONSENT-2025-17');
    expect(res.status).toBe(200);
    const stored = await handle.db.select().from(checks);
    expect(stored.filter((c) => c.consentRef === 'CONSENT-2025-17')).toEqual([
      expect.objectContaining({ state: 'answered' }),
    ]);
  });
});
