/**
 * Continuous monitoring (docs/protocol.md §5.12.4, §5.14), in process with real signatures: an
 * agency enrolls hub indexes of its officers; another agency reports a statement holding one; the
 * enrolled agency's mailbox holds one hub-signed `monitoring` notice naming the index and the
 * statement — and no notice ever carries a status a check would not show.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { TokenKey } from '../../protocol/common.js';
import {
  MailboxMessagePayloadSchema,
  MailboxPageSchema,
  MonitoringBodySchema,
  type MonitoringBody,
} from '../../protocol/mailbox.js';
import { EnrollmentReceiptSchema } from '../../protocol/monitoring.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import {
  attestationPayload,
  enrollAgency,
  hubIndex,
  hubRequest,
  keyFromByte,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { createHubApp } from '../app.js';
import { monitoringService } from './monitoring.service.js';
import { epochWindow } from '../epochs/epoch-window.js';
import { sendExpungementNotices } from './notices.js';
import { mailboxService } from '../mailbox/mailbox.service.js';

const fx = useHubFixture({ config: { monitoring: { maxEnrollments: 5, termDays: 30 } } });
let reporter: TestAgency;
let employer: TestAgency;
let other: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), {
    roles: ['reporter', 'checker'],
  });
  employer = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
  other = await enrollAgency(fx.db, 'NM0010300', await keyFromByte(3), { roles: ['reporter'] });
});

const enroll = (agency: TestAgency, body: unknown) =>
  hubRequest(fx, 'POST', '/v1/monitoring/enrollments', agency, JSON.stringify(body));

async function enrolled(agency: TestAgency, keys: TokenKey[], remove: string[] = []) {
  const res = await enroll(agency, { epoch: 1, enroll: keys, remove });
  expect(res.status).toBe(200);
  return EnrollmentReceiptSchema.parse(await res.json());
}

async function publish(...payloads: AttestationPayload[]): Promise<string[]> {
  const statements = await Promise.all(payloads.map((p) => signAttestation(p, reporter.key)));
  const res = await postBatch(fx, reporter, statements);
  expect(res.status).toBe(200);
  return statements;
}

const record = (patch: Partial<AttestationPayload> = {}) =>
  attestationPayload(reporter.ori, fx.rng, fx.clock.now(), patch);

function change(previous: AttestationPayload, patch: Partial<AttestationPayload>) {
  fx.clock.advance(60);
  return record({ tokens: previous.tokens, supersedes: previous.id, ...patch });
}

async function notices(agency: TestAgency): Promise<MonitoringBody[]> {
  const res = await hubRequest(fx, 'GET', '/v1/mailbox/messages', agency);
  const page = MailboxPageSchema.parse(await res.json());
  const out: MonitoringBody[] = [];
  for (const jws of page.messages) {
    const verified = await verifyStatement(jws, {
      typ: STATEMENT_TYPES.mailboxMessage,
      resolveKey: (kid) => (kid === fx.hubKey.kid ? fx.hubKey.publicJwk : undefined),
    });
    if (!verified.ok) throw new Error(verified.error.code);
    const message = MailboxMessagePayloadSchema.parse(verified.value.payload);
    expect(message.to).toBe(agency.ori);
    out.push(MonitoringBodySchema.parse(message.body));
  }
  return out;
}

describe('enrollment', () => {
  it('enrolls, renews and removes, and reports what it did', async () => {
    const a = { kind: 'ssn' as const, index: hubIndex(fx.rng) };
    const b = { kind: 'name_dob' as const, index: hubIndex(fx.rng) };
    expect(await enrolled(employer, [a, b])).toMatchObject({
      enrolled: 2,
      renewed: 0,
      removed: 0,
      active: 2,
      limit: 5,
      expiresAt: '2026-05-31T12:00:00Z',
    });
    fx.clock.advance(86_400);
    expect(await enrolled(employer, [a], [b.index])).toMatchObject({
      enrolled: 0,
      renewed: 1,
      removed: 1,
      active: 1,
      expiresAt: '2026-06-01T12:00:00Z',
    });
    const res = await hubRequest(fx, 'GET', '/v1/monitoring/enrollments', employer);
    expect(await res.json()).toEqual({
      active: 1,
      limit: 5,
      termDays: 30,
      nextExpiry: '2026-06-01T12:00:00Z',
    });
  });

  it('refuses a flood beyond the per-agency limit with ENROLLMENT_LIMIT, applying none of it', async () => {
    const keys = Array.from({ length: 4 }, () => ({
      kind: 'ssn' as const,
      index: hubIndex(fx.rng),
    }));
    await enrolled(employer, keys);
    const more = Array.from({ length: 2 }, () => ({
      kind: 'ssn' as const,
      index: hubIndex(fx.rng),
    }));
    const res = await enroll(employer, { epoch: 1, enroll: more, remove: [keys[0]!.index] });
    // 4 − 1 + 2 = 5 fits; a sixth does not.
    expect(res.status).toBe(200);
    const flood = await enroll(employer, {
      epoch: 1,
      enroll: [{ kind: 'ssn', index: hubIndex(fx.rng) }],
      remove: [],
    });
    expect(await problemCode(flood)).toEqual({
      status: 422,
      code: 'ENROLLMENT_LIMIT',
      fields: ['enroll: too_many'],
    });
    const summary = await hubRequest(fx, 'GET', '/v1/monitoring/enrollments', employer);
    expect(await summary.json()).toMatchObject({ active: 5 });
    // The limit is per agency: another agency enrolls freely.
    await enrolled(reporter, [{ kind: 'ssn', index: hubIndex(fx.rng) }]);
  });

  it('lets lapsed enrollments go: they bring no notice and free their place', async () => {
    const p = record();
    const keys = Array.from({ length: 5 }, () => ({
      kind: 'ssn' as const,
      index: hubIndex(fx.rng),
    }));
    await enrolled(employer, [...keys.slice(0, 4), p.tokens.keys[0]!]);
    fx.clock.advance(31 * 86_400);
    await publish(record({ tokens: p.tokens }));
    expect(await notices(employer)).toEqual([]);
    expect(await enrolled(employer, keys)).toMatchObject({ enrolled: 5, active: 5 });
  });

  it.each([
    [{ epoch: 1, enroll: [], remove: [] }, 'enroll: invalid_value'],
    [{ epoch: 0, enroll: [], remove: ['x'] }, 'epoch: too_small'],
    [{ epoch: 1, enroll: [{ kind: 'ssn', index: 'short' }], remove: [] }, 'enroll[0].index'],
    [
      { epoch: 1, enroll: [{ kind: 'shoe_size', index: 'A'.repeat(43) }], remove: [] },
      'enroll[0].kind',
    ],
    [{ epoch: 1, enroll: [], remove: ['A'.repeat(43), 'A'.repeat(43)] }, 'remove[1]: duplicate'],
    [{ epoch: 1, enroll: [], remove: [], all: true }, 'all: unknown_field'],
  ])('refuses %j naming the field', async (body, field) => {
    const problem = await problemCode(await enroll(employer, body));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.fields.join(' ')).toContain(field);
  });

  it('refuses an epoch the hub does not serve', async () => {
    const res = await enroll(employer, {
      epoch: 7,
      enroll: [{ kind: 'ssn', index: hubIndex(fx.rng) }],
      remove: [],
    });
    expect(await problemCode(res)).toMatchObject({ status: 422, code: 'EPOCH_UNKNOWN' });
  });

  it('needs a signed request from an agency with the checker role', async () => {
    const body = { epoch: 1, enroll: [{ kind: 'ssn', index: hubIndex(fx.rng) }], remove: [] };
    expect(
      await problemCode(
        await hubRequest(fx, 'POST', '/v1/monitoring/enrollments', null, JSON.stringify(body)),
      ),
    ).toMatchObject({ status: 401, code: 'AUTH_MISSING' });
    expect(await problemCode(await enroll(other, body))).toMatchObject({
      status: 403,
      code: 'ROLE_REQUIRED',
    });
  });
});

describe('notices', () => {
  it('tells an enrolled agency when another agency reports a matching statement', async () => {
    const p = record();
    const officer = p.tokens.keys[0]!;
    await enrolled(employer, [officer, { kind: 'ssn', index: hubIndex(fx.rng) }]);
    await enrolled(reporter, [officer]);
    const [jws] = await publish(p);
    expect(await notices(employer)).toEqual([
      {
        type: 'monitoring',
        change: 'reported',
        matches: [officer],
        statement: jws,
        statementId: p.id,
        status: 'final',
        previousId: null,
      },
    ]);
    // The reporting agency is not told of its own statement; nobody else enrolled it.
    expect(await notices(reporter)).toEqual([]);
    expect(await notices(other)).toEqual([]);
  });

  it('follows the record: changed, then withdrawn once when a check would no longer show it', async () => {
    const p = record();
    await enrolled(employer, [p.tokens.keys[0]!]);
    await publish(p);
    const appeal = change(p, { status: 'pending_appeal' });
    await publish(appeal);
    const overturned = change(appeal, { status: 'overturned' });
    await publish(overturned);
    const retracted = change(overturned, { status: 'retracted' });
    await publish(retracted);
    const bodies = await notices(employer);
    expect(bodies.map((b) => [b.change, b.status, b.statementId, b.previousId])).toEqual([
      ['reported', 'final', p.id, null],
      ['changed', 'pending_appeal', appeal.id, p.id],
      ['withdrawn', null, overturned.id, appeal.id],
      // Already told it was withdrawn: a further hidden status says nothing new.
    ]);
    expect(bodies[2]!.statement).toBeNull();
    expect(JSON.stringify(bodies)).not.toContain('overturned');
  });

  it('sends nothing while the hub withholds pending records, then reports the final one', async () => {
    const p = record({ status: 'pending_appeal' });
    await enrolled(employer, [p.tokens.keys[0]!]);
    fx.clock.advance(60);
    const app = createHubApp({
      db: fx.db,
      signingKey: fx.hubKey,
      config: {
        epochs: [1, 2],
        statsMinCell: 3,
        maxIntakeBytes: 9 * 1024 * 1024,
        maxCheckBytes: 64 * 1024,
        maxBatch: 500,
        logOrigin: 'hub.test/log',
        pendingRule: { pending: 'withhold', withholdPendingStates: [] },
      },
      now: fx.clock.now,
      rng: fx.rng,
      log: () => undefined,
    });
    const res = await postBatch({ ...fx, app }, reporter, [await signAttestation(p, reporter.key)]);
    expect(res.status).toBe(200);
    // Pending records withheld by the hub's rule: no notice until the record is final.
    expect(await notices(employer)).toEqual([]);
    await publish(change(p, { status: 'final' }));
    expect((await notices(employer)).map((b) => b.change)).toEqual(['reported']);
  });

  it('sends one notice per agency for a statement matching several of its indexes', async () => {
    const p = record({
      tokens: {
        epoch: 1,
        keys: [
          { kind: 'ssn', index: hubIndex(fx.rng) },
          { kind: 'name_dob', index: hubIndex(fx.rng) },
        ],
      },
    });
    await enrolled(employer, p.tokens.keys);
    await publish(p);
    const bodies = await notices(employer);
    expect(bodies).toHaveLength(1);
    expect(new Set(bodies[0]!.matches.map((m) => m.index))).toEqual(
      new Set(p.tokens.keys.map((k) => k.index)),
    );
  });

  it('withdraws on expungement and forgets whom it told', async () => {
    const p = record();
    await enrolled(employer, [p.tokens.keys[0]!]);
    await publish(p);
    const mailbox = mailboxService(fx.db, { signingKey: fx.hubKey });
    const sent = await fx.db.transaction((tx) =>
      sendExpungementNotices(tx, mailbox, [p.id], fx.clock.now()),
    );
    expect(sent).toBe(1);
    const bodies = await notices(employer);
    expect(bodies[1]).toMatchObject({ change: 'withdrawn', statementId: null, previousId: p.id });
    const again = await fx.db.transaction((tx) =>
      sendExpungementNotices(tx, mailbox, [p.id], fx.clock.now()),
    );
    expect(again).toBe(0);
  });

  it('fans out to many agencies in one send', async () => {
    const p = record();
    const agencies: TestAgency[] = [];
    for (let i = 0; i < 12; i++) {
      const ori = `TX${String(1000000 + i)}`;
      agencies.push(
        await enrollAgency(fx.db, ori, await keyFromByte(10 + i), { roles: ['checker'] }),
      );
    }
    for (const a of agencies) await enrolled(a, [p.tokens.keys[0]!]);
    await publish(p);
    for (const a of agencies) expect((await notices(a)).map((b) => b.statementId)).toEqual([p.id]);
  });
});

describe('the service', () => {
  it('prunes lapsed enrollments', async () => {
    const service = monitoringService(fx.db, {
      epochs: epochWindow([1], undefined),
      limits: { maxEnrollments: 10, termDays: 1 },
    });
    await service.enroll(
      employer.ori,
      { epoch: 1, enroll: [{ kind: 'ssn', index: hubIndex(fx.rng) }], remove: [] },
      fx.clock.now(),
    );
    expect(await service.pruneLapsed(fx.clock.now())).toBe(0);
    fx.clock.advance(2 * 86_400);
    expect(await service.pruneLapsed(fx.clock.now())).toBe(1);
  });
});
