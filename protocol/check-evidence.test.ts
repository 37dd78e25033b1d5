import { describe, expect, it } from 'vitest';
import { CheckEvidenceSchema, HubKeySetSchema, type CheckEvidence } from './check-evidence.js';
import {
  exampleAgencyKey,
  exampleAttestation,
  exampleAttestationJws,
  exampleCheckpointNote,
  exampleCheckRequest,
  exampleCheckResponse,
  exampleInclusionEvidence,
  exampleJws,
  exampleMatch,
  exampleRegistryEntry,
} from './test-support/examples.js';
import { ACCEPTED, decodeOutcome, rejected } from './outcome.js';

const A = exampleAttestation();
const request = exampleCheckRequest();
const hubKey = exampleAgencyKey('hub-key');

function bundle(): CheckEvidence {
  return {
    v: 1,
    requester: 'AZ0100300',
    request,
    answer: {
      response: exampleJws(
        'spx-check-response+jws',
        exampleCheckResponse(request, [exampleMatch(A, ['ssn'], 'strong')]),
        'hub',
      ),
      attestations: [exampleAttestationJws(A)],
      log: { checkpoint: exampleCheckpointNote(9), inclusions: [exampleInclusionEvidence(3, 9)] },
    },
    agencies: [exampleRegistryEntry()],
    hubKeys: { keys: [{ ...hubKey.jwk, kid: hubKey.kid }] },
    logOrigin: 'spx.invalid/hub-log',
    verifiedAt: '2025-01-02T03:04:06Z',
  };
}

describe('check evidence bundle', () => {
  it('accepts a bundle and survives a JSON round trip unchanged', () => {
    const b = bundle();
    expect(decodeOutcome(CheckEvidenceSchema, b)).toEqual(ACCEPTED);
    expect(CheckEvidenceSchema.parse(JSON.parse(JSON.stringify(b)))).toEqual(b);
  });

  it('refuses members it does not define, such as a local candidate reference', () => {
    expect(decodeOutcome(CheckEvidenceSchema, { ...bundle(), candidateRef: 'HR-2291' })).toEqual(
      rejected('VALIDATION_FAILED', 'candidateRef: unknown_field'),
    );
    const b = bundle();
    expect(
      decodeOutcome(CheckEvidenceSchema, { ...b, request: { ...b.request, candidate: {} } }),
    ).toEqual(rejected('VALIDATION_FAILED', 'request.candidate: unknown_field'));
  });

  it('reports a later bundle version as unsupported, not as a type error', () => {
    expect(decodeOutcome(CheckEvidenceSchema, { ...bundle(), v: 2 })).toEqual(
      rejected('UNSUPPORTED_VERSION', 'v: unsupported_version'),
    );
  });

  it('names the missing and malformed members', () => {
    const { answer: _answer, ...withoutAnswer } = bundle();
    expect(decodeOutcome(CheckEvidenceSchema, withoutAnswer)).toEqual(
      rejected('VALIDATION_FAILED', 'answer: required'),
    );
    const b = bundle();
    expect(
      decodeOutcome(CheckEvidenceSchema, {
        ...b,
        logOrigin: 'hub log',
        verifiedAt: '2025-01-02',
        requester: 'XX',
      }),
    ).toMatchObject({
      ok: false,
      errors: [
        expect.stringMatching(/^logOrigin: /),
        expect.stringMatching(/^requester: /),
        expect.stringMatching(/^verifiedAt: /),
      ],
    });
  });

  it('refuses the same agency twice', () => {
    const b = bundle();
    expect(
      decodeOutcome(CheckEvidenceSchema, { ...b, agencies: [b.agencies[0], b.agencies[0]] }),
    ).toEqual(rejected('VALIDATION_FAILED', 'agencies[1].ori: duplicate'));
  });

  it('holds hub keys as a JWK Set whose kid is each key’s thumbprint, without private members', () => {
    const other = exampleAgencyKey('other-hub-key');
    const wrongKid = { ...bundle(), hubKeys: { keys: [{ ...hubKey.jwk, kid: other.kid }] } };
    expect(decodeOutcome(CheckEvidenceSchema, wrongKid)).toEqual(
      rejected('VALIDATION_FAILED', 'hubKeys.keys[0].kid: mismatch'),
    );
    const leaked = { keys: [{ ...hubKey.jwk, kid: hubKey.kid, d: hubKey.jwk.x }] };
    expect(decodeOutcome(HubKeySetSchema, leaked)).toEqual(
      rejected('VALIDATION_FAILED', 'keys[0].d: unknown_field'),
    );
    const twice = { keys: [0, 1].map(() => ({ ...hubKey.jwk, kid: hubKey.kid })) };
    expect(decodeOutcome(HubKeySetSchema, twice)).toEqual(
      rejected('VALIDATION_FAILED', 'keys[1].kid: duplicate'),
    );
    expect(decodeOutcome(HubKeySetSchema, { keys: [] })).toEqual(
      rejected('VALIDATION_FAILED', 'keys: too_few'),
    );
  });

  it('takes the JWK Set of GET /v1/hub/keys as published (alg and use)', () => {
    const published = { keys: [{ ...hubKey.jwk, kid: hubKey.kid, alg: 'Ed25519', use: 'sig' }] };
    expect(decodeOutcome(HubKeySetSchema, published)).toEqual(ACCEPTED);
    const otherUse = { keys: [{ ...published.keys[0], use: 'enc' }] };
    expect(decodeOutcome(HubKeySetSchema, otherUse)).toMatchObject({ ok: false });
  });
});
