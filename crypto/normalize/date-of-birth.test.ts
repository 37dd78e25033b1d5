import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { isLeapYear, normalizeDob, parseAsOf } from './date-of-birth.js';

const asOf = '2025-06-15';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  throw new Error('expected a CryptoError');
}

describe('date-of-birth normalization', () => {
  it('accepts an ISO 8601 calendar date and returns it unchanged', () => {
    expect(normalizeDob('1985-03-14', { asOf })).toBe('1985-03-14');
    expect(normalizeDob(' 1985-03-14\t', { asOf })).toBe('1985-03-14');
  });

  it('rejects every other spelling of a date as a format error', () => {
    for (const text of [
      '03/14/1985',
      '14.03.1985',
      '19850314',
      '1985-3-14',
      '1985-03-14T00:00:00Z',
      '１９８５-03-14',
      '',
    ]) {
      expect(codeOf(() => normalizeDob(text, { asOf }))).toBe('DOB_FORMAT');
    }
  });

  it('rejects dates that do not exist, following the Gregorian leap-year rule', () => {
    expect(normalizeDob('2000-02-29', { asOf })).toBe('2000-02-29');
    expect(normalizeDob('1984-02-29', { asOf })).toBe('1984-02-29');
    expect(codeOf(() => normalizeDob('1900-02-29', { asOf }))).toBe('DOB_INVALID_DATE');
    expect(codeOf(() => normalizeDob('1985-02-29', { asOf }))).toBe('DOB_INVALID_DATE');
    expect(codeOf(() => normalizeDob('1985-04-31', { asOf }))).toBe('DOB_INVALID_DATE');
    expect(codeOf(() => normalizeDob('1985-13-01', { asOf }))).toBe('DOB_INVALID_DATE');
    expect(codeOf(() => normalizeDob('1985-00-10', { asOf }))).toBe('DOB_INVALID_DATE');
    expect(codeOf(() => normalizeDob('1985-01-00', { asOf }))).toBe('DOB_INVALID_DATE');
  });

  it('accepts dates from 1900-01-01 to exactly sixteen years before asOf', () => {
    expect(normalizeDob('1900-01-01', { asOf })).toBe('1900-01-01');
    expect(codeOf(() => normalizeDob('1899-12-31', { asOf }))).toBe('DOB_OUT_OF_RANGE');
    expect(normalizeDob('2009-06-15', { asOf })).toBe('2009-06-15');
    expect(codeOf(() => normalizeDob('2009-06-16', { asOf }))).toBe('DOB_OUT_OF_RANGE');
    expect(codeOf(() => normalizeDob('2025-06-15', { asOf }))).toBe('DOB_OUT_OF_RANGE');
  });

  it('takes asOf as a Date in UTC', () => {
    const date = new Date(Date.UTC(2025, 5, 15, 23, 59));
    expect(normalizeDob('2009-06-15', { asOf: date })).toBe('2009-06-15');
    expect(codeOf(() => normalizeDob('2009-06-16', { asOf: date }))).toBe('DOB_OUT_OF_RANGE');
  });

  it('compares a 29 February asOf field by field when sixteen years earlier is not a leap year', () => {
    expect(normalizeDob('2100-02-28', { asOf: '2116-02-29' })).toBe('2100-02-28');
    expect(codeOf(() => normalizeDob('2100-03-01', { asOf: '2116-02-29' }))).toBe(
      'DOB_OUT_OF_RANGE',
    );
  });

  it('names the field it was given', () => {
    try {
      normalizeDob('x', { asOf }, 'candidate.dob');
    } catch (e) {
      expect((e as CryptoError).field).toBe('candidate.dob');
    }
    expect.assertions(1);
  });

  it('treats a bad asOf as a programming error', () => {
    expect(() => normalizeDob('1985-03-14', { asOf: '2025-02-30' })).toThrow(TypeError);
    expect(() => parseAsOf(new Date(Number.NaN))).toThrow(TypeError);
  });

  it('knows the leap years of the Gregorian calendar', () => {
    expect([1900, 2000, 2004, 2023, 2100].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });
});
