import { describe, expect, it } from 'vitest';
import { examplePolicy } from '../../protocol/test-support/examples.js';
import { b64For } from '../clients/test-support/deterministic.js';
import { buildCheckRequest, type CheckRequestInput } from './build-request.js';
import { CheckError } from './check-error.js';

const tokenized = [
  { kind: 'ssn' as const, index: b64For('ssn'), strength: 'strong', source: 'primary' },
  { kind: 'name_dob' as const, index: b64For('name_dob'), strength: 'moderate', source: 'primary' },
  { kind: 'last_dob' as const, index: b64For('last_dob'), strength: 'weak', source: 'primary' },
];
const input: CheckRequestInput = {
  epoch: 1,
  keys: tokenized,
  purpose: 'hiring',
  consentRef: 'consent/2025/0007',
  policy: examplePolicy(),
};

function refusal(partial: Partial<CheckRequestInput>): CheckError {
  try {
    buildCheckRequest({ ...input, ...partial });
  } catch (e) {
    expect(e).toBeInstanceOf(CheckError);
    return e as CheckError;
  }
  throw new Error('accepted');
}

describe('buildCheckRequest', () => {
  it('sends only the kind and hub index of each key, with purpose, consent and policy', () => {
    expect(buildCheckRequest(input)).toEqual({
      purpose: 'hiring',
      consentRef: 'consent/2025/0007',
      epoch: 1,
      keys: tokenized.map(({ kind, index }) => ({ kind, index })),
      policy: examplePolicy(),
    });
  });

  it('sends a repeated hub index once, keeping the first order', () => {
    const keys = [...tokenized, tokenized[0]!, tokenized[2]!];
    expect(buildCheckRequest({ ...input, keys }).keys.map((k) => k.kind)).toEqual([
      'ssn',
      'name_dob',
      'last_dob',
    ]);
  });

  it('requires a consent reference and a purpose', () => {
    const noConsent = refusal({ consentRef: undefined as never });
    expect([noConsent.code, noConsent.errors[0]]).toEqual([
      'CHECK_REQUEST_INVALID',
      expect.objectContaining({ field: 'consentRef', code: 'required' }),
    ]);
    expect(refusal({ purpose: 'curiosity' as never }).field).toBe('purpose');
    expect(refusal({ consentRef: '123-45-6789' }).errors[0]).toMatchObject({
      field: 'consentRef',
      code: 'not_allowed',
    });
  });

  it('refuses no keys, too many keys and a policy that is not the protocol’s', () => {
    expect(refusal({ keys: [] }).errors[0]).toMatchObject({ field: 'keys', code: 'too_few' });
    const many = Array.from({ length: 65 }, (_, i) => ({
      kind: 'ssn' as const,
      index: b64For(`k${i}`),
    }));
    expect(refusal({ keys: many }).errors[0]).toMatchObject({ field: 'keys', code: 'too_many' });
    const policy = { ...examplePolicy(), review: ['termination' as const] };
    expect(refusal({ policy }).errors[0]).toMatchObject({
      field: 'policy.review[0]',
      code: 'duplicate',
    });
  });
});
