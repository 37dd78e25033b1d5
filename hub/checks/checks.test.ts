/**
 * Checks end to end, in process, with real signatures: agencies enrolled with seeded keys, a
 * reporter publishes signed attestations over random hub indexes, a checker checks and
 * verifies the answer exactly as a node must (docs/protocol.md §5.8.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyStatement } from '../../crypto/signing/index.js';
import { AttestationPayloadSchema, type AttestationPayload } from '../../protocol/attestation.js';
import { answerErrors, CheckAnswerSchema } from '../../protocol/check-answer.js';
import { matchErrors, responseRequestErrors } from '../../protocol/check-match.js';
import type { CheckRequest } from '../../protocol/check-request.js';
import { CheckResponsePayloadSchema } from '../../protocol/check-response.js';
import type { TokenKey } from '../../protocol/common.js';
import { RegistryEntrySchema } from '../../protocol/registry-entry.js';
import { checkAudit } from './audit.table.js';
import {
  attestationPayload,
  checkRequest,
  enrollAgency,
  hubFixture,
  hubIndex,
  hubRequest,
  keyFromByte,
  postBatch,
  postCheck,
  problemCode,
  rowCounts,
  signAttestation,
  useHubFixture,
  type TestAgency,
} from '../test-support.js';

const fx = useHubFixture();
let reporter: TestAgency;
let checker: TestAgency;

beforeEach(async () => {
  reporter = await enrollAgency(fx.db, 'CA0194200', await keyFromByte(1), {
    roles: ['reporter'],
    name: 'Example City Police Department',
  });
  checker = await enrollAgency(fx.db, 'TX2270100', await keyFromByte(2), {
    roles: ['checker'],
  });
});

async function publish(...payloads: AttestationPayload[]): Promise<void> {
  const statements = await Promise.all(payloads.map((p) => signAttestation(p, reporter.key)));
  const res = await postBatch(fx, reporter, statements);
  expect(res.status).toBe(200);
}

const record = (patch: Partial<AttestationPayload> = {}) =>
  attestationPayload(reporter.ori, fx.rng, fx.clock.now(), patch);
const keyOf = (p: AttestationPayload, kind: TokenKey['kind']) =>
  p.tokens.keys.find((k) => k.kind === kind)!;

/** Verifies an answer as a requesting node must, fetching keys from the hub's public routes. */
async function verifiedAnswer(res: Response, request: CheckRequest) {
  expect(res.status).toBe(200);
  const answer = CheckAnswerSchema.parse(await res.json());
  const jwks = (await (await fx.app.request('/v1/hub/keys')).json()) as {
    keys: { kid: string; kty: 'OKP'; crv: 'Ed25519'; x: string }[];
  };
  const verified = await verifyStatement(answer.response, {
    typ: 'spx-check-response+jws',
    resolveKey: (kid) => {
      const k = jwks.keys.find((j) => j.kid === kid);
      return k && { kty: k.kty, crv: k.crv, x: k.x };
    },
  });
  if (!verified.ok) throw new Error(`hub signature: ${verified.error.code}`);
  const payload = CheckResponsePayloadSchema.parse(verified.value.payload);
  expect(responseRequestErrors(payload, request, checker.ori)).toEqual([]);
  expect(answerErrors(payload, answer)).toEqual([]);
  for (const [i, jws] of answer.attestations.entries()) {
    const issuer = payload.matches[i]!.reportingAgency.ori;
    const entry = RegistryEntrySchema.parse(
      await (await fx.app.request(`/v1/registry/agencies/${issuer}`)).json(),
    );
    const att = await verifyStatement(jws, {
      typ: 'spx-attestation+jws',
      resolveKey: (kid) => entry.keys.find((k) => k.kid === kid)?.jwk,
    });
    if (!att.ok) throw new Error(`attestation signature: ${att.error.code}`);
    const decoded = AttestationPayloadSchema.parse(att.value.payload);
    expect(decoded.issuer).toBe(issuer);
    expect(matchErrors(payload.matches[i]!, decoded, request)).toEqual([]);
  }
  return payload;
}

async function check(keys: TokenKey[], patch: Partial<CheckRequest> = {}) {
  const request = checkRequest(keys, patch);
  return verifiedAnswer(await postCheck(fx, checker, request), request);
}

describe('a check', () => {
  it('finds a strong match with every matched kind, the reporting agency and a signed verdict', async () => {
    const fired = record();
    await publish(fired, record());
    const response = await check([
      keyOf(fired, 'ssn'),
      keyOf(fired, 'name_dob'),
      keyOf(fired, 'last_dob'),
    ]);
    expect(response.verdict).toBe('record_found');
    expect(response.requester).toBe(checker.ori);
    expect(response.matches).toHaveLength(1);
    expect(response.matches[0]).toMatchObject({
      attestationId: fired.id,
      reportingAgency: {
        ori: reporter.ori,
        name: 'Example City Police Department',
        contact: { email: 'records@example.gov' },
      },
      category: 'termination',
      status: 'final',
      matchedKinds: ['ssn', 'name_dob', 'last_dob'],
      strength: 'strong',
    });
  });

  it('grades a name-and-date match moderate and a surname-and-date match weak (review only)', async () => {
    const a = record();
    const b = record({ category: 'decertification', useOfForce: false });
    await publish(a, b);
    const moderate = await check([keyOf(a, 'name_dob')]);
    expect(moderate.matches.map((m) => [m.matchedKinds, m.strength, m.contradictedKinds])).toEqual([
      [['name_dob'], 'moderate', []],
    ]);
    expect(moderate.verdict).toBe('record_found');
    const weak = await check([keyOf(b, 'last_dob')]);
    expect(weak.matches.map((m) => m.strength)).toEqual(['weak']);
    expect(weak.verdict).toBe('review');
    expect(weak.reasons[0]!.reasons).toContain('weak_match');
  });

  it('says when the record carries another SSN: a namesake is review, never a finding (§5.8.1)', async () => {
    const base = record();
    const smith = record({
      tokens: {
        ...base.tokens,
        keys: [...base.tokens.keys, { kind: 'license', index: hubIndex(fx.rng) }],
      },
    });
    await publish(smith);
    // Another John Smith born the same day: same name-and-date key, a different SSN.
    const namesake = await check([
      keyOf(smith, 'name_dob'),
      { kind: 'ssn', index: hubIndex(fx.rng) },
    ]);
    expect(namesake.matches.map((m) => [m.matchedKinds, m.strength, m.contradictedKinds])).toEqual([
      [['name_dob'], 'moderate', ['ssn']],
    ]);
    expect(namesake.verdict).toBe('review');
    expect(namesake.reasons[0]!.reasons).toEqual(['disqualifying_category', 'contradicted']);
    // The same SSN: no contradiction, whatever the licence says (officers hold several).
    const same = await check([
      keyOf(smith, 'ssn'),
      keyOf(smith, 'name_dob'),
      { kind: 'license', index: hubIndex(fx.rng) },
    ]);
    expect(same.matches[0]!.contradictedKinds).toEqual([]);
    expect(same.verdict).toBe('record_found');
  });

  it('lists several matches in ascending id order and finds nothing for a clean candidate', async () => {
    const shared = hubIndex(fx.rng);
    const lastDob = (p: AttestationPayload) => ({
      ...p,
      tokens: {
        ...p.tokens,
        keys: [p.tokens.keys[0]!, { kind: 'last_dob' as const, index: shared }],
      },
    });
    const two = [lastDob(record()), lastDob(record({ category: 'suspension' }))];
    await publish(...two);
    const both = await check([{ kind: 'last_dob', index: shared }]);
    expect(both.matches.map((m) => m.attestationId)).toEqual(two.map((p) => p.id).sort());
    const clean = await check([{ kind: 'ssn', index: hubIndex(fx.rng) }]);
    expect([clean.matches, clean.verdict]).toEqual([[], 'no_record']);
  });

  it('answers with the current statement of a chain and never a retracted one', async () => {
    const original = record({ status: 'notice_sent' });
    const other = record({ category: 'suspension' });
    await publish(original, other);
    fx.clock.advance(60);
    const final = record({ supersedes: original.id, tokens: original.tokens, status: 'final' });
    await publish(final);
    const keys = [keyOf(original, 'ssn'), keyOf(other, 'ssn')];
    const before = await check(keys);
    expect(before.matches.map((m) => m.attestationId).sort()).toEqual([final.id, other.id].sort());
    fx.clock.advance(60);
    await publish(record({ supersedes: final.id, tokens: final.tokens, status: 'retracted' }));
    const after = await check(keys);
    expect(after.matches.map((m) => m.attestationId)).toEqual([other.id]);
  });

  it('leaves an overturned record out of the answer (§5.8.4: never "no record" beside one)', async () => {
    const original = record();
    await publish(original);
    fx.clock.advance(60);
    const overturned = record({
      supersedes: original.id,
      tokens: original.tokens,
      status: 'overturned',
    });
    await publish(overturned);
    const response = await check([keyOf(original, 'ssn')]);
    expect(response.matches).toEqual([]);
    expect(response.verdict).toBe('no_record');
  });

  it('matches only attestations of the epoch the request names', async () => {
    const p = record();
    await publish(p);
    expect((await check([keyOf(p, 'ssn')], { epoch: 2 })).matches).toEqual([]);
  });

  it.each([7, 2 ** 31 - 1])(
    'refuses a check under epoch %i, which the hub does not serve, instead of a clean answer',
    async (epoch) => {
      const p = record();
      await publish(p);
      const request = checkRequest([keyOf(p, 'ssn')], { epoch });
      const res = await postCheck(fx, checker, request);
      expect(await problemCode(res)).toMatchObject({
        status: 422,
        code: 'EPOCH_UNKNOWN',
        fields: ['epoch: not_allowed'],
      });
      expect((await rowCounts(fx.db)).audit).toBe(0);
    },
  );

  it('refuses with TOO_MANY_MATCHES rather than drop any, and audits the refusal', async () => {
    const shared = hubIndex(fx.rng);
    const many = Array.from({ length: 21 }, () => {
      const p = record();
      return {
        ...p,
        tokens: {
          ...p.tokens,
          keys: [...p.tokens.keys.slice(0, 2), { kind: 'last_dob' as const, index: shared }],
        },
      };
    });
    await publish(...many);
    const res = await postCheck(fx, checker, checkRequest([{ kind: 'last_dob', index: shared }]));
    expect(await problemCode(res)).toMatchObject({ status: 422, code: 'TOO_MANY_MATCHES' });
    const [row] = await fx.db.select().from(checkAudit);
    expect(row).toMatchObject({
      outcome: 'too_many_matches',
      matchCount: 21,
      matchedAttestationIds: [],
    });
  });
});

describe('the check audit', () => {
  it('records who, when, why, under which consent and what matched, never a hub index', async () => {
    const p = record();
    await publish(p);
    const request = checkRequest([keyOf(p, 'ssn'), { kind: 'name_dob', index: hubIndex(fx.rng) }], {
      purpose: 'promotion',
      consentRef: 'consent/2026/0042',
    });
    const response = await verifiedAnswer(await postCheck(fx, checker, request), request);
    const rows = await fx.db.select().from(checkAudit);
    expect(rows).toEqual([
      {
        checkId: response.checkId,
        requester: checker.ori,
        checkedAt: fx.clock.now(),
        purpose: 'promotion',
        consentRef: 'consent/2026/0042',
        epoch: 1,
        keyCount: 2,
        outcome: 'answered',
        matchCount: 1,
        matchedAttestationIds: [p.id],
      },
    ]);
    const stored = JSON.stringify(rows);
    const logged = fx.logs.join('\n');
    for (const key of request.keys) {
      expect(stored).not.toContain(key.index);
      expect(logged).not.toContain(key.index);
    }
    expect(logged).toContain('"route":"/v1/checks"');
    expect(logged).toContain(`"agency":"${checker.ori}"`);
  });
});

describe('a check is refused with a code and nothing audited', () => {
  it('for an agency without the checker role, or with an incomplete request', async () => {
    const keys = [{ kind: 'ssn' as const, index: hubIndex(fx.rng) }];
    const asReporter = await postCheck(fx, reporter, checkRequest(keys));
    expect(await problemCode(asReporter)).toMatchObject({ status: 403, code: 'ROLE_REQUIRED' });
    const { purpose: _p, ...noPurpose } = checkRequest(keys);
    expect(await problemCode(await postCheck(fx, checker, noPurpose))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: ['purpose: required'],
    });
    const { consentRef: _c, ...noConsent } = checkRequest(keys);
    expect(await problemCode(await postCheck(fx, checker, noConsent))).toMatchObject({
      status: 400,
      fields: ['consentRef: required'],
    });
    const extra = { ...checkRequest(keys), candidateName: 'x' };
    expect(await problemCode(await postCheck(fx, checker, extra))).toMatchObject({
      fields: ['candidateName: unknown_field'],
    });
    const malformed = await hubRequest(fx, 'POST', '/v1/checks', checker, '{"purpose":');
    expect(await problemCode(malformed)).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    const small = await hubFixture(fx.db, { maxCheckBytes: 1024 });
    const big = checkRequest(
      Array.from({ length: 20 }, () => ({ kind: 'ssn' as const, index: hubIndex(fx.rng) })),
    );
    expect(await problemCode(await postCheck(small, checker, big))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect((await rowCounts(fx.db)).audit).toBe(0);
  });
});
