import { describe, expect, it } from 'vitest';
import canonicalizeModule from 'canonicalize';
import { MATCH_KEY_KINDS } from '../crypto/match-key-kind.js';
import { CATEGORIES } from './categories.js';
import { MAX_STATEMENT_LENGTH } from './check-answer.js';
import { MAX_CHECK_KEYS } from './check-request.js';
import {
  CheckMatchSchema,
  CheckResponsePayloadSchema,
  MAX_CHECK_MATCHES,
  type CheckMatch,
} from './check-response.js';
import { base64urlLength } from './common.js';
import { MAX_NAME_CODE_POINTS } from './registry-entry.js';
import { decodeJson, encodeMessage } from './decode.js';
import {
  exampleAttestation,
  exampleB64,
  exampleCheckRequest,
  exampleCheckResponse,
  exampleMatch,
  examplePolicy,
} from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';

const ok = { ok: true };
const invalid = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);
const outcome = (input: unknown) => decodeOutcome(CheckResponsePayloadSchema, input);

const A = exampleAttestation();
const B = exampleAttestation({
  id: '0190f1c2-3b4a-7c5d-8e6f-7081ffffffff',
  category: 'suspension',
  status: 'pending_appeal',
});
const matchA = exampleMatch(A, ['ssn', 'name_dob'], 'strong');
const matchB = exampleMatch(B, ['last_dob'], 'weak');

describe('check response payload', () => {
  it('round-trips through JSON, with and without matches', () => {
    for (const r of [exampleCheckResponse(), exampleCheckResponse(exampleCheckRequest(), [])]) {
      expect(outcome(r)).toEqual(ok);
      expect(
        decodeJson(CheckResponsePayloadSchema, encodeMessage(CheckResponsePayloadSchema, r)),
      ).toEqual(r);
    }
    expect(exampleCheckResponse(exampleCheckRequest(), []).verdict).toBe('no_record');
  });

  it('carries a verdict and reasons that follow from its matches and policy', () => {
    const r = exampleCheckResponse(exampleCheckRequest(), [matchA, matchB]);
    expect(outcome(r)).toEqual(ok);
    expect(r.verdict).toBe('record_found');
    expect(outcome({ ...r, verdict: 'no_record' })).toEqual(invalid('verdict: mismatch'));
    const reasons = [r.reasons[0]!, { ...r.reasons[1]!, effect: 'finding' }];
    expect(outcome({ ...r, reasons })).toEqual(invalid('reasons[1]: mismatch'));
    expect(outcome({ ...r, reasons: [r.reasons[0]!] })).toEqual(invalid('reasons: mismatch'));
    // Changing the policy without recomputing the verdict is caught.
    const lenient = {
      ...r.policy,
      disqualifying: [],
      review: [...r.policy.review, ...r.policy.disqualifying],
    };
    expect(outcome({ ...r, policy: lenient })).toEqual(
      invalid('reasons[0]: mismatch', 'verdict: mismatch'),
    );
  });

  it('lists matches in ascending attestation id, once each', () => {
    const r = exampleCheckResponse(exampleCheckRequest(), [matchA, matchB]);
    const swapped = exampleCheckResponse(exampleCheckRequest(), [matchB, matchA]);
    expect(outcome(swapped)).toEqual(invalid('matches[1].attestationId: out_of_order'));
    const twice = exampleCheckResponse(exampleCheckRequest(), [matchA, matchA]);
    expect(outcome(twice)).toEqual(invalid('matches[1].attestationId: out_of_order'));
    expect(outcome(r)).toEqual(ok);
  });

  it('only reports kinds the request asked about', () => {
    const request = exampleCheckRequest({ keys: exampleCheckRequest().keys.slice(1) }); // no ssn
    expect(outcome(exampleCheckResponse(request, [matchA]))).toEqual(
      invalid('matches[0].matchedKinds[0]: mismatch'),
    );
  });

  it('only reports a contradiction of a kind the request asked about', () => {
    const noSsn = exampleCheckRequest({ keys: exampleCheckRequest().keys.slice(1) });
    const contradicted = exampleMatch(exampleAttestation(), ['name_dob'], 'moderate', ['ssn']);
    expect(outcome(exampleCheckResponse(noSsn, [contradicted]))).toEqual(
      invalid('matches[0].contradictedKinds[0]: mismatch'),
    );
    expect(outcome(exampleCheckResponse(exampleCheckRequest(), [contradicted]))).toEqual(ok);
  });

  it('binds the echoed keys: no repeated index', () => {
    const r = exampleCheckResponse();
    expect(outcome({ ...r, keys: [...r.keys, r.keys[0]!] })).toEqual(
      invalid('keys[3].index: duplicate'),
    );
  });

  it('rejects an unknown version alone', () => {
    expect(outcome({ ...exampleCheckResponse(), v: 3, extra: 1 })).toEqual(
      rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
    );
  });
});

describe('check match', () => {
  const m = (o: object) => decodeOutcome(CheckMatchSchema, { ...matchA, ...o });

  it('states the strongest matched kind as its strength', () => {
    expect(m({})).toEqual(ok);
    expect(m({ strength: 'moderate' })).toEqual(invalid('strength: mismatch'));
    expect(m({ matchedKinds: ['name_dob', 'last_dob'], strength: 'moderate' })).toEqual(ok);
    expect(m({ matchedKinds: ['ssn', 'ssn'] })).toEqual(invalid('matchedKinds[1]: duplicate'));
    expect(m({ matchedKinds: [] })).toEqual(invalid('matchedKinds: too_few'));
  });

  it('names only an SSN as contradicted, never a matched kind, never twice', () => {
    const moderate = { matchedKinds: ['name_dob'], strength: 'moderate' };
    expect(m({ ...moderate, contradictedKinds: ['ssn'] })).toEqual(ok);
    expect(m({ contradictedKinds: ['ssn'] })).toEqual(invalid('contradictedKinds[0]: mismatch'));
    expect(m({ ...moderate, contradictedKinds: ['license'] })).toEqual(
      invalid('contradictedKinds[0]: not_allowed'),
    );
    expect(m({ ...moderate, contradictedKinds: ['ssn', 'ssn'] })).toEqual(
      invalid('contradictedKinds: too_many'),
    );
    const { contradictedKinds: _k, ...without } = matchA;
    expect(decodeOutcome(CheckMatchSchema, without)).toEqual(
      invalid('contradictedKinds: required'),
    );
  });

  it('never carries a retracted, overturned or expired record (§5.8.4)', () => {
    expect(m({ status: 'retracted' })).toEqual(invalid('status: invalid_value'));
    expect(m({ status: 'expired' })).toEqual(invalid('status: invalid_value'));
    expect(m({ status: 'overturned' })).toEqual(invalid('status: invalid_value'));
    expect(m({ status: 'pending_appeal' })).toEqual(ok);
  });

  it('binds the attestation by a 32-byte digest and names the agency to contact', () => {
    expect(m({ attestationDigest: 'abc' })).toEqual(invalid('attestationDigest: too_short'));
    expect(m({ attestation: 'x.y.z' })).toEqual(invalid('attestation: unknown_field'));
    const { contact: _c, ...withoutContact } = matchA.reportingAgency;
    expect(m({ reportingAgency: withoutContact })).toEqual(
      invalid('reportingAgency.contact: required'),
    );
  });
});

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

describe('size of a signed check response', () => {
  it('stays under the statement limit of §6.5 with every field at its bound', () => {
    // Worst case: 4-byte UTF-8 characters in every name, the longest e-mail, all kinds matched,
    // every limit reason listed, the most keys and the fullest policy.
    const wide = '\u{1F693}'.repeat(MAX_NAME_CODE_POINTS);
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.gov`;
    expect(email.length).toBe(254);
    const keys = Array.from({ length: MAX_CHECK_KEYS }, (_, i) => ({
      kind: MATCH_KEY_KINDS[i % MATCH_KEY_KINDS.length]!,
      index: exampleB64(`k${i}`, 32),
    }));
    const ids = Array.from(
      { length: MAX_CHECK_MATCHES },
      (_, i) => `0190f1c2-3b4a-7c5d-8e6f-${String(i).padStart(12, '0')}`,
    );
    const longest = CATEGORIES.reduce((a, b) => (b.length > a.length ? b : a));
    const matches: CheckMatch[] = ids.map((id) => ({
      ...exampleMatch(
        exampleAttestation({ id, disputed: { since: '2023-11-01' } }),
        ['ssn', 'license', 'name_dob', 'last_dob'],
        'strong',
      ),
      category: longest,
      status: 'pending_appeal',
      reportingAgency: {
        ori: 'CA0194200',
        name: wide,
        contact: { name: wide, email, phone: '+123456789012345' },
      },
    }));
    const policy = examplePolicy({
      disqualifying: [...CATEGORIES],
      review: [],
      lookbackYears: 100,
      disputed: 'review',
    });
    const response = exampleCheckResponse(
      exampleCheckRequest({ keys, policy, consentRef: 'c'.repeat(128) }),
      matches,
    );
    expect(outcome(response)).toEqual({ ok: true });
    const payloadBytes = new TextEncoder().encode(canonicalize(response)).length;
    const header = `{"alg":"Ed25519","kid":"${'k'.repeat(43)}","typ":"spx-check-response+jws"}`;
    const jwsLength = base64urlLength(header.length) + 1 + base64urlLength(payloadBytes) + 1 + 86;
    expect(jwsLength).toBeLessThanOrEqual(MAX_STATEMENT_LENGTH);
  });
});
