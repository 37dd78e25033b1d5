/**
 * Period certifications over HTTP (docs/protocol.md §5.15, docs/api.md "Certifications"), in
 * process with real signatures: acceptance with a log entry, zero reports, supersession, and
 * each refusal with its code.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import {
  CertificationListSchema,
  CertificationReceiptSchema,
} from '../../protocol/certification-api.js';
import type { CertificationPayload } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { parseLogEntry } from '../../protocol/tlog.js';
import { logEntries } from '../tlog/tlog.table.js';
import {
  attestationPayload,
  enrollAgency,
  hubRequest,
  keyFromByte,
  postBatch,
  problemCode,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { eq } from 'drizzle-orm';

const fx = useHubFixture();
let agency: TestAgency;
let other: TestAgency;

beforeEach(async () => {
  agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), { roles: ['reporter'] });
  other = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), { roles: ['checker'] });
});

// The clock starts at 2026-05-01: 2026-Q1 is the last closed quarter, 2026-Q2 is open.
function certification(patch: Partial<CertificationPayload> = {}): CertificationPayload {
  return {
    v: 1,
    id: newStatementId(fx.clock.ms, fx.rng),
    issuer: agency.ori,
    period: '2026-Q1',
    sworn: 412,
    statements: 0,
    zeroReport: true,
    supersedes: null,
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
}

function sign(
  payload: CertificationPayload,
  key: SigningKey,
  typ: string = STATEMENT_TYPES.certification,
) {
  return signStatement(payload as unknown as JsonObject, { typ, key });
}

async function submit(jws: string, as: TestAgency = agency): Promise<Response> {
  return hubRequest(fx, 'POST', '/v1/certifications', as, JSON.stringify({ certification: jws }));
}

async function certify(payload: CertificationPayload, as: TestAgency = agency) {
  return submit(await sign(payload, as.key), as);
}

describe('POST /v1/certifications', () => {
  it('accepts a zero report, logs it in the clear and lists it for the agency', async () => {
    const payload = certification();
    const res = await certify(payload);
    expect(res.status).toBe(201);
    const receipt = CertificationReceiptSchema.parse(await res.json());
    expect(receipt).toMatchObject({
      id: payload.id,
      status: 'accepted',
      period: '2026-Q1',
      deadline: '2026-04-30',
      timeliness: 'late',
    });
    const [leaf] = await fx.db
      .select()
      .from(logEntries)
      .where(eq(logEntries.index, receipt.log.index));
    const entry = parseLogEntry(leaf!.entry);
    expect(entry.ok && entry.entry).toMatchObject({
      kind: 'certification',
      id: payload.id,
      ori: agency.ori,
      period: '2026-Q1',
      sworn: 412,
      statements: 0,
    });
    expect(receipt.log.checkpoint).toContain('hub.test/log');

    const list = await hubRequest(fx, 'GET', '/v1/certifications', agency);
    expect(list.status).toBe(200);
    const own = CertificationListSchema.parse(await list.json());
    expect(own.certifications.map((c) => [c.id, c.zeroReport])).toEqual([[payload.id, true]]);
    // The hub states its period, so that nodes certify and remind on it.
    expect(own.periodLength).toBe('quarter');
    const theirs = CertificationListSchema.parse(
      await (await hubRequest(fx, 'GET', '/v1/certifications', other)).json(),
    );
    expect(theirs.certifications).toEqual([]);
  });

  it('is on time within the deadline, and answers a retry with the first receipt', async () => {
    fx.clock.ms = Date.parse('2026-04-15T09:00:00Z');
    const jws = await sign(certification(), agency.key);
    const first = CertificationReceiptSchema.parse(await (await submit(jws)).json());
    expect(first.timeliness).toBe('on_time');
    fx.clock.advance(3600);
    const again = await submit(jws);
    expect(again.status).toBe(200);
    const retry = CertificationReceiptSchema.parse(await again.json());
    expect({ ...retry, log: retry.log.index }).toEqual({
      ...first,
      status: 'duplicate',
      log: first.log.index,
    });
  });

  it('counts the statements the hub holds for the period, and refuses a different count', async () => {
    fx.clock.ms = Date.parse('2026-02-10T12:00:00Z');
    const statements = await Promise.all(
      [0, 1].map(() =>
        signAttestation(attestationPayload(agency.ori, fx.rng, fx.clock.now()), agency.key),
      ),
    );
    expect((await postBatch(fx, agency, statements)).status).toBe(200);
    fx.clock.ms = Date.parse('2026-05-01T12:00:00Z');

    const zero = await certify(certification());
    expect(await problemCode(zero)).toEqual({
      status: 409,
      code: 'COUNT_MISMATCH',
      fields: ['certification.statements: mismatch'],
    });
    const two = await certify(certification({ statements: 2, zeroReport: false }));
    expect(two.status).toBe(201);
  });

  it('takes a correction that supersedes the current certification, and only that', async () => {
    const first = certification();
    expect((await certify(first)).status).toBe(201);
    fx.clock.advance(60);

    const second = await certify(certification());
    expect(await problemCode(second)).toEqual({
      status: 409,
      code: 'CONFLICT',
      fields: ['certification.supersedes: duplicate'],
    });
    const corrected = certification({ sworn: 415, supersedes: first.id });
    expect((await certify(corrected)).status).toBe(201);
    fx.clock.advance(60);
    const stale = await certify(certification({ sworn: 416, supersedes: first.id }));
    expect(await problemCode(stale)).toEqual({
      status: 409,
      code: 'SUPERSESSION_INVALID',
      fields: ['certification.supersedes: not_allowed'],
    });
    const unknownPeriod = await certify(certification({ period: '2025-Q4', supersedes: first.id }));
    expect((await problemCode(unknownPeriod)).code).toBe('SUPERSESSION_INVALID');

    const own = CertificationListSchema.parse(
      await (await hubRequest(fx, 'GET', '/v1/certifications', agency)).json(),
    );
    const byId = new Map(own.certifications.map((c) => [c.id, c]));
    expect(byId.get(first.id)?.supersededBy).toBe(corrected.id);
    expect(byId.get(corrected.id)?.supersededBy).toBeNull();
  });

  it('stores one of two concurrent first certifications and refuses the other', async () => {
    const [a, b] = await Promise.all([
      certify(certification({ sworn: 400 })),
      certify(certification({ sworn: 401 })),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect((await problemCode(refused)).code).toBe('CONFLICT');
    const own = CertificationListSchema.parse(
      await (await hubRequest(fx, 'GET', '/v1/certifications', agency)).json(),
    );
    expect(own.certifications).toHaveLength(1);
  });

  it('refuses an open or future period, another length and an absurd headcount', async () => {
    const cases: [Partial<CertificationPayload>, string, string][] = [
      [{ period: '2026-Q2' }, 'VALIDATION_FAILED', 'certification.period: not_allowed'],
      [{ period: '2027-Q1' }, 'VALIDATION_FAILED', 'certification.period: not_allowed'],
      [{ period: '2026-03' }, 'VALIDATION_FAILED', 'certification.period: not_allowed'],
      [{ period: '2026-Q5' }, 'VALIDATION_FAILED', 'certification.period: invalid_format'],
      [{ sworn: -1 }, 'VALIDATION_FAILED', 'certification.sworn: too_small'],
      [{ sworn: 1_000_000 }, 'VALIDATION_FAILED', 'certification.sworn: too_big'],
      [{ sworn: 12.5 }, 'VALIDATION_FAILED', 'certification.sworn: invalid_type'],
      [
        { statements: 3, zeroReport: true },
        'VALIDATION_FAILED',
        'certification.zeroReport: mismatch',
      ],
      [
        { issuedAt: '2026-05-02T12:00:00Z' },
        'VALIDATION_FAILED',
        'certification.issuedAt: not_allowed',
      ],
    ];
    for (const [patch, code, field] of cases) {
      const res = await certify(certification(patch));
      const got = await problemCode(res);
      expect({ patch, code: got.code, fields: got.fields }).toEqual({
        patch,
        code,
        fields: [field],
      });
    }
  });

  it("refuses another agency's certification and a statement of another kind", async () => {
    const forOther = await sign(certification({ issuer: other.ori }), other.key);
    expect(await problemCode(await submit(forOther, agency))).toEqual({
      status: 403,
      code: 'ISSUER_MISMATCH',
      fields: ['certification.issuer: mismatch'],
    });
    const signedByMe = await sign(certification({ issuer: other.ori }), agency.key);
    expect((await problemCode(await submit(signedByMe, agency))).code).toBe('SIG_UNKNOWN_KEY');
    const wrongTyp = await sign(certification(), agency.key, STATEMENT_TYPES.attestation);
    expect((await problemCode(await submit(wrongTyp))).code).toBe('SIG_TYP_MISMATCH');
    const unauthenticated = await hubRequest(
      fx,
      'POST',
      '/v1/certifications',
      null,
      JSON.stringify({ certification: forOther }),
    );
    expect(unauthenticated.status).toBe(401);
  });
});
