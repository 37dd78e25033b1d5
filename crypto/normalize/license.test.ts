import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { US_JURISDICTION_CODES } from '../us-jurisdictions.js';
import {
  LICENSE_NUMBER_MAX_LENGTH,
  normalizeLicense,
  normalizeLicenseNumber,
  normalizeLicenseState,
} from './license.js';

function errorOf(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a CryptoError');
}

describe('licence normalization', () => {
  it('accepts every USPS state, DC and territory code in either case', () => {
    for (const code of US_JURISDICTION_CODES) {
      expect(normalizeLicenseState(code.toLowerCase())).toBe(code);
    }
    expect(normalizeLicenseState(' Pr ')).toBe('PR');
  });

  it('rejects codes that are not a state or inhabited territory', () => {
    for (const text of ['XX', 'UM', 'FM', 'CAL', 'C', '', 'ＣＡ', 42 as unknown as string]) {
      expect(errorOf(() => normalizeLicenseState(text))).toEqual({
        code: 'LICENSE_STATE_UNKNOWN',
        field: 'license.state',
      });
    }
  });

  it('removes spaces, hyphens, periods and slashes and upper-cases the number', () => {
    expect(normalizeLicenseNumber('a-123 456')).toBe('A123456');
    expect(normalizeLicenseNumber('12.34/56')).toBe('123456');
    expect(normalizeLicenseNumber('ｂ１２３')).toBe('B123');
    expect(normalizeLicenseNumber('007')).toBe('007');
  });

  it('rejects numbers with other characters, no characters, or too many', () => {
    for (const text of [
      'A_123',
      'É123',
      '12#4',
      ' - ',
      '',
      'A'.repeat(LICENSE_NUMBER_MAX_LENGTH + 1),
    ]) {
      expect(errorOf(() => normalizeLicenseNumber(text))).toEqual({
        code: 'LICENSE_NUMBER_FORMAT',
        field: 'license.number',
      });
    }
    expect(normalizeLicenseNumber('A'.repeat(LICENSE_NUMBER_MAX_LENGTH))).toHaveLength(
      LICENSE_NUMBER_MAX_LENGTH,
    );
  });

  it('normalizes both parts together and names nested fields under the given prefix', () => {
    expect(normalizeLicense({ state: 'tx', number: '1234-567' })).toEqual({
      state: 'TX',
      number: '1234567',
    });
    expect(
      errorOf(() => normalizeLicense({ state: 'TX', number: '?' }, 'aliases[0].license')),
    ).toEqual({
      code: 'LICENSE_NUMBER_FORMAT',
      field: 'aliases[0].license.number',
    });
  });
});
