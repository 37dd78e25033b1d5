/**
 * Continuous monitoring at the node (docs/node.md "Monitoring") against the test world's hub and
 * keyholders: a sync enrolls the hub indexes of current officers only, renews nothing early,
 * removes a separated officer's, removes everything when monitoring is turned off, and stops on
 * the hub's ENROLLMENT_LIMIT; a monitoring notice is verified and shown with the officer it
 * concerns, and a notice that misstates its statement is refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import { createHubClient } from '../clients/index.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { createWorld, HUB_URL, type World } from '../clients/test-support/world.js';
import {
  checkCorrections,
  inboxMessages,
  monitoringEnrollments,
  monitoringNotices,
  officersRepository,
  type NodeTables,
  type OfficerFields,
} from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { createInbox } from '../inbox/poll-inbox.js';
import { InboxListResponseSchema } from '../api/inbox.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import { syncMonitoring } from './sync.js';

const DANA: OfficerFields = {
  employeeId: 'E-1042',
  firstName: 'Dana',
  middleName: null,
  lastName: 'Kowalczyk',
  suffix: null,
  dateOfBirth: '1988-03-14',
  ssn: '899-20-4417',
  licenseState: null,
  licenseNumber: null,
  hireDate: '2015-06-01',
  separationDate: null,
  aliases: [],
};
const LEFT: OfficerFields = {
  ...DANA,
  employeeId: 'E-0007',
  firstName: 'Marcus',
  lastName: 'Oyelaran',
  dateOfBirth: '1979-11-02',
  ssn: '899-31-5521',
  separationDate: '2024-12-31',
};

let handle: DatabaseHandle<NodeTables>;
let world: World;
let logs: string[];

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

beforeEach(async () => {
  await handle.db.delete(monitoringNotices);
  await handle.db.delete(checkCorrections);
  await handle.db.delete(inboxMessages);
  await handle.db.delete(monitoringEnrollments);
  await clearNodeStore(handle.db);
  world = await createWorld();
  logs = [];
  await officersRepository(handle.db).insertMany([DANA, LEFT], world.clock.now());
});

function sync(enabled = true) {
  const node = world.node(world.city);
  return syncMonitoring({
    db: handle.db,
    hub: node.hub,
    keyholders: node.keyholders,
    rng: node.rng,
    now: world.clock.now,
    log: createLogger((line) => void logs.push(line), world.clock.now),
    settings: { enabled, renewDays: 30 },
  });
}

const atHub = () => new Map(world.hub.enrollments.get(world.city.entry.ori) ?? []);
const enrollRequests = () =>
  world.hub.seen.filter((s) => s.path === '/v1/monitoring/enrollments').length;

describe('syncing enrollments with the roster', () => {
  it('enrolls the current officers only, and sends nothing more until renewal is due', async () => {
    const first = await sync();
    expect(first).toMatchObject({ enabled: true, officers: 1, enrolled: 3, removed: 0 });
    // Dana's keys (name + date of birth, SSN, …) and nothing of the separated officer.
    expect(atHub().size).toBe(first.enrolled);
    const rows = await handle.db.select().from(monitoringEnrollments);
    expect(new Set(rows.map((r) => r.employeeId))).toEqual(new Set(['E-1042']));
    expect(rows.every((r) => r.expiresAt !== null)).toBe(true);
    // Only hub indexes crossed the wire: 43-character base64url values and key kinds.
    for (const [index] of atHub()) expect(index).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const requests = enrollRequests();
    expect(await sync()).toMatchObject({ officers: 1, enrolled: 0, renewed: 0 });
    expect(enrollRequests()).toBe(requests);

    // 61 days later the 90-day term is within the 30 days of renewal.
    world.clock.set('2025-05-02T12:00:00Z');
    expect(await sync()).toMatchObject({ enrolled: 0, renewed: 3 });
  });

  it('removes a separated officer, and everything when monitoring is turned off', async () => {
    await sync();
    const dana = (await officersRepository(handle.db).findByEmployeeId('E-1042'))!;
    world.clock.set('2025-03-02T12:00:00Z');
    await officersRepository(handle.db).update(
      dana.id,
      { ...DANA, separationDate: '2025-03-01' },
      world.clock.now(),
    );
    expect(await sync()).toMatchObject({ officers: 0, removed: 3 });
    expect(atHub().size).toBe(0);
    expect(await handle.db.select().from(monitoringEnrollments)).toEqual([]);

    await officersRepository(handle.db).update(dana.id, DANA, world.clock.now());
    expect(await sync()).toMatchObject({ officers: 1, enrolled: 3 });
    expect(await sync(false)).toMatchObject({ enabled: false, removed: 3 });
    expect(atHub().size).toBe(0);
    // Off and nothing enrolled: no request at all.
    const requests = enrollRequests();
    await sync(false);
    expect(enrollRequests()).toBe(requests);
  });

  it("stops on the hub's ENROLLMENT_LIMIT and tries again at the next sync", async () => {
    world.hub.monitoringLimit = 2;
    expect(await sync()).toMatchObject({ enrolled: 0, refused: 'ENROLLMENT_LIMIT' });
    expect(logs.some((l) => l.includes('monitoring_enrollment_refused'))).toBe(true);
    world.hub.monitoringLimit = 10;
    expect(await sync()).toMatchObject({ enrolled: 3, refused: null });
  });
});

describe('monitoring notices', () => {
  async function setUp() {
    await sync();
    const now = world.clock.now;
    const hub = createHubClient(HUB_URL, clientDeps(world.city, world.fetch, now));
    const inbox = createInbox({
      db: handle.db,
      hub,
      hubKeys: () => hub.hubKeys(),
      ori: world.city.entry.ori,
      now,
      log: createLogger((line) => void logs.push(line), now),
    });
    const app = testNodeApp(world, handle.db, {
      seed: 'monitoring',
      pollInbox: () => inbox.poll(),
    });
    const payload = await world.publish(world.board, {
      ...DANA,
      dob: DANA.dateOfBirth,
      ssn: DANA.ssn,
      license: null,
      aliases: [],
    });
    const jws = world.hub.stored.get(payload.id)!.jws;
    const enrolled = payload.tokens.keys.filter((k) => atHub().has(k.index));
    return { inbox, app, payload, jws, enrolled };
  }

  it('shows a new record reported elsewhere with the officer it concerns', async () => {
    const { inbox, app, payload, jws, enrolled } = await setUp();
    expect(enrolled.length).toBeGreaterThan(0);
    await world.hub.send(world.city.entry.ori, {
      type: 'monitoring',
      change: 'reported',
      matches: enrolled,
      statement: jws,
      statementId: payload.id,
      status: payload.status,
      previousId: null,
    });
    expect(await inbox.poll()).toMatchObject({ received: 1, notices: 1, acknowledged: 1 });
    const res = await app.request('/v1/inbox', {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    const list = InboxListResponseSchema.parse(await res.json());
    expect(list.messages[0]).toMatchObject({
      type: 'monitoring',
      outcome: 'applied',
      monitoring: {
        change: 'reported',
        statementId: payload.id,
        issuer: world.board.entry.ori,
        status: payload.status,
        category: payload.category,
        employeeIds: ['E-1042'],
      },
    });
    const status = await app.request('/v1/monitoring', {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    // No monitoring sync wired into this app: the route is absent.
    expect(status.status).toBe(404);
  });

  it('shows a record withdrawn past retention with its due day and the reporting agency', async () => {
    const { inbox, app, payload, jws, enrolled } = await setUp();
    const send = (body: Record<string, unknown>) =>
      world.hub.send(world.city.entry.ori, {
        type: 'monitoring',
        matches: enrolled,
        statementId: payload.id,
        ...body,
      });
    await send({ change: 'reported', statement: jws, status: payload.status, previousId: null });
    await send({
      change: 'withdrawn',
      statement: null,
      status: null,
      previousId: payload.id,
      pastRetention: '2030-11-01',
    });
    expect(await inbox.poll()).toMatchObject({ received: 2, notices: 2, acknowledged: 2 });
    const res = await app.request('/v1/inbox', {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    const list = InboxListResponseSchema.parse(await res.json());
    expect(list.messages[0]).toMatchObject({
      outcome: 'applied',
      monitoring: {
        change: 'withdrawn',
        previousId: payload.id,
        issuer: world.board.entry.ori,
        pastRetention: '2030-11-01',
        employeeIds: ['E-1042'],
      },
    });
    expect(list.messages[1]?.monitoring?.pastRetention).toBeNull();
  });

  it.each([
    [
      'a statement id that is not the statement',
      { statementId: '01960000-0000-7000-8000-0000000000ff' },
    ],
    ['a status the statement does not have', { status: 'pending_appeal' }],
    ['an index the statement does not hold', { matches: [{ kind: 'ssn', index: 'A'.repeat(43) }] }],
  ])('refuses a notice with %s, and acknowledges it', async (_, patch) => {
    const { inbox, payload, jws, enrolled } = await setUp();
    await world.hub.send(world.city.entry.ori, {
      type: 'monitoring',
      change: 'reported',
      matches: enrolled,
      statement: jws,
      statementId: payload.id,
      status: payload.status,
      previousId: null,
      ...patch,
    });
    expect(await inbox.poll()).toMatchObject({ received: 1, notices: 0, acknowledged: 1 });
    const [row] = await handle.db.select().from(inboxMessages);
    expect(row).toMatchObject({ outcome: 'refused' });
    expect(await handle.db.select().from(monitoringNotices)).toEqual([]);
  });
});
