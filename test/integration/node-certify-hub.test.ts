/**
 * `spx node certify` against the real hub app in process (hub/certifications): the node's
 * certification is signed, authenticated and checked by the hub itself — a zero report
 * accepted, a repeat reported unchanged, a correction superseding, and the hub's COUNT_MISMATCH
 * when the hub holds statements the node does not count.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import {
  attestationPayload,
  enrollAgency,
  keyFromByte,
  postBatch,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../../hub/test-support.js';
import { certifyPeriod } from '../../node/certify/certify.js';
import { createHubClient, type HubClient } from '../../node/clients/hub-client.js';
import { isClientError } from '../../node/clients/index.js';
import { seededRng } from '../../node/clients/test-support/deterministic.js';
import type { NodeTables } from '../../node/store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../../node/store/testing.js';

const fx = useHubFixture();
let node: DatabaseHandle<NodeTables>;
let agency: TestAgency;
let hub: HubClient;

beforeAll(async () => {
  node = await openNodeTestDatabase();
});
afterAll(async () => {
  await node?.close();
});
beforeEach(async () => {
  await clearNodeStore(node.db);
  agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  const fetchToHub: typeof fetch = async (input, init) =>
    fx.app.request(input instanceof Request ? input : new Request(input, init));
  hub = createHubClient('http://hub.test', {
    identity: { ori: agency.ori, key: agency.key },
    fetch: fetchToHub,
    now: () => fx.clock.now(),
    rng: seededRng('node-certify-hub'),
  });
});

const deps = () => ({
  db: node.db,
  hub,
  ori: agency.ori,
  key: agency.key,
  now: () => fx.clock.now(),
  rng: fx.rng,
});

describe('spx node certify against the real hub', () => {
  it('certifies, reports an unchanged repeat, and corrects', async () => {
    // The fixture's clock: 2026-05-01, so 2026-Q1 is the last closed quarter.
    const first = await certifyPeriod(deps(), { sworn: 12 });
    expect(first).toMatchObject({
      outcome: 'certified',
      deadline: '2026-04-30',
      certification: { period: '2026-Q1', sworn: 12, statements: 0, zeroReport: true },
      receipt: { status: 'accepted', timeliness: 'late' },
    });
    expect((await certifyPeriod(deps(), { sworn: 12 })).outcome).toBe('unchanged');
    fx.clock.ms += 60_000;
    const fixed = await certifyPeriod(deps(), { sworn: 13 });
    expect(fixed).toMatchObject({
      outcome: 'corrected',
      certification: { sworn: 13, supersedes: first.receipt!.id },
    });
    const own = await hub.certifications();
    expect(own.certifications.map((c) => [c.sworn, c.supersededBy])).toEqual([
      [13, null],
      [12, fixed.receipt!.id],
    ]);
  });

  it('without a kept receipt, answers from or supersedes what the hub holds', async () => {
    const first = await certifyPeriod(deps(), { sworn: 12 });
    // A run that stopped before keeping its receipt, or a reinstalled node.
    await clearNodeStore(node.db);
    const same = await certifyPeriod(deps(), { sworn: 12 });
    expect(same).toMatchObject({ outcome: 'unchanged', receipt: null });
    fx.clock.ms += 60_000;
    const fixed = await certifyPeriod(deps(), { sworn: 14 });
    expect(fixed).toMatchObject({
      outcome: 'corrected',
      certification: { sworn: 14, supersedes: first.receipt!.id },
    });
  });

  it("refuses with the hub's COUNT_MISMATCH when the hub holds statements the node does not", async () => {
    fx.clock.ms = Date.parse('2026-02-10T12:00:00Z');
    const jws = await signAttestation(
      attestationPayload(agency.ori, fx.rng, fx.clock.now()),
      agency.key,
    );
    expect((await postBatch(fx, agency, [jws])).status).toBe(200);
    fx.clock.ms = Date.parse('2026-04-10T12:00:00Z');
    const refused = await certifyPeriod(deps(), { sworn: 12 }).catch((e: unknown) => e);
    expect(isClientError(refused) && refused.code).toBe('COUNT_MISMATCH');
  });
});
