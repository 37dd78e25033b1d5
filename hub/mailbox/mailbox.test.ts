/**
 * The mailbox and the corrections it carries (docs/protocol.md §5.12), in process with real
 * signatures: a checker's earlier answer listed a statement; the reporter supersedes it; the
 * checker's mailbox holds one hub-signed correction naming its check; fetch is read-only, ack is
 * idempotent and refuses another agency's messages; retention deletes and counts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import {
  CorrectionBodySchema,
  MailboxMessagePayloadSchema,
  MailboxPageSchema,
  type MailboxPage,
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
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { mailboxService } from './mailbox.service.js';

const fx = useHubFixture();
let reporter: TestAgency;
let checker: TestAgency;
let other: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
  other = await enrollAgency(fx.db, 'NM0010300', await keyFromByte(3), { roles: ['checker'] });
});

async function publish(...payloads: AttestationPayload[]): Promise<void> {
  const statements = await Promise.all(payloads.map((p) => signAttestation(p, reporter.key)));
  const res = await postBatch(fx, reporter, statements);
  expect(res.status).toBe(200);
}

const record = (patch: Partial<AttestationPayload> = {}) =>
  attestationPayload(reporter.ori, fx.rng, fx.clock.now(), patch);

/** A change to `previous`: same tokens, a new id, superseding it. */
function change(previous: AttestationPayload, patch: Partial<AttestationPayload>) {
  fx.clock.advance(60);
  return record({ tokens: previous.tokens, supersedes: previous.id, ...patch });
}

async function check(agency: TestAgency, p: AttestationPayload): Promise<string> {
  const res = await postCheck(fx, agency, checkRequest([p.tokens.keys[0]!]));
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { response: string };
  const payload = JSON.parse(Buffer.from(answer.response.split('.')[1]!, 'base64url').toString());
  return payload.checkId as string;
}

async function fetchPage(agency: TestAgency, query = ''): Promise<MailboxPage> {
  const res = await hubRequest(fx, 'GET', `/v1/mailbox/messages${query}`, agency);
  expect(res.status).toBe(200);
  return MailboxPageSchema.parse(await res.json());
}

async function opened(jws: string) {
  const verified = await verifyStatement(jws, {
    typ: STATEMENT_TYPES.mailboxMessage,
    resolveKey: (kid) => (kid === fx.hubKey.kid ? fx.hubKey.publicJwk : undefined),
  });
  if (!verified.ok) throw new Error(`hub signature: ${verified.error.code}`);
  return MailboxMessagePayloadSchema.parse(verified.value.payload);
}

const ack = (agency: TestAgency, seqs: number[]) =>
  hubRequest(fx, 'POST', '/v1/mailbox/ack', agency, JSON.stringify({ seqs }));

describe('corrections reach earlier checkers', () => {
  it('tells the checker whose answer listed the statement, naming its check and the change', async () => {
    const original = record();
    await publish(original);
    const checkId = await check(checker, original);
    expect((await fetchPage(checker)).messages).toEqual([]);

    const overturned = change(original, { status: 'overturned', statusDate: '2024-02-01' });
    await publish(overturned);

    const page = await fetchPage(checker);
    expect(page).toMatchObject({ more: false, expiredUnacknowledged: 0 });
    expect(page.messages).toHaveLength(1);
    const message = await opened(page.messages[0]!);
    expect(message.to).toBe(checker.ori);
    const body = CorrectionBodySchema.parse(message.body);
    expect(body).toMatchObject({
      checkId,
      attestationId: original.id,
      currentId: overturned.id,
      currentStatus: 'overturned',
      changes: [{ field: 'status', from: 'final', to: 'overturned' }],
    });
    expect(body.current).toBe(await signAttestation(overturned, reporter.key));
    // Nobody else checked: nobody else is told.
    expect((await fetchPage(reporter)).messages).toEqual([]);
    expect((await fetchPage(other)).messages).toEqual([]);
  });

  it('follows the chain: a second change reaches a check made before the first', async () => {
    const original = record();
    await publish(original);
    const early = await check(checker, original);
    const pending = change(original, { status: 'final', disputed: { since: '2024-01-10' } });
    await publish(pending);
    const later = await check(other, pending);
    const retracted = change(pending, { status: 'retracted', statusDate: '2024-03-01' });
    await publish(retracted);

    const mine = await Promise.all((await fetchPage(checker)).messages.map(opened));
    expect(mine.map((m) => CorrectionBodySchema.parse(m.body))).toMatchObject([
      { checkId: early, attestationId: original.id, currentId: pending.id },
      { checkId: early, attestationId: original.id, currentId: retracted.id },
    ]);
    expect(CorrectionBodySchema.parse(mine[0]!.body).changes).toEqual([
      { field: 'disputed', from: null, to: '2024-01-10' },
    ]);
    const theirs = await Promise.all((await fetchPage(other)).messages.map(opened));
    expect(theirs.map((m) => CorrectionBodySchema.parse(m.body))).toMatchObject([
      {
        checkId: later,
        attestationId: pending.id,
        currentId: retracted.id,
        changes: [
          { field: 'status', from: 'final', to: 'retracted' },
          { field: 'disputed', from: '2024-01-10', to: null },
        ],
      },
    ]);
  });

  it('sends one correction per earlier check when a batch supersedes a statement twice', async () => {
    const original = record();
    await publish(original);
    await check(checker, original);
    const first = change(original, { status: 'pending_appeal' });
    const second = change(first, { status: 'overturned' });
    await publish(first, second);
    const bodies = (await Promise.all((await fetchPage(checker)).messages.map(opened))).map((m) =>
      CorrectionBodySchema.parse(m.body),
    );
    expect(bodies).toMatchObject([{ currentId: second.id, currentStatus: 'overturned' }]);
  });

  it('names a re-statement that changes neither status nor dispute', async () => {
    const original = record();
    await publish(original);
    await check(checker, original);
    await publish(change(original, { localRef: 'IA-2023-0042-B' }));
    const [message] = await Promise.all((await fetchPage(checker)).messages.map(opened));
    expect(CorrectionBodySchema.parse(message!.body).changes).toEqual([
      { field: 'superseded', from: original.id, to: expect.any(String) },
    ]);
  });
});

describe('fetch and ack', () => {
  async function queue(n: number, to: TestAgency = checker): Promise<number[]> {
    const mailbox = mailboxService(fx.db, { signingKey: fx.hubKey });
    const seqs: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = record();
      seqs.push(
        await mailbox.send(
          fx.db,
          to.ori,
          {
            type: 'correction',
            checkId: p.id,
            checkedAt: p.issuedAt,
            attestationId: p.id,
            current: null,
            currentId: null,
            currentStatus: null,
            changes: [{ field: 'expunged', from: 'final', to: null }],
          },
          fx.clock.now(),
        ),
      );
    }
    return seqs;
  }

  it('pages in seq order with a cursor, and fetching changes nothing', async () => {
    const seqs = await queue(5);
    const first = await fetchPage(checker, '?limit=2');
    expect(first.more).toBe(true);
    const firstSeqs = (await Promise.all(first.messages.map(opened))).map((m) => m.seq);
    expect(firstSeqs).toEqual(seqs.slice(0, 2));
    const next = await fetchPage(checker, `?after=${firstSeqs[1]}&limit=2`);
    expect((await Promise.all(next.messages.map(opened))).map((m) => m.seq)).toEqual(
      seqs.slice(2, 4),
    );
    const again = await fetchPage(checker, '?limit=2');
    expect(again.messages).toEqual(first.messages);
  });

  it('acknowledges idempotently; acknowledged messages are not fetched again', async () => {
    const seqs = await queue(3);
    let res = await ack(checker, seqs.slice(0, 2));
    expect(await res.json()).toEqual({ acknowledged: 2, remaining: 1 });
    res = await ack(checker, seqs.slice(0, 2));
    expect(await res.json()).toEqual({ acknowledged: 0, remaining: 1 });
    const left = await fetchPage(checker);
    expect((await Promise.all(left.messages.map(opened))).map((m) => m.seq)).toEqual([seqs[2]]);
  });

  it("refuses an ack naming another agency's message, applying none of it", async () => {
    const mine = await queue(1);
    const theirs = await queue(1, other);
    const res = await ack(checker, [mine[0]!, theirs[0]!]);
    expect(await problemCode(res)).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      fields: ['seqs[1]: invalid_value'],
    });
    expect((await fetchPage(checker)).messages).toHaveLength(1);
    expect((await fetchPage(other)).messages).toHaveLength(1);
    // A seq that never existed looks the same.
    expect((await problemCode(await ack(checker, [999_999]))).code).toBe('NOT_FOUND');
  });

  it.each([
    ['?limit=0', 'limit: invalid_value'],
    ['?limit=101', 'limit: invalid_value'],
    ['?after=-1', 'after: invalid_value'],
    ['?after=01', 'after: invalid_value'],
    ['?after=1e3', 'after: invalid_value'],
    ['?limit=2&limit=3', 'limit: duplicate'],
    ['?cursor=3', 'cursor: unknown_field'],
  ])('refuses the query %s naming the parameter', async (query, field) => {
    const res = await hubRequest(fx, 'GET', `/v1/mailbox/messages${query}`, checker);
    expect(await problemCode(res)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: [field],
    });
  });

  it.each([
    ['{"seqs":[]}', 'seqs: too_few'],
    ['{"seqs":[1,1]}', 'seqs[1]: duplicate'],
    ['{"seqs":[0]}', 'seqs[0]: too_small'],
    ['{"seqs":[1.5]}', 'seqs[0]: invalid_type'],
    ['{"seqs":[1],"all":true}', 'all: unknown_field'],
  ])('refuses the ack %s naming the field', async (body, field) => {
    const res = await hubRequest(fx, 'POST', '/v1/mailbox/ack', checker, body);
    const problem = await problemCode(res);
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.fields).toContain(field);
  });

  it('needs a request token', async () => {
    const res = await hubRequest(fx, 'GET', '/v1/mailbox/messages', null);
    expect(await problemCode(res)).toMatchObject({ status: 401, code: 'AUTH_MISSING' });
  });
});

describe('retention', () => {
  it('deletes acknowledged messages after their period, and counts unread ones it expires', async () => {
    const mailbox = mailboxService(fx.db, {
      signingKey: fx.hubKey,
      retention: { unacknowledgedDays: 60, acknowledgedDays: 10 },
    });
    const original = record();
    await publish(original);
    await check(checker, original);
    await check(other, original);
    await publish(change(original, { status: 'overturned' }));
    const [message] = await Promise.all((await fetchPage(checker)).messages.map(opened));
    await ack(checker, [message!.seq]);

    fx.clock.advance(11 * 86_400);
    expect(await mailbox.prune(fx.clock.now())).toEqual({ acknowledged: 1, expired: 0 });
    expect((await fetchPage(other)).messages).toHaveLength(1);

    fx.clock.advance(50 * 86_400);
    expect(await mailbox.prune(fx.clock.now())).toEqual({ acknowledged: 0, expired: 1 });
    expect(await fetchPage(other)).toEqual({
      messages: [],
      more: false,
      expiredUnacknowledged: 1,
    });
    expect((await fetchPage(checker)).expiredUnacknowledged).toBe(0);
  });
});

describe('an epoch changeover', () => {
  it('sends no correction for a re-statement that changes only the tokens', async () => {
    const original = record();
    await publish(original);
    await check(checker, original);
    fx.clock.advance(60);
    const restated = record({
      supersedes: original.id,
      tokens: { ...original.tokens, epoch: 2 },
    });
    await publish(restated);
    expect((await fetchPage(checker)).messages).toEqual([]);
    // A real change after the re-statement still reaches the earlier checker.
    fx.clock.advance(60);
    await publish(
      record({ supersedes: restated.id, tokens: restated.tokens, status: 'overturned' }),
    );
    const [message] = await Promise.all((await fetchPage(checker)).messages.map(opened));
    expect(CorrectionBodySchema.parse(message!.body)).toMatchObject({
      attestationId: original.id,
      currentStatus: 'overturned',
    });
  });
});
