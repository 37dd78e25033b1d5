/**
 * Retention at the hub (docs/protocol.md §5.13): a check stops listing a record on the day its
 * rule says it is due, computed from the signed statement and the retention table at check
 * time — with the reporting node offline, no `expired` statement ever arrives. When the node
 * does publish `expired`, the agencies whose earlier answers listed the record are told.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CheckResponsePayload } from '../../protocol/check-response.js';
import {
  CorrectionBodySchema,
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

const fx = useHubFixture();
let city: TestAgency;
let board: TestAgency;
let federal: TestAgency;
let checker: TestAgency;

beforeEach(async () => {
  city = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  board = await enrollAgency(fx.db, 'CA0340000', await keyFromByte(3), {
    roles: ['reporter'],
    jurisdiction: 'state',
  });
  federal = await enrollAgency(fx.db, 'DCFBI0000', await keyFromByte(4), {
    roles: ['reporter'],
    jurisdiction: 'federal',
    state: null,
  });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
});

const setDay = (iso: string) => {
  fx.clock.ms = Date.parse(iso);
};

async function publish(agency: TestAgency, ...payloads: AttestationPayload[]): Promise<void> {
  const jws = await Promise.all(payloads.map((p) => signAttestation(p, agency.key)));
  expect((await postBatch(fx, agency, jws)).status).toBe(200);
}

async function answer(keys: AttestationPayload['tokens']['keys']) {
  const res = await postCheck(fx, checker, checkRequest([keys[0]!]));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { response: string; attestations: string[] };
  const payload = JSON.parse(
    Buffer.from(body.response.split('.')[1]!, 'base64url').toString(),
  ) as CheckResponsePayload;
  return { payload, attestations: body.attestations };
}

describe('a check under the retention rule', () => {
  it('stops listing a final record on the day seven years after its final decision, with no expired statement', async () => {
    // Published on 2026-05-01 (the fixture's clock), final since 2023-11-01.
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      statusDate: '2023-11-01',
    });
    await publish(city, record);

    setDay('2030-10-31T23:59:59Z');
    const before = await answer(record.tokens.keys);
    expect(before.payload.matches.map((m) => m.attestationId)).toEqual([record.id]);
    expect(before.payload.verdict).toBe('record_found');

    setDay('2030-11-01T00:00:00Z');
    const after = await answer(record.tokens.keys);
    // Not listed, not in the verdict, not among the statements the answer carries.
    expect(after.payload.matches).toEqual([]);
    expect(after.payload.verdict).toBe('no_record');
    expect(after.attestations).toEqual([]);
  });

  it('keeps a pending appeal listed however old: its clock has not started', async () => {
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      status: 'pending_appeal',
      statusDate: '2010-01-01',
      outcomeDate: '2009-06-01',
      eventDate: '2009-01-01',
    });
    await publish(city, record);
    const { payload } = await answer(record.tokens.keys);
    expect(payload.matches.map((m) => m.status)).toEqual(['pending_appeal']);
  });

  it("keeps a state board's decertification listed past seven years, and applies the default to a federal agency", async () => {
    const decertified = attestationPayload(board.ori, fx.rng, fx.clock.now(), {
      category: 'decertification',
      eventDate: '2017-01-01',
      outcomeDate: '2018-01-15',
      statusDate: '2018-02-01',
    });
    const federalRecord = attestationPayload(federal.ori, fx.rng, fx.clock.now(), {
      tokens: decertified.tokens,
      eventDate: '2018-01-01',
      outcomeDate: '2019-01-15',
      statusDate: '2019-03-01',
    });
    await publish(board, decertified);
    await publish(federal, federalRecord);

    setDay('2026-02-28T12:00:00Z');
    const both = await answer(decertified.tokens.keys);
    expect(both.payload.matches.map((m) => m.reportingAgency.ori).sort()).toEqual(
      [board.ori, federal.ori].sort(),
    );

    setDay('2026-03-01T12:00:00Z');
    const left = await answer(decertified.tokens.keys);
    expect(left.payload.matches.map((m) => m.reportingAgency.ori)).toEqual([board.ori]);
    expect(left.payload.matches[0]!.category).toBe('decertification');
  });

  it('tells an earlier checker when the reporting agency publishes the expired statement', async () => {
    const record = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      statusDate: '2023-11-01',
    });
    await publish(city, record);
    const { payload } = await answer(record.tokens.keys);

    setDay('2030-11-02T09:00:00Z');
    const expired = attestationPayload(city.ori, fx.rng, fx.clock.now(), {
      tokens: record.tokens,
      supersedes: record.id,
      status: 'expired',
      statusDate: '2030-11-01',
    });
    await publish(city, expired);

    const res = await hubRequest(fx, 'GET', '/v1/mailbox/messages', checker);
    expect(res.status).toBe(200);
    const page = MailboxPageSchema.parse(await res.json());
    expect(page.messages).toHaveLength(1);
    const verified = await verifyStatement(page.messages[0]!, {
      typ: STATEMENT_TYPES.mailboxMessage,
      resolveKey: (kid) => (kid === fx.hubKey.kid ? fx.hubKey.publicJwk : undefined),
    });
    if (!verified.ok) throw new Error(verified.error.code);
    const body = CorrectionBodySchema.parse(
      MailboxMessagePayloadSchema.parse(verified.value.payload).body,
    );
    expect(body).toMatchObject({
      checkId: payload.checkId,
      attestationId: record.id,
      currentId: expired.id,
      currentStatus: 'expired',
      changes: [{ field: 'status', from: 'final', to: 'expired' }],
    });
  });
});
