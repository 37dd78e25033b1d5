import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { normalizeSsn } from './ssn.js';

function errorOf(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a CryptoError');
}

describe('SSN normalization', () => {
  it('accepts nine digits, the hyphenated form and the spaced form', () => {
    expect(normalizeSsn('123456789')).toBe('123456789');
    expect(normalizeSsn('123-45-6789')).toBe('123456789');
    expect(normalizeSsn('123 45 6789')).toBe('123456789');
    expect(normalizeSsn(' 123-45-6789 ')).toBe('123456789');
  });

  it('rejects other layouts, mixed separators, wrong lengths and non-ASCII digits', () => {
    for (const text of [
      '123-456789',
      '123-45 6789',
      '12-345-6789',
      '12345678',
      '1234567890',
      '123–45–6789',
      '１２３456789',
      'ABC-DE-FGHI',
      '',
    ]) {
      expect(errorOf(() => normalizeSsn(text))).toEqual({ code: 'SSN_FORMAT', field: 'ssn' });
    }
  });

  it('rejects area numbers the SSA never assigns', () => {
    for (const text of ['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456']) {
      expect(errorOf(() => normalizeSsn(text)).code).toBe('SSN_INVALID_AREA');
    }
    expect(normalizeSsn('899-12-3456')).toBe('899123456');
    expect(normalizeSsn('665-12-3456')).toBe('665123456');
  });

  it('rejects group 00 and serial 0000, checking area, then group, then serial', () => {
    expect(errorOf(() => normalizeSsn('123-00-4567')).code).toBe('SSN_INVALID_GROUP');
    expect(errorOf(() => normalizeSsn('123-45-0000')).code).toBe('SSN_INVALID_SERIAL');
    expect(errorOf(() => normalizeSsn('000-00-0000')).code).toBe('SSN_INVALID_AREA');
    expect(errorOf(() => normalizeSsn('123-00-0000')).code).toBe('SSN_INVALID_GROUP');
  });

  it('rejects a non-string as a format error', () => {
    expect(errorOf(() => normalizeSsn(123456789 as unknown as string)).code).toBe('SSN_FORMAT');
  });
});
