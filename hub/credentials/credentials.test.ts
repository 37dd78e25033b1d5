/**
 * Credentialing bodies, credentials, revocations and affirmations over HTTP (docs/protocol.md
 * §5.16, docs/api.md "Credentials"), in process with real signatures: acceptance with a log
 * entry, the public lists, each refusal with its code, and the standing read from the database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { signStatement, type JsonObject } from '../../crypto/signing/index.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import { formatTimestamp } from '../../protocol/common.js';
import type {
  AffirmationPayload,
  CredentialPayload,
  CredentialRevocationPayload,
} from '../../protocol/credential.js';
import {
  AffirmationListSchema,
  CredentialListSchema,
  CredentialReceiptSchema,
} from '../../protocol/credential-api.js';
import { CredentialingBodyListSchema } from '../../protocol/credentialing-body.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { parseLogEntry } from '../../protocol/tlog.js';
import { logEntries } from '../tlog/tlog.table.js';
import { registryService } from '../registry/registry.service.js';
import {
  enrollAgency,
  hubRequest,
  keyFromByte,
  problemCode,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';
import { asc, eq } from 'drizzle-orm';
import { mailboxService } from '../mailbox/mailbox.service.js';
import { localOperations } from '../operator/operations.js';
import { bodiesService } from './bodies.service.js';
import { credentialStandingSource } from './credential-standing.js';

const fx = useHubFixture();
let agency: TestAgency;
let tribal: TestAgency;
let body: { ori: string; key: SigningKey };
let rival: { ori: string; key: SigningKey };

async function enrollBody(id: string, byte: number) {
  const key = await keyFromByte(byte);
  await bodiesService(fx.db).enroll(
    {
      id,
      name: `Body ${id}`,
      jwk: key.publicJwk,
      contact: { name: 'Accreditation Office', email: 'office@example.org', phone: '+15405550100' },
    },
    fx.clock.now(),
  );
  // hubRequest signs as `ori`: a body's request token carries its id as issuer.
  return { ori: id, key };
}

beforeEach(async () => {
  agency = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1));
  tribal = await enrollAgency(fx.db, 'AZ0000T01', await keyFromByte(2), {
    jurisdiction: 'tribal',
    state: null,
  });
  body = await enrollBody('calea', 11);
  rival = await enrollBody('tx-tpcaf', 12);
});

// The clock starts at 2026-05-01T12:00:00Z.
function credential(patch: Partial<CredentialPayload> = {}): CredentialPayload {
  return {
    v: 1,
    id: newStatementId(fx.clock.ms, fx.rng),
    body: 'calea',
    ori: agency.ori,
    standardsList: 1,
    standards: {
      use_of_force_policy_lawful: true,
      chokehold_ban: true,
      de_escalation_training: true,
      early_warning_system: false,
    },
    assessedOn: '2026-04-20',
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
}

function revocation(
  credentialId: string,
  patch: Partial<CredentialRevocationPayload> = {},
): CredentialRevocationPayload {
  return {
    v: 1,
    id: newStatementId(fx.clock.ms, fx.rng),
    body: 'calea',
    credential: credentialId,
    reason: 'standards_not_met',
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
}

function affirmation(patch: Partial<AffirmationPayload> = {}): AffirmationPayload {
  return {
    v: 1,
    id: newStatementId(fx.clock.ms, fx.rng),
    issuer: agency.ori,
    affirmedOn: '2026-04-30',
    issuedAt: formatTimestamp(fx.clock.now()),
    ...patch,
  };
}

const sign = (payload: object, key: SigningKey, typ: string) =>
  signStatement(payload as unknown as JsonObject, { typ, key });

async function post(
  path: string,
  member: string,
  jws: string,
  as: { ori: string; key: SigningKey },
) {
  return hubRequest(fx, 'POST', path, as, JSON.stringify({ [member]: jws }));
}

async function issue(payload: CredentialPayload, as = body, key = as.key) {
  return post(
    '/v1/credentials',
    'credential',
    await sign(payload, key, STATEMENT_TYPES.credential),
    as,
  );
}

async function revoke(payload: CredentialRevocationPayload, as = body) {
  return post(
    '/v1/credentials/revocations',
    'revocation',
    await sign(payload, as.key, STATEMENT_TYPES.credentialRevocation),
    as,
  );
}

async function affirm(payload: AffirmationPayload, as: TestAgency = agency) {
  return post(
    '/v1/credentials/affirmations',
    'affirmation',
    await sign(payload, as.key, STATEMENT_TYPES.credentialAffirmation),
    as,
  );
}

async function logEntryAt(index: number) {
  const [leaf] = await fx.db.select().from(logEntries).where(eq(logEntries.index, index));
  const parsed = parseLogEntry(leaf!.entry);
  return parsed.ok ? parsed.entry : undefined;
}

describe('credentialing bodies', () => {
  it('are enrolled by the operator, logged and listed publicly', async () => {
    const rows = await fx.db.select().from(logEntries).orderBy(asc(logEntries.index));
    const bodyEntries = rows.filter((r) => r.kind === 'credentialing_body');
    expect(bodyEntries.map((r) => JSON.parse(r.entry) as { body: string; event: string })).toEqual([
      expect.objectContaining({ body: 'calea', event: 'enrolled' }),
      expect.objectContaining({ body: 'tx-tpcaf', event: 'enrolled' }),
    ]);
    const res = await fx.app.request('/v1/credentialing-bodies');
    const list = CredentialingBodyListSchema.parse(await res.json());
    expect(list.bodies.map((b) => [b.id, b.status])).toEqual([
      ['calea', 'active'],
      ['tx-tpcaf', 'active'],
    ]);
  });

  it('refuse a bad id, a used id and a retired body being reinstated', async () => {
    const bodies = bodiesService(fx.db);
    const key = await keyFromByte(13);
    const input = {
      id: 'CALEA',
      name: 'x',
      jwk: key.publicJwk,
      contact: { name: 'A', email: 'a@example.org', phone: '+15405550100' },
    };
    await expect(bodies.enroll(input, fx.clock.now())).rejects.toMatchObject({
      code: 'ENTRY_INVALID',
      errors: [expect.objectContaining({ field: 'id' })],
    });
    await expect(bodies.enroll({ ...input, id: 'calea' }, fx.clock.now())).rejects.toMatchObject({
      code: 'BODY_EXISTS',
    });
    await bodies.setStatus('tx-tpcaf', 'retired', fx.clock.now());
    await expect(bodies.setStatus('tx-tpcaf', 'active', fx.clock.now())).rejects.toMatchObject({
      code: 'BODY_RETIRED',
    });
    await expect(bodies.setStatus('nobody', 'suspended', fx.clock.now())).rejects.toMatchObject({
      code: 'BODY_UNKNOWN',
    });
  });
});

describe('a body key rotation', () => {
  it('retires the old key for new statements and keeps what it signed', async () => {
    const first = credential();
    expect((await issue(first)).status).toBe(201);
    const next = await keyFromByte(21);
    const rotated = await bodiesService(fx.db).rotateKey('calea', next.publicJwk, fx.clock.now());
    expect(rotated.keys.filter((k) => k.status === 'active').map((k) => k.kid)).toEqual([next.kid]);
    expect(rotated.keys).toHaveLength(2);
    const rows = await fx.db.select().from(logEntries).orderBy(asc(logEntries.index));
    expect(JSON.parse(rows.at(-1)!.entry)).toMatchObject({
      kind: 'credentialing_body',
      event: 'key_rotated',
      body: 'calea',
      kid: next.kid,
    });
    // The old key no longer authenticates the body; the new one does.
    expect((await issue(credential({ assessedOn: '2026-04-21' }))).status).toBe(401);
    const withNew = { ori: 'calea', key: next };
    expect((await issue(credential({ assessedOn: '2026-04-21' }), withNew)).status).toBe(201);
    // A statement signed with the retired key, sent with the new one, is refused.
    expect(
      await problemCode(await issue(credential({ assessedOn: '2026-04-22' }), withNew, body.key)),
    ).toMatchObject({ code: 'SIG_UNKNOWN_KEY' });
    // The credential the old key signed still stands.
    expect((await fx.app.request(`/v1/credentials?body=calea`)).status).toBe(200);
    const list = CredentialListSchema.parse(
      await (await fx.app.request(`/v1/credentials?body=calea`)).json(),
    );
    expect(list.credentials.map((c) => c.id)).toContain(first.id);
    await expect(
      bodiesService(fx.db).rotateKey('calea', next.publicJwk, fx.clock.now()),
    ).rejects.toMatchObject({ code: 'KEY_IN_USE' });
    await bodiesService(fx.db).setStatus('tx-tpcaf', 'retired', fx.clock.now());
    await expect(
      bodiesService(fx.db).rotateKey('tx-tpcaf', (await keyFromByte(22)).publicJwk, fx.clock.now()),
    ).rejects.toMatchObject({ code: 'BODY_RETIRED' });
  });
});

describe('POST /v1/credentials', () => {
  it('accepts a credential, logs it in the clear and lists it publicly', async () => {
    const payload = credential();
    const res = await issue(payload);
    expect(res.status).toBe(201);
    const receipt = CredentialReceiptSchema.parse(await res.json());
    expect(receipt).toMatchObject({ id: payload.id, status: 'accepted', validUntil: '2029-04-20' });
    expect(await logEntryAt(receipt.log.index)).toEqual({
      v: 1,
      kind: 'credential',
      id: payload.id,
      body: 'calea',
      ori: agency.ori,
      standardsList: 1,
      standards: ['chokehold_ban', 'de_escalation_training', 'use_of_force_policy_lawful'],
      mandatoryMet: true,
      assessedOn: '2026-04-20',
      at: '2026-05-01T12:00:00Z',
    });
    const list = CredentialListSchema.parse(
      await (await fx.app.request(`/v1/credentials?ori=${agency.ori}`)).json(),
    );
    expect(list.credentials.map((c) => [c.id, c.mandatoryMet, c.revocation])).toEqual([
      [payload.id, true, null],
    ]);
    const none = CredentialListSchema.parse(
      await (await fx.app.request('/v1/credentials?body=tx-tpcaf')).json(),
    );
    expect(none.credentials).toEqual([]);
  });

  it('answers a retry with the first receipt and refuses duplicates', async () => {
    const payload = credential();
    const jws = await sign(payload, body.key, STATEMENT_TYPES.credential);
    const first = CredentialReceiptSchema.parse(
      await (await post('/v1/credentials', 'credential', jws, body)).json(),
    );
    const again = await post('/v1/credentials', 'credential', jws, body);
    expect(again.status).toBe(200);
    expect(CredentialReceiptSchema.parse(await again.json())).toMatchObject({
      status: 'duplicate',
      log: { index: first.log.index },
    });
    expect(await problemCode(await issue({ ...payload, assessedOn: '2026-04-19' }))).toEqual({
      status: 409,
      code: 'CONFLICT',
      fields: ['credential.id: duplicate'],
    });
    expect(await problemCode(await issue(credential()))).toEqual({
      status: 409,
      code: 'CONFLICT',
      fields: ['credential.assessedOn: duplicate'],
    });
  });

  it('refuses a credential from an agency: only enrolled bodies issue them', async () => {
    const payload = credential();
    const res = await post(
      '/v1/credentials',
      'credential',
      await sign(payload, agency.key, STATEMENT_TYPES.credential),
      agency,
    );
    expect(await problemCode(res)).toMatchObject({ status: 403, code: 'BODY_REQUIRED' });
  });

  it('refuses a credential from a suspended or retired body', async () => {
    await bodiesService(fx.db).setStatus('calea', 'suspended', fx.clock.now());
    expect(await problemCode(await issue(credential()))).toMatchObject({
      status: 403,
      code: 'BODY_SUSPENDED',
    });
    await bodiesService(fx.db).setStatus('tx-tpcaf', 'retired', fx.clock.now());
    expect(await problemCode(await issue(credential({ body: 'tx-tpcaf' }), rival))).toMatchObject({
      status: 403,
      code: 'BODY_SUSPENDED',
    });
  });

  it('refuses a credential signed as another body', async () => {
    const res = await issue(credential({ body: 'tx-tpcaf' }), body, rival.key);
    expect(await problemCode(res)).toEqual({
      status: 403,
      code: 'ISSUER_MISMATCH',
      fields: ['credential.body: mismatch'],
    });
  });

  it('counts an assessment exactly 36 months old and refuses an older one', async () => {
    const oldest = await issue(credential({ assessedOn: '2023-05-01' }));
    expect(oldest.status).toBe(201);
    expect(CredentialReceiptSchema.parse(await oldest.json()).validUntil).toBe('2026-05-01');
    expect(await problemCode(await issue(credential({ assessedOn: '2023-04-30' })))).toEqual({
      status: 422,
      code: 'CREDENTIAL_EXPIRED',
      fields: ['credential.assessedOn: not_allowed'],
    });
  });

  it('refuses a future assessment, an unknown agency, unknown and missing standards', async () => {
    expect(await problemCode(await issue(credential({ assessedOn: '2026-05-02' })))).toEqual({
      status: 422,
      code: 'DATE_IN_FUTURE',
      fields: ['credential.assessedOn: not_allowed'],
    });
    expect(await problemCode(await issue(credential({ ori: 'NY0303000' })))).toEqual({
      status: 422,
      code: 'SUBJECT_UNKNOWN',
      fields: ['credential.ori: invalid_value'],
    });
    const unknown = credential({
      standards: { use_of_force_policy_lawful: true, chokehold_ban: true, body_cameras: true },
    });
    expect(await problemCode(await issue(unknown))).toEqual({
      status: 422,
      code: 'STANDARD_UNKNOWN',
      fields: ['credential.standards.body_cameras: invalid_value'],
    });
    const missing = credential({ standards: { use_of_force_policy_lawful: true } });
    expect(await problemCode(await issue(missing))).toEqual({
      status: 422,
      code: 'MANDATORY_STANDARD_MISSING',
      fields: ['credential.standards.chokehold_ban: required'],
    });
    expect(await problemCode(await issue(credential({ standardsList: 2 })))).toEqual({
      status: 400,
      code: 'UNSUPPORTED_STANDARDS_LIST',
      fields: ['credential.standardsList: invalid_value'],
    });
  });

  it('refuses a statement of another kind and a malformed payload', async () => {
    const wrongTyp = await post(
      '/v1/credentials',
      'credential',
      await sign(credential(), body.key, STATEMENT_TYPES.certification),
      body,
    );
    expect(await problemCode(wrongTyp)).toMatchObject({ code: 'SIG_TYP_MISMATCH' });
    const bad = await issue({ ...credential(), assessedOn: '2026-02-30' });
    expect(await problemCode(bad)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: ['credential.assessedOn: invalid_format'],
    });
  });
});

describe('POST /v1/credentials/revocations', () => {
  it('revokes a credential, logs it and shows it in the list', async () => {
    const c = credential();
    await issue(c);
    fx.clock.advance(86_400);
    const r = revocation(c.id);
    const res = await revoke(r);
    expect(res.status).toBe(201);
    const receipt = CredentialReceiptSchema.parse(await res.json());
    expect(receipt.validUntil).toBeNull();
    expect(await logEntryAt(receipt.log.index)).toMatchObject({
      kind: 'credential_revocation',
      id: r.id,
      body: 'calea',
      credential: c.id,
      reason: 'standards_not_met',
    });
    const list = CredentialListSchema.parse(await (await fx.app.request('/v1/credentials')).json());
    expect(list.credentials[0]!.revocation).toEqual({
      id: r.id,
      reason: 'standards_not_met',
      revokedOn: '2026-05-02',
    });
    expect(await problemCode(await revoke(revocation(c.id)))).toMatchObject({
      status: 409,
      code: 'ALREADY_REVOKED',
    });
  });

  it('refuses a revocation by another body and of an unknown credential', async () => {
    const c = credential();
    await issue(c);
    expect(await problemCode(await revoke(revocation(c.id, { body: 'tx-tpcaf' }), rival))).toEqual({
      status: 403,
      code: 'NOT_ISSUING_BODY',
      fields: ['revocation.credential: not_allowed'],
    });
    const unknown = revocation(newStatementId(fx.clock.ms, fx.rng));
    expect(await problemCode(await revoke(unknown))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});

describe('POST /v1/credentials/affirmations', () => {
  it("accepts a chief's affirmation for 12 months and lists it", async () => {
    const a = affirmation();
    const res = await affirm(a);
    expect(res.status).toBe(201);
    const receipt = CredentialReceiptSchema.parse(await res.json());
    expect(receipt.validUntil).toBe('2027-04-30');
    expect(await logEntryAt(receipt.log.index)).toMatchObject({
      kind: 'credential_affirmation',
      id: a.id,
      ori: agency.ori,
      affirmedOn: '2026-04-30',
    });
    const list = AffirmationListSchema.parse(
      await (await fx.app.request(`/v1/credentials/affirmations?ori=${agency.ori}`)).json(),
    );
    expect(list.affirmations.map((x) => x.id)).toEqual([a.id]);
    expect(await problemCode(await affirm(affirmation()))).toMatchObject({
      status: 409,
      code: 'CONFLICT',
    });
  });

  it('refuses a future day, a lapsed one, and another agency as issuer', async () => {
    expect(await problemCode(await affirm(affirmation({ affirmedOn: '2026-05-02' })))).toEqual({
      status: 422,
      code: 'DATE_IN_FUTURE',
      fields: ['affirmation.affirmedOn: not_allowed'],
    });
    expect(await problemCode(await affirm(affirmation({ affirmedOn: '2025-04-30' })))).toEqual({
      status: 422,
      code: 'CREDENTIAL_EXPIRED',
      fields: ['affirmation.affirmedOn: not_allowed'],
    });
    const res = await post(
      '/v1/credentials/affirmations',
      'affirmation',
      await sign(
        affirmation({ issuer: tribal.ori }),
        tribal.key,
        STATEMENT_TYPES.credentialAffirmation,
      ),
      agency,
    );
    expect(await problemCode(res)).toMatchObject({ status: 403, code: 'ISSUER_MISMATCH' });
  });

  it('is not open to a body (agencies affirm)', async () => {
    const res = await post(
      '/v1/credentials/affirmations',
      'affirmation',
      await sign(affirmation(), body.key, STATEMENT_TYPES.credentialAffirmation),
      body,
    );
    expect(res.status).toBe(401);
  });
});

describe('credentialStandingSource', () => {
  it('reads each agency’s standing from the database', async () => {
    const other = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(3));
    const revoked = await enrollAgency(fx.db, 'NY0303000', await keyFromByte(4));
    await issue(credential());
    const r = credential({ ori: revoked.ori });
    await issue(r);
    await affirm(affirmation({ issuer: other.ori }), other);
    fx.clock.advance(86_400);
    await revoke(revocation(r.id));
    const source = credentialStandingSource(fx.db, registryService(fx.db));
    const oris = [agency.ori, tribal.ori, other.ori, revoked.ori, 'WA0000000'];
    const on = await source(oris, '2026-05-02');
    expect(oris.map((o) => on.get(o)?.standing)).toEqual([
      'credentialed',
      'exempt',
      'in_process',
      'revoked',
      'none',
    ]);
    expect(on.get(agency.ori)).toMatchObject({ body: 'calea', validUntil: '2029-04-20' });
    // Before the revocation took effect, the revoked agency was credentialed.
    expect((await source([revoked.ori], '2026-05-01')).get(revoked.ori)?.standing).toBe(
      'credentialed',
    );
    // Past the credential's validity.
    expect((await source([agency.ori], '2029-04-21')).get(agency.ori)?.standing).toBe('expired');
    // The body's certification withdrawn: its credentials stop counting from that day.
    await bodiesService(fx.db).setStatus('calea', 'retired', new Date('2026-06-01T00:00:00Z'));
    expect((await source([agency.ori], '2026-06-02')).get(agency.ori)?.standing).toBe('revoked');
    expect((await source([agency.ori], '2026-05-15')).get(agency.ori)?.standing).toBe(
      'credentialed',
    );
  });

  it('counts only what the hub had received by the moment asked for', async () => {
    const revoked = await enrollAgency(fx.db, 'NY0303000', await keyFromByte(4));
    const before = fx.clock.now();
    const r = credential({ ori: revoked.ori });
    await issue(r);
    const issued = fx.clock.now();
    fx.clock.advance(86_400);
    await revoke(revocation(r.id));
    const source = credentialStandingSource(fx.db, registryService(fx.db));
    const day = '2026-05-03';
    const at = async (asOf?: Date) => (await source([revoked.ori], day, asOf)).get(revoked.ori);
    expect((await at())?.standing).toBe('revoked');
    // The revocation arrived after `issued`: at that moment the credential still counted.
    expect((await at(issued))?.standing).toBe('credentialed');
    // Before the credential arrived there was nothing on record.
    expect((await at(new Date(before.getTime() - 1)))?.standing).toBe('none');
    // A body retired later is not applied to an earlier moment.
    await bodiesService(fx.db).setStatus('calea', 'retired', fx.clock.now());
    expect((await at(issued))?.standing).toBe('credentialed');
  });
});

describe('the compliance report reads the hub’s credentials', () => {
  it('by default, with what had arrived by the report’s moment', async () => {
    const enrolled = formatTimestamp(fx.clock.now());
    fx.clock.advance(3600);
    await issue(credential());
    const issued = formatTimestamp(fx.clock.now());
    fx.clock.advance(86_400);
    const ops = localOperations(
      fx.db,
      fx.clock.now,
      () => Promise.resolve(mailboxService(fx.db, { signingKey: fx.hubKey })),
      { signingKey: () => Promise.resolve(fx.hubKey) },
    );
    const standingOf = async (asOf: string) => {
      const report = JSON.parse((await ops.complianceReport({ period: '2026-Q1', asOf })).body) as {
        agencies: { ori: string; credential: { standing: string }; reasons: { code: string }[] }[];
      };
      const row = report.agencies.find((a) => a.ori === agency.ori)!;
      return [row.credential.standing, row.reasons.map((r) => r.code)[1]];
    };
    expect(await standingOf(issued)).toEqual(['credentialed', 'credentialed']);
    expect(await standingOf(enrolled)).toEqual(['none', 'credential_missing']);
  });
});
