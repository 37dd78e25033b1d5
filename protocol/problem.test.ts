import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RequestAuthErrorCode } from '../crypto/errors.js';
import {
  FIELD_ERROR_CODES,
  fieldErrorsFromZod,
  formatFieldPath,
  isProblemCode,
  MAX_FIELD_ERRORS,
  problem,
  PROBLEM_CODE_LIST,
  PROBLEM_CODES,
  PROBLEM_TYPE_PREFIX,
  prefixFieldErrors,
  ProblemDetailsSchema,
  type ProblemCode,
} from './problem.js';

// Compile-time: every request-authentication failure of §7 has a problem code of the same name,
// so the HTTP shell maps CryptoError codes to the wire one-to-one.
type MissingAuthCodes = Exclude<RequestAuthErrorCode, ProblemCode>;
const authCodesCovered: [MissingAuthCodes] extends [never] ? true : false = true;

describe('problem codes', () => {
  it('are upper snake case with an error status and a title', () => {
    expect(authCodesCovered).toBe(true);
    for (const code of PROBLEM_CODE_LIST) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]{0,63}$/);
      const { status, title } = PROBLEM_CODES[code];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThanOrEqual(599);
      expect(title.length).toBeGreaterThan(0);
      expect(isProblemCode(code)).toBe(true);
    }
    expect(isProblemCode('toString')).toBe(false);
  });

  it('map the request-authentication failures to 401 and rate limiting to 429', () => {
    const auth = PROBLEM_CODE_LIST.filter((c) => c.startsWith('AUTH_'));
    expect(auth.length).toBe(10);
    for (const c of auth) expect(PROBLEM_CODES[c].status).toBe(401);
    expect(PROBLEM_CODES.RATE_LIMITED.status).toBe(429);
    expect(PROBLEM_CODES.PAYLOAD_TOO_LARGE.status).toBe(413);
    expect(PROBLEM_CODES.VALIDATION_FAILED.status).toBe(400);
  });

  it('carry the statement verification results of §6.7 under their own names, as 422', () => {
    const sig = [
      'SIG_TOO_LARGE',
      'SIG_MALFORMED',
      'SIG_ALG_UNSUPPORTED',
      'SIG_HEADER_INVALID',
      'SIG_TYP_MISMATCH',
      'SIG_NOT_CANONICAL',
      'SIG_UNKNOWN_KEY',
      'SIG_BAD_SIGNATURE',
    ];
    expect(PROBLEM_CODE_LIST.filter((c) => c.startsWith('SIG_')).sort()).toEqual([...sig].sort());
    for (const c of sig) expect(isProblemCode(c) && PROBLEM_CODES[c].status).toBe(422);
  });
});

describe('problem', () => {
  it('derives type, title and status from the code and omits empty errors', () => {
    const p = problem('NOT_FOUND', 'no such attestation');
    expect(p).toEqual({
      type: PROBLEM_TYPE_PREFIX + 'NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'no such attestation',
      code: 'NOT_FOUND',
    });
    expect(problem('NOT_FOUND', 'x', [])).not.toHaveProperty('errors');
  });

  it('caps the field errors it carries', () => {
    const errors = Array.from({ length: 150 }, (_, i) => ({
      field: `a[${i}]`,
      code: 'duplicate' as const,
      message: 'm',
    }));
    expect(problem('VALIDATION_FAILED', 'x', errors).errors).toHaveLength(MAX_FIELD_ERRORS);
  });

  it('parses a received problem and ignores unknown extension members (RFC 9457 §3.2)', () => {
    const received = {
      ...problem('RATE_LIMITED', 'slow down'),
      retryAfter: 30,
      instance: '/v1/checks',
    };
    const parsed = ProblemDetailsSchema.parse(received);
    expect(parsed).toEqual(problem('RATE_LIMITED', 'slow down'));
    expect(ProblemDetailsSchema.safeParse({ ...received, status: 200 }).success).toBe(false);
    expect(ProblemDetailsSchema.safeParse({ ...received, code: 'lower' }).success).toBe(false);
  });
});

describe('prefixFieldErrors', () => {
  it('nests field errors of a value under the path of that value', () => {
    const errors = [
      { field: 'tokens.keys[1].index', code: 'duplicate' as const, message: 'm' },
      { field: '', code: 'invalid_type' as const, message: 'm' },
      { field: '[2]', code: 'too_long' as const, message: 'm' },
    ];
    expect(prefixFieldErrors('attestations[3]', errors).map((e) => e.field)).toEqual([
      'attestations[3].tokens.keys[1].index',
      'attestations[3]',
      'attestations[3][2]',
    ]);
  });
});

describe('formatFieldPath', () => {
  it('writes members with dots and array positions in brackets', () => {
    expect(formatFieldPath(['tokens', 'keys', 2, 'index'])).toBe('tokens.keys[2].index');
    expect(formatFieldPath([0, 'a'])).toBe('[0].a');
    expect(formatFieldPath([])).toBe('');
  });
});

describe('fieldErrorsFromZod', () => {
  const Schema = z.strictObject({
    name: z.string().min(2).max(4),
    list: z
      .array(z.strictObject({ n: z.int().min(1).max(9) }))
      .min(1)
      .max(2),
    kind: z.enum(['a', 'b']),
    day: z.iso.date(),
  });
  const errorsOf = (input: unknown) => {
    const r = Schema.safeParse(input);
    if (r.success) throw new Error('expected failure');
    return fieldErrorsFromZod(r.error, input).map((e) => `${e.field}: ${e.code}`);
  };

  it('names every failing field with a stable code', () => {
    expect(
      errorsOf({
        name: 'x',
        list: [{ n: 0 }, { n: 10 }],
        kind: 'c',
        day: '2023-02-30',
        extra: 1,
      }).sort(),
    ).toEqual(
      [
        'day: invalid_format',
        'extra: unknown_field',
        'kind: invalid_value',
        'list[0].n: too_small',
        'list[1].n: too_big',
        'name: too_short',
      ].sort(),
    );
    expect(errorsOf({ name: 'xxxxx', list: [], kind: 'a', day: '2023-01-01' }).sort()).toEqual([
      'list: too_few',
      'name: too_long',
    ]);
    // An overlong list is refused as a whole, without validating its items.
    expect(
      errorsOf({ name: 'xx', list: [{ n: 0 }, { n: 0 }, { n: 0 }], kind: 'a', day: '2023-01-01' }),
    ).toEqual(['list: too_many']);
  });

  it('reports missing members as required and wrong types as invalid_type', () => {
    expect(errorsOf({ name: 5, list: [{}], day: '2023-01-01' }).sort()).toEqual([
      'kind: required',
      'list[0].n: required',
      'name: invalid_type',
    ]);
  });

  it('reports the whole message at the empty path', () => {
    expect(errorsOf([1])).toEqual([': invalid_type']);
  });

  it('uses the custom code of a refinement and only known codes', () => {
    const S = z.strictObject({
      a: z.string().refine(() => false, { params: { code: 'duplicate' } }),
      b: z.string().refine(() => false, { params: { code: 'nonsense' } }),
    });
    const r = S.safeParse({ a: '', b: '' });
    expect(r.success).toBe(false);
    const codes = fieldErrorsFromZod(r.error!).map((e) => e.code);
    expect(codes).toEqual(['duplicate', 'invalid_value']);
    for (const c of codes) expect(FIELD_ERROR_CODES).toContain(c);
  });
});
