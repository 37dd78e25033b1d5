import { describe, expect, it } from 'vitest';
import { CATEGORIES } from './categories.js';
import {
  CHECK_PURPOSES,
  CheckPolicySchema,
  CheckRequestSchema,
  MAX_CHECK_KEYS,
} from './check-request.js';
import { decodeJson, encodeMessage } from './decode.js';
import { exampleB64, exampleCheckRequest, examplePolicy } from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';

const ok = { ok: true };
const invalid = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);
const req = exampleCheckRequest;

describe('check request', () => {
  it('round-trips through JSON', () => {
    const r = req();
    expect(decodeJson(CheckRequestSchema, encodeMessage(CheckRequestSchema, r))).toEqual(r);
  });

  it('names one of the five purposes', () => {
    for (const purpose of CHECK_PURPOSES)
      expect(decodeOutcome(CheckRequestSchema, req({ purpose }))).toEqual(ok);
    expect(decodeOutcome(CheckRequestSchema, { ...req(), purpose: 'curiosity' })).toEqual(
      invalid('purpose: invalid_value'),
    );
  });

  it('requires an opaque consent reference', () => {
    const { consentRef: _c, ...rest } = req();
    expect(decodeOutcome(CheckRequestSchema, rest)).toEqual(invalid('consentRef: required'));
    expect(decodeOutcome(CheckRequestSchema, req({ consentRef: 'signed by John Smith' }))).toEqual(
      invalid('consentRef: invalid_format'),
    );
  });

  it('carries 1..64 keys with distinct hub indexes', () => {
    const keys = Array.from({ length: MAX_CHECK_KEYS + 1 }, (_, i) => ({
      kind: 'name_dob' as const,
      index: exampleB64(`c${i}`, 32),
    }));
    expect(decodeOutcome(CheckRequestSchema, req({ keys: keys.slice(1) }))).toEqual(ok);
    expect(decodeOutcome(CheckRequestSchema, req({ keys }))).toEqual(invalid('keys: too_many'));
    expect(decodeOutcome(CheckRequestSchema, req({ keys: [] }))).toEqual(invalid('keys: too_few'));
    expect(
      decodeOutcome(
        CheckRequestSchema,
        req({ keys: [keys[0]!, { kind: 'ssn', index: keys[0]!.index }] }),
      ),
    ).toEqual(invalid('keys[1].index: duplicate'));
  });

  it('may hold only weak keys (the verdict, not the request, limits what they can find)', () => {
    expect(
      decodeOutcome(
        CheckRequestSchema,
        req({ keys: [{ kind: 'last_dob', index: exampleB64('w', 32) }] }),
      ),
    ).toEqual(ok);
  });
});

describe('check policy', () => {
  const pol = examplePolicy;

  it('accepts empty lists and every category in one list or the other', () => {
    expect(decodeOutcome(CheckPolicySchema, pol({ disqualifying: [], review: [] }))).toEqual(ok);
    expect(
      decodeOutcome(CheckPolicySchema, pol({ disqualifying: [...CATEGORIES], review: [] })),
    ).toEqual(ok);
  });

  it('refuses a category listed twice or in both lists', () => {
    expect(
      decodeOutcome(CheckPolicySchema, pol({ disqualifying: ['termination', 'termination'] })),
    ).toEqual(invalid('disqualifying[1]: duplicate'));
    expect(decodeOutcome(CheckPolicySchema, pol({ review: ['termination'] }))).toEqual(
      invalid('review[0]: duplicate'),
    );
    expect(decodeOutcome(CheckPolicySchema, { ...pol(), review: ['chokehold'] })).toEqual(
      invalid('review[0]: invalid_value'),
    );
  });

  it('bounds the lookback to 1..100 years or none', () => {
    expect(decodeOutcome(CheckPolicySchema, pol({ lookbackYears: 100 }))).toEqual(ok);
    expect(decodeOutcome(CheckPolicySchema, pol({ lookbackYears: 0 }))).toEqual(
      invalid('lookbackYears: too_small'),
    );
    expect(decodeOutcome(CheckPolicySchema, pol({ lookbackYears: 101 }))).toEqual(
      invalid('lookbackYears: too_big'),
    );
  });

  it('refuses unknown rule values and an unknown category list', () => {
    expect(decodeOutcome(CheckPolicySchema, { ...pol(), useOfForce: 'always' })).toEqual(
      invalid('useOfForce: invalid_value'),
    );
    expect(decodeOutcome(CheckPolicySchema, { ...pol(), findingStrength: 'weak' })).toEqual(
      invalid('findingStrength: invalid_value'),
    );
    expect(decodeOutcome(CheckPolicySchema, { ...pol(), categoryList: 2 })).toEqual(
      rejected('UNSUPPORTED_CATEGORY_LIST', 'categoryList: unsupported_category_list'),
    );
    expect(
      decodeOutcome(CheckRequestSchema, req({ policy: { ...pol(), categoryList: 7 } })),
    ).toEqual(
      rejected('UNSUPPORTED_CATEGORY_LIST', 'policy.categoryList: unsupported_category_list'),
    );
  });
});
