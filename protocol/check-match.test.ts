import { describe, expect, it } from 'vitest';
import type { MatchKeyKind } from '../crypto/match-key-kind.js';
import { compareKeys, matchErrors, responseRequestErrors } from './check-match.js';
import type { CheckMatch } from './check-response.js';
import {
  exampleAttestation,
  exampleB64,
  exampleCheckRequest,
  exampleCheckResponse,
  exampleMatch,
} from './test-support/examples.js';

const fields = (errors: { field: string; code: string }[]) =>
  errors.map((e) => `${e.field}: ${e.code}`);

describe('matchErrors', () => {
  const attestation = exampleAttestation({ disputed: { since: '2023-11-02' } });
  const request = exampleCheckRequest();
  const match = exampleMatch(attestation, ['ssn', 'name_dob', 'last_dob'], 'strong');
  const tampered = (o: Partial<CheckMatch>) =>
    matchErrors({ ...match, ...o }, attestation, request);

  it('accepts a summary that agrees with the signed attestation and the request', () => {
    expect(matchErrors(match, attestation, request)).toEqual([]);
  });

  it('catches every summary field the hub could misstate', () => {
    expect(fields(tampered({ attestationId: '0190f1c2-3b4a-7c5d-8e6f-000000000000' }))).toEqual([
      'attestationId: mismatch',
    ]);
    expect(
      fields(tampered({ reportingAgency: { ...match.reportingAgency, ori: 'NY0303000' } })),
    ).toEqual(['reportingAgency.ori: mismatch']);
    expect(fields(tampered({ category: 'suspension' }))).toEqual(['category: mismatch']);
    expect(fields(tampered({ useOfForce: false }))).toEqual(['useOfForce: mismatch']);
    expect(fields(tampered({ eventDate: '2023-04-03' }))).toEqual(['eventDate: mismatch']);
    expect(fields(tampered({ outcomeDate: '2023-09-15' }))).toEqual(['outcomeDate: mismatch']);
    expect(fields(tampered({ status: 'pending_appeal' }))).toEqual(['status: mismatch']);
    expect(fields(tampered({ statusDate: '2023-11-02' }))).toEqual(['statusDate: mismatch']);
    expect(fields(tampered({ disputed: null }))).toEqual(['disputed: mismatch']);
  });

  it('recomputes which kinds matched: none may be added or left out', () => {
    expect(fields(tampered({ matchedKinds: ['ssn', 'name_dob'] }))).toEqual([
      'matchedKinds: mismatch',
    ]);
    const partial = { ...request, keys: request.keys.slice(1) };
    expect(
      matchErrors({ ...match, matchedKinds: ['name_dob', 'last_dob'] }, attestation, partial),
    ).toEqual([]);
    expect(fields(matchErrors(match, attestation, partial))).toEqual(['matchedKinds: mismatch']);
    // The same index under another kind is not a match of that kind.
    const relabelled = {
      ...request,
      keys: [{ kind: 'license' as const, index: request.keys[0]!.index }],
    };
    expect(
      fields(matchErrors({ ...match, matchedKinds: ['license'] }, attestation, relabelled)),
    ).toEqual(['matchedKinds: mismatch']);
  });

  it('recomputes the contradicted kinds: the hub can neither hide nor invent one', () => {
    // The request's SSN is another person's: the record's SSN contradicts it.
    const namesake = {
      ...request,
      keys: [
        { kind: 'ssn' as const, index: exampleB64('other ssn', 32) },
        ...request.keys.slice(1),
      ],
    };
    const honest: CheckMatch = {
      ...match,
      matchedKinds: ['name_dob', 'last_dob'],
      strength: 'moderate',
    };
    expect(
      fields(matchErrors({ ...honest, contradictedKinds: ['ssn'] }, attestation, namesake)),
    ).toEqual([]);
    expect(
      fields(matchErrors({ ...honest, contradictedKinds: [] }, attestation, namesake)),
    ).toEqual(['contradictedKinds: mismatch']);
    expect(
      fields(matchErrors({ ...match, contradictedKinds: ['ssn'] }, attestation, request)),
    ).toEqual(['contradictedKinds: mismatch']);
  });

  it('refuses an attestation tokenized under another epoch', () => {
    expect(fields(matchErrors(match, attestation, { ...request, epoch: 2 }))).toEqual([
      'attestation: mismatch',
    ]);
  });
});

describe('compareKeys', () => {
  const key = (kind: MatchKeyKind, name: string) => ({ kind, index: exampleB64(name, 32) });
  const record = [key('ssn', 'A'), key('license', 'CA-1'), key('name_dob', 'JS-1980')];

  it('matches a kind on the same kind and index only', () => {
    expect(compareKeys([key('ssn', 'A')], record)).toEqual({
      matchedKinds: ['ssn'],
      contradictedKinds: [],
    });
    // The record's SSN index under another kind is no match of either kind.
    expect(
      compareKeys([{ kind: 'license', index: record[0]!.index }], record).matchedKinds,
    ).toEqual([]);
  });

  it('finds a contradiction where both sides carry an SSN and they differ', () => {
    expect(compareKeys([key('ssn', 'B'), key('name_dob', 'JS-1980')], record)).toEqual({
      matchedKinds: ['name_dob'],
      contradictedKinds: ['ssn'],
    });
    // A record without an SSN, or a candidate without one, contradicts nothing.
    expect(compareKeys([key('ssn', 'B'), key('name_dob', 'JS-1980')], record.slice(1))).toEqual({
      matchedKinds: ['name_dob'],
      contradictedKinds: [],
    });
    expect(compareKeys([key('name_dob', 'JS-1980')], record).contradictedKinds).toEqual([]);
  });

  it('never calls a licence or a name a contradiction: people hold several', () => {
    expect(compareKeys([key('ssn', 'A'), key('license', 'TX-9')], record)).toEqual({
      matchedKinds: ['ssn'],
      contradictedKinds: [],
    });
    expect(
      compareKeys([key('ssn', 'A'), key('name_dob', 'JL-1980')], record).contradictedKinds,
    ).toEqual([]);
  });
});

describe('responseRequestErrors', () => {
  const request = exampleCheckRequest();
  const response = exampleCheckResponse(request);

  it('accepts the answer to the request that was sent', () => {
    expect(responseRequestErrors(response, request, response.requester)).toEqual([]);
  });

  it('catches an answer to another request or another agency', () => {
    expect(fields(responseRequestErrors(response, request, 'CA0194200'))).toEqual([
      'requester: mismatch',
    ]);
    expect(
      fields(
        responseRequestErrors(response, { ...request, purpose: 'promotion' }, response.requester),
      ),
    ).toEqual(['purpose: mismatch']);
    expect(
      fields(responseRequestErrors(response, { ...request, consentRef: 'c2' }, response.requester)),
    ).toEqual(['consentRef: mismatch']);
    expect(
      fields(responseRequestErrors(response, { ...request, epoch: 9 }, response.requester)),
    ).toEqual(['epoch: mismatch']);
    const keys = [
      ...request.keys.slice(0, 2),
      { kind: 'last_dob' as const, index: exampleB64('other', 32) },
    ];
    expect(
      fields(responseRequestErrors(response, { ...request, keys }, response.requester)),
    ).toEqual(['keys: mismatch']);
    const policy = { ...request.policy, lookbackYears: 10 };
    expect(
      fields(responseRequestErrors(response, { ...request, policy }, response.requester)),
    ).toEqual(['policy: mismatch']);
  });
});
