/**
 * The hub's retention notices (docs/protocol.md §5.12.3, §5.13), in process with real signatures
 * and an injected clock: the reporting agency never publishes `expired` (its node is offline);
 * on the record's due day the hub tells the agency whose earlier answer listed it, once — not
 * again on a second pass, a restarted hub or a second replica running the pass at the same
 * time — and says nothing about records that are not due, never expire, were never shown, or
 * were already expired by their agency. Agencies monitoring the officer that were told of the
 * record get one `withdrawn` monitoring notice with `pastRetention`, and nothing more when the
 * agency's `expired` statement arrives later.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import {
  CorrectionBodySchema,
  KnownMessageBodySchema,
  MailboxMessagePayloadSchema,
  MailboxPageSchema,
} from '../../protocol/mailbox.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubRequest,
  keyFromByte,
  postBatch,
  postCheck,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { mailboxService } from './mailbox.service.js';
import { retentionNotices } from './mailbox.table.js';
import {
  retentionNoticePass,
  sendRetentionNotices,
  shortestRetention,
} from './retention-notices.js';
import { RETENTION_TABLE_V1 } from '../../protocol/retention.js';

const fx = useHubFixture();
let city: TestAgency;
let checker: TestAgency;
let other: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
  other = await enrollAgency(fx.db, 'NM0010300', await keyFromByte(3), { roles: ['checker'] });
});

const mailbox = () => mailboxService(fx.db, { signingKey: fx.hubKey });
const pass = (iso: string) => sendRetentionNotices(fx.db, mailbox(), new Date(iso));

/** Final since 2023-11-01 under the default rule: due on 2030-11-01. */
const record = (patch: Partial<AttestationPayload> = {}) =>
  attestationPayload(city.ori, fx.rng, fx.clock.now(), { statusDate: '2023-11-01', ...patch });

async function publish(...payloads: AttestationPayload[]): Promise<string[]> {
  const jws = await Promise.all(payloads.map((p) => signAttestation(p, city.key)));
  expect((await postBatch(fx, city, jws)).status).toBe(200);
  return jws;
}

async function check(agency: TestAgency, p: AttestationPayload): Promise<string> {
  const res = await postCheck(fx, agency, checkRequest([p.tokens.keys[0]!]));
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { response: string };
  const payload = JSON.parse(Buffer.from(answer.response.split('.')[1]!, 'base64url').toString());
  return payload.checkId as string;
}

async function corrections(agency: TestAgency) {
  const all = await messages(agency);
  return all.map((m) => ({ createdAt: m.createdAt, body: CorrectionBodySchema.parse(m.body) }));
}

async function messages(agency: TestAgency) {
  const res = await hubRequest(fx, 'GET', '/v1/mailbox/messages', agency);
  expect(res.status).toBe(200);
  const page = MailboxPageSchema.parse(await res.json());
  return Promise.all(
    page.messages.map(async (jws) => {
      const verified = await verifyStatement(jws, {
        typ: STATEMENT_TYPES.mailboxMessage,
        resolveKey: (kid) => (kid === fx.hubKey.kid ? fx.hubKey.publicJwk : undefined),
      });
      if (!verified.ok) throw new Error(verified.error.code);
      const message = MailboxMessagePayloadSchema.parse(verified.value.payload);
      return { createdAt: message.createdAt, body: KnownMessageBodySchema.parse(message.body) };
    }),
  );
}

describe('the hub tells earlier checkers on a record’s retention due day', () => {
  it('sends nothing the day before, then one past_retention correction to the checker', async () => {
    const due = record();
    const [jws] = await publish(due);
    const checkId = await check(checker, due);

    expect(await pass('2030-10-31T23:59:59Z')).toEqual({ due: 0, notices: 0, monitoring: 0 });
    expect(await corrections(checker)).toEqual([]);

    expect(await pass('2030-11-01T00:30:00Z')).toEqual({ due: 1, notices: 1, monitoring: 0 });
    const [notice, ...more] = await corrections(checker);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      createdAt: '2030-11-01T00:30:00Z',
      body: {
        type: 'correction',
        checkId,
        attestationId: due.id,
        current: jws,
        currentId: due.id,
        currentStatus: 'final',
        changes: [{ field: 'past_retention', from: 'final', to: '2030-11-01' }],
      },
    });
    // Nobody else checked the officer: nobody else is told.
    expect(await corrections(other)).toEqual([]);
    expect(await fx.db.select().from(retentionNotices)).toMatchObject([
      { attestationId: due.id, dueDate: '2030-11-01', recipients: 1 },
    ]);
  });

  it('sends once: a second pass, a restarted hub, and two replicas at once send nothing more', async () => {
    const due = record();
    await publish(due);
    await check(checker, due);
    await check(other, due);
    // Two replicas' passes at the same moment: the notice row's key lets one of them send.
    const both = await Promise.all([pass('2030-11-02T08:00:00Z'), pass('2030-11-02T08:00:00Z')]);
    expect(both.map((r) => r.notices).sort()).toEqual([0, 2]);
    expect(await pass('2030-11-02T09:00:00Z')).toEqual({ due: 0, notices: 0, monitoring: 0 });
    // A restarted process has a fresh once-a-day pass; the table still says it was done.
    expect(await retentionNoticePass(fx.db, mailbox())(new Date('2030-11-03T00:00:00Z'))).toEqual({
      due: 0,
      notices: 0,
      monitoring: 0,
    });
    expect(await corrections(checker)).toHaveLength(1);
    expect(await corrections(other)).toHaveLength(1);
  });

  it('runs a full pass at most once a UTC day per process', async () => {
    const run = retentionNoticePass(fx.db, mailbox());
    expect(await run(new Date('2030-10-31T10:00:00Z'))).toEqual({
      due: 0,
      notices: 0,
      monitoring: 0,
    });
    expect(await run(new Date('2030-10-31T11:00:00Z'))).toBeUndefined();
    const due = record();
    await publish(due);
    await check(checker, due);
    expect(await run(new Date('2030-11-01T00:00:00Z'))).toEqual({
      due: 1,
      notices: 1,
      monitoring: 0,
    });
  });

  it('says nothing of records never due, never shown, or already expired by their agency', async () => {
    const decertified = record({ category: 'decertification', categoryList: 1 });
    const pending = record({ status: 'pending_appeal' });
    const expiredByAgency = record();
    await publish(decertified, pending, expiredByAgency);
    for (const p of [decertified, pending, expiredByAgency]) await check(checker, p);
    fx.clock.advance(60);
    await publish(
      record({
        tokens: expiredByAgency.tokens,
        supersedes: expiredByAgency.id,
        status: 'expired',
        statusDate: '2026-05-01',
      }),
    );
    const before = (await corrections(checker)).length;
    expect(await pass('2040-01-01T00:00:00Z')).toEqual({ due: 0, notices: 0, monitoring: 0 });
    expect(await corrections(checker)).toHaveLength(before);
  });

  it('does not notice a chain twice for the same due day when its agency later re-states it', async () => {
    const due = record();
    await publish(due);
    await check(checker, due);
    expect(await pass('2030-11-01T00:00:00Z')).toMatchObject({ notices: 1 });
    // The agency's node comes back and sets a dispute flag instead of expiring: the ordinary
    // correction goes out; the hub's pass does not repeat its own notice for the new head.
    fx.clock.ms = Date.parse('2030-11-05T12:00:00Z');
    await publish(
      record({ tokens: due.tokens, supersedes: due.id, disputed: { since: '2030-11-04' } }),
    );
    const told = (await corrections(checker)).length;
    expect(await pass('2030-11-06T00:00:00Z')).toEqual({ due: 1, notices: 0, monitoring: 0 });
    expect(await corrections(checker)).toHaveLength(told);
  });

  it('tells an agency monitoring the officer once, and nothing more when the agency expires it', async () => {
    const due = record();
    const monitored = due.tokens.keys[0]!;
    const enroll = (agency: TestAgency) =>
      hubRequest(
        fx,
        'POST',
        '/v1/monitoring/enrollments',
        agency,
        JSON.stringify({ epoch: due.tokens.epoch, enroll: [monitored], remove: [] }),
      );
    expect((await enroll(checker)).status).toBe(200);
    await publish(due);
    // Enrolled after the record was stored: never told of it, so nothing to withdraw.
    expect((await enroll(other)).status).toBe(200);
    expect((await messages(checker)).map((m) => m.body)).toMatchObject([
      { type: 'monitoring', change: 'reported', statementId: due.id },
    ]);

    expect(await pass('2030-10-31T23:00:00Z')).toEqual({ due: 0, notices: 0, monitoring: 0 });
    expect(await pass('2030-11-01T00:30:00Z')).toEqual({ due: 1, notices: 0, monitoring: 1 });
    const [, withdrawn, ...more] = await messages(checker);
    expect(more).toEqual([]);
    expect(withdrawn).toEqual({
      createdAt: '2030-11-01T00:30:00Z',
      body: {
        type: 'monitoring',
        change: 'withdrawn',
        matches: [monitored],
        statement: null,
        statementId: due.id,
        status: null,
        previousId: due.id,
        pastRetention: '2030-11-01',
      },
    });
    expect(await messages(other)).toEqual([]);
    expect(await pass('2030-11-02T00:00:00Z')).toEqual({ due: 0, notices: 0, monitoring: 0 });

    // The agency's node comes back and first sets a dispute flag: the record is past retention,
    // so the change shows nothing — no `changed` notice re-discloses it.
    fx.clock.ms = Date.parse('2030-11-05T12:00:00Z');
    const disputed = record({
      tokens: due.tokens,
      supersedes: due.id,
      disputed: { since: '2030-11-04' },
    });
    await publish(disputed);
    expect(await messages(checker)).toHaveLength(2);
    // Then `expired`: the agency was told already.
    fx.clock.ms = Date.parse('2030-11-10T12:00:00Z');
    await publish(
      record({
        tokens: due.tokens,
        supersedes: disputed.id,
        status: 'expired',
        statusDate: '2030-11-01',
      }),
    );
    expect(await messages(checker)).toHaveLength(2);
    expect(await messages(other)).toEqual([]);
  });

  it('reads the shortest time limit from the table: seven years in version 1', () => {
    expect(shortestRetention(RETENTION_TABLE_V1)).toBe(7);
    expect(
      shortestRetention({ ...RETENTION_TABLE_V1, defaultRule: { years: null, source: 'x' } }),
    ).toBeNull();
  });
});
