import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { CertifyResponseSchema, StatusResponseSchema } from '../api/index.js';
import { createWorld, type World } from '../clients/test-support/world.js';
import type { NodeApp } from '../service/app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from '../service/test-support.js';
import type { NodeTables } from '../store/index.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { certifyRequest } from '../cli/client-commands.js';
import { createHubClient } from '../clients/hub-client.js';
import { HUB_URL } from '../clients/test-support/world.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { certificationReminderPass } from './certify.js';
import { settingsRepository } from '../store/settings.repository.js';
import { affirmationValidUntil } from '../../protocol/credential.js';

// Two officers: one separated in 2023, one serving; one outcome published on 2025-03-01 (Q1).
const OFFICERS = `employee_id,last_name,first_name,middle_name,suffix,date_of_birth,ssn,license_state,license_number,former_names,hire_date,separation_date
RPD-10001,Ibáñez,Ramón,,Jr.,1994-05-24,899-73-2759,NM,700602,,2017-03-15,2023-02-05
RPD-10002,Lee,Ann,,,1980-01-01,899-12-3456,,,,2020-06-01,
RPD-10003,Moss,Tom,,,1985-01-01,899-12-3457,,,,2018-04-02,2025-02-15
`;
const OUTCOMES = `employee_id,case_number,category,use_of_force,event_date,outcome_date,status,status_date,officer_notified,disputed_since
RPD-10001,IA-2022-0001,termination,yes,2022-12-14,2023-02-05,final,2023-03-07,yes,
`;

let handle: DatabaseHandle<NodeTables>;
let world: World;
let app: NodeApp;
let logs: string[];
let apps = 0;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  world = await createWorld();
  logs = [];
  app = testNodeApp(world, handle.db, {
    seed: `certify:${apps++}`,
    logLine: (line) => logs.push(line),
  });
});

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const post = (path: string, body: unknown, type = 'application/json') =>
  app.request(path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { ...auth, 'content-type': type },
  });
const certify = async (body: unknown) => {
  const res = await post('/v1/certifications', body);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const status = async () =>
  StatusResponseSchema.parse(await (await app.request('/v1/status', { headers: auth })).json());

async function publishOne(): Promise<void> {
  const imported = await post('/v1/import/officers', OFFICERS, 'text/csv');
  expect(imported.status, await imported.clone().text()).toBe(200);
  expect((await post('/v1/import/outcomes', OUTCOMES, 'text/csv')).status).toBe(200);
  const res = await post('/v1/publish', {});
  expect(await res.json()).toMatchObject({ delivery: { accepted: 1 } });
  expect(world.hub.stored.size).toBe(1);
}

describe('spx node certify (POST /v1/certifications)', () => {
  it('certifies the last closed quarter with the count the hub holds and the roster headcount', async () => {
    await publishOne();
    world.clock.set('2025-04-20T09:00:00Z');
    const { status: code, body } = await certify({});
    expect(code).toBe(200);
    const answer = CertifyResponseSchema.parse(body);
    // RPD-10002 serves on 2025-03-31; RPD-10001 left in 2023, RPD-10003 in February 2025.
    expect(answer).toMatchObject({
      outcome: 'certified',
      swornSource: 'roster',
      deadline: '2025-04-30',
      certification: { period: '2025-Q1', sworn: 1, statements: 1, zeroReport: false },
      receipt: { status: 'accepted', period: '2025-Q1', timeliness: 'on_time' },
    });
    expect(world.hub.certifications).toHaveLength(1);
    expect(world.hub.certifications[0]!.payload).toMatchObject({
      issuer: world.city.entry.ori,
      supersedes: null,
      issuedAt: '2025-04-20T09:00:00Z',
    });
    expect(logs.some((l) => l.includes('certification_sent'))).toBe(true);
  });

  it('reports an unchanged period without sending, and sends a correction when a figure changed', async () => {
    await publishOne();
    world.clock.set('2025-04-20T09:00:00Z');
    const first = CertifyResponseSchema.parse((await certify({ sworn: 40 })).body);
    expect(first).toMatchObject({ outcome: 'certified', swornSource: 'flag' });
    const again = CertifyResponseSchema.parse((await certify({ sworn: 40 })).body);
    expect(again.outcome).toBe('unchanged');
    expect(again.receipt?.id).toBe(first.receipt?.id);
    expect(world.hub.certifications).toHaveLength(1);

    world.clock.set('2025-05-10T09:00:00Z');
    const fixed = CertifyResponseSchema.parse((await certify({ sworn: 41 })).body);
    expect(fixed.outcome).toBe('corrected');
    expect(fixed.certification).toMatchObject({ sworn: 41, supersedes: first.receipt!.id });
    // A correction after the deadline leaves the period on time (its first certification was).
    expect(fixed.receipt).toMatchObject({ status: 'accepted', timeliness: 'on_time' });
    expect(world.hub.certifications.map((c) => c.supersededBy)).toEqual([fixed.receipt!.id, null]);
  });

  it('sends a zero report for a period without statements; a dry run sends nothing', async () => {
    await publishOne();
    world.clock.set('2025-04-20T09:00:00Z');
    const dry = CertifyResponseSchema.parse(
      (await certify({ period: '2024-Q4', dryRun: true })).body,
    );
    expect(dry).toMatchObject({
      outcome: 'dry_run',
      receipt: null,
      // On 2024-12-31 RPD-10003 still served: two sworn.
      certification: { period: '2024-Q4', statements: 0, zeroReport: true, sworn: 2 },
    });
    expect(world.hub.certifications).toHaveLength(0);
    const zero = CertifyResponseSchema.parse((await certify({ period: '2024-Q4', sworn: 3 })).body);
    expect(zero).toMatchObject({
      outcome: 'certified',
      certification: { statements: 0, zeroReport: true, sworn: 3 },
      receipt: { deadline: '2025-01-30', timeliness: 'late' },
    });
  });

  it('refuses bad input with codes naming the field, sending nothing', async () => {
    await publishOne();
    world.clock.set('2025-04-20T09:00:00Z');
    const open = await certify({ period: '2025-Q2' });
    expect(open).toMatchObject({ status: 409, body: { code: 'PERIOD_OPEN' } });
    const future = await certify({ period: '2030-Q1' });
    expect(future).toMatchObject({ status: 409, body: { code: 'PERIOD_OPEN' } });
    const negative = await certify({ sworn: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(negative.body)).toContain('sworn');
    const huge = await certify({ sworn: 1_000_000 });
    expect(huge.status).toBe(400);
    const malformed = await certify({ period: '2025-Q5' });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const unknown = await certify({ when: 'now' });
    expect(unknown.status).toBe(400);
    const mismatch = await certify({ period: '2025-01', periodLength: 'quarter' });
    expect(mismatch).toMatchObject({ status: 400, body: { code: 'PERIOD_LENGTH_MISMATCH' } });
    // No sworn officer but a statement issued: refused before signing (the payload rule).
    const noSworn = await certify({ period: '2025-Q1', sworn: 0 });
    expect(noSworn).toMatchObject({ status: 400, body: { code: 'SWORN_REQUIRED' } });
    // A month where the hub certifies by quarter: the hub's refusal, passed on with its code.
    const monthly = await certify({ period: '2025-03' });
    expect(monthly).toMatchObject({ status: 502, body: { code: 'VALIDATION_FAILED' } });
    expect(world.hub.certifications).toHaveLength(0);
  });

  it("passes on the hub's COUNT_MISMATCH when the hub holds another count", async () => {
    await publishOne();
    world.clock.set('2025-04-20T09:00:00Z');
    world.hub.stored.clear();
    const res = await certify({ sworn: 5 });
    expect(res).toMatchObject({ status: 502, body: { code: 'COUNT_MISMATCH' } });
    expect((await status()).certificationDue).toMatchObject({ period: '2025-Q1' });
  });

  it('refuses while a statement of the period waits in the outbox', async () => {
    await post('/v1/import/officers', OFFICERS, 'text/csv');
    await post('/v1/import/outcomes', OUTCOMES, 'text/csv');
    world.hub.epochs = [1];
    const down = testNodeApp(world, handle.db, {
      seed: 'certify:down',
      hubFetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname === '/v1/attestations') throw new TypeError('network down');
        return world.fetch(input, init);
      },
    });
    const published = await down.request('/v1/publish', {
      method: 'POST',
      body: '{}',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(published.status).toBe(200);
    world.clock.set('2025-04-20T09:00:00Z');
    const res = await certify({ sworn: 5 });
    expect(res).toMatchObject({ status: 409, body: { code: 'CERTIFICATION_UNDELIVERED' } });
    expect(world.hub.certifications).toHaveLength(0);
  });
});

describe('the certification reminder (GET /v1/status)', () => {
  it('shows the last closed period within 14 days of its deadline and after, until certified', async () => {
    world.clock.set('2025-04-05T09:00:00Z');
    expect((await status()).certificationDue).toBeNull();
    world.clock.set('2025-04-16T09:00:00Z');
    expect((await status()).certificationDue).toEqual({
      period: '2025-Q1',
      deadline: '2025-04-30',
      daysLeft: 14,
    });
    world.clock.set('2025-05-02T09:00:00Z');
    expect((await status()).certificationDue).toMatchObject({ daysLeft: -2 });
    expect((await certify({ sworn: 2 })).status).toBe(200);
    expect((await status()).certificationDue).toBeNull();
  });
});

describe("the reminders follow the hub's period and the affirmation's lapse", () => {
  it('certifies and reminds by month on a hub that certifies by month', async () => {
    world.hub.certificationPeriod = 'month';
    world.clock.set('2025-05-20T09:00:00Z');
    // April's deadline under the default rule is 30 days after its end: within 14 days.
    expect((await status()).certificationDue).toMatchObject({
      period: '2025-04',
      deadline: '2025-05-30',
      daysLeft: 10,
    });
    const { status: code, body } = await certify({ sworn: 2 });
    expect(code).toBe(200);
    expect(CertifyResponseSchema.parse(body).certification.period).toBe('2025-04');
    expect((await status()).certificationDue).toBeNull();
  });

  it('reminds from 30 days before an "in process" affirmation lapses until 30 days after', async () => {
    world.clock.set('2025-01-10T09:00:00Z');
    // What `spx node credential affirm` keeps (node/credentials/affirm.ts): an older one first.
    const settings = settingsRepository(handle.db);
    await settings.set('credential-affirmation:2024-02-01', { kept: true }, world.clock.now());
    await settings.set('credential-affirmation:2025-01-10', { kept: true }, world.clock.now());
    expect((await status()).affirmationDue).toBeNull();
    const validUntil = affirmationValidUntil('2025-01-10');
    expect(validUntil).toBe('2026-01-10');
    world.clock.set(`${validUntil}T09:00:00Z`);
    expect((await status()).affirmationDue).toEqual({
      affirmedOn: '2025-01-10',
      validUntil,
      daysLeft: 0,
    });
    world.clock.set(
      new Date(Date.parse(`${validUntil}T09:00:00Z`) - 31 * 86_400_000).toISOString(),
    );
    expect((await status()).affirmationDue).toBeNull();
    world.clock.set(
      new Date(Date.parse(`${validUntil}T09:00:00Z`) + 30 * 86_400_000).toISOString(),
    );
    expect((await status()).affirmationDue).toMatchObject({ daysLeft: -30 });
    world.clock.set(
      new Date(Date.parse(`${validUntil}T09:00:00Z`) + 31 * 86_400_000).toISOString(),
    );
    expect((await status()).affirmationDue).toBeNull();
  });
});

describe('the reminder pass of the service loop', () => {
  it('logs certification_due once a day while due, and nothing once certified', async () => {
    const lines: { level: string; event: string; fields: unknown }[] = [];
    const pass = certificationReminderPass({
      db: handle.db,
      hub: createHubClient(HUB_URL, clientDeps(world.city, world.fetch, world.clock.now)),
      ori: world.city.entry.ori,
      now: world.clock.now,
      log: (level, event, fields) => lines.push({ level, event, fields }),
    });
    world.clock.set('2025-04-10T09:00:00Z');
    expect(await pass()).toBeUndefined();
    world.clock.set('2025-04-20T09:00:00Z');
    await pass();
    world.clock.set('2025-04-20T18:00:00Z');
    await pass();
    expect(lines).toEqual([
      {
        level: 'warn',
        event: 'certification_due',
        fields: { period: '2025-Q1', deadline: '2025-04-30', daysLeft: 10 },
      },
    ]);
    world.clock.set('2025-04-21T09:00:00Z');
    expect((await certify({ sworn: 2 })).status).toBe(200);
    expect(await pass()).toBeUndefined();
    expect(lines).toHaveLength(1);
  });
});

describe('spx node certify flags', () => {
  it('checks the flags before sending', () => {
    expect(certifyRequest({ period: '2025-Q1', sworn: '12', dryRun: true })).toEqual({
      period: '2025-Q1',
      sworn: 12,
      dryRun: true,
    });
    expect(() => certifyRequest({ sworn: '-3' })).toThrow(/--sworn/);
    expect(() => certifyRequest({ sworn: '1e3' })).toThrow(/--sworn/);
    expect(() => certifyRequest({ period: 'Q1-2025' })).toThrow(/--period/);
    expect(() => certifyRequest({ periodLength: 'week' })).toThrow(/--period-length/);
  });
});
