import { describe, expect, it } from 'vitest';
import { formatMatchKeyString, matchKeyKindOf, parseMatchKeyString } from './key-string.js';

describe('match-key strings', () => {
  it('prefixes the protocol version and kind and joins fields with |', () => {
    expect(formatMatchKeyString('name_dob', ['GARCIA', 'MARIA', '1985-03-14'])).toBe(
      'SPX1|name_dob|GARCIA|MARIA|1985-03-14',
    );
    expect(formatMatchKeyString('last_dob', ['GARCIA', '1985-03-14'])).toBe(
      'SPX1|last_dob|GARCIA|1985-03-14',
    );
    expect(formatMatchKeyString('ssn', ['123456789'])).toBe('SPX1|ssn|123456789');
    expect(formatMatchKeyString('license', ['CA', 'A123'])).toBe('SPX1|license|CA|A123');
  });

  it('refuses fields that are not normalized, without quoting them', () => {
    expect(() => formatMatchKeyString('last_dob', ['Garcia', '1985-03-14'])).toThrow(TypeError);
    expect(() => formatMatchKeyString('last_dob', ['GARCIA|X', '1985-03-14'])).toThrow(TypeError);
    expect(() => formatMatchKeyString('ssn', ['123456789', 'EXTRA'])).toThrow(TypeError);
    expect(() => formatMatchKeyString('ssn', [])).toThrow(TypeError);
    expect(() => formatMatchKeyString('bogus' as 'ssn', ['123456789'])).toThrow(TypeError);
    try {
      formatMatchKeyString('last_dob', ['Garcia', '1985-03-14']);
    } catch (e) {
      expect((e as Error).message).not.toContain('Garcia');
    }
  });

  it('parses a key string back into its kind and fields', () => {
    expect(parseMatchKeyString('SPX1|license|CA|A123')).toEqual({
      kind: 'license',
      fields: ['CA', 'A123'],
    });
    expect(matchKeyKindOf('SPX1|last_dob|GARCIA|1985-03-14')).toBe('last_dob');
  });

  it('rejects strings that do not fit the grammar', () => {
    for (const text of [
      '',
      'SPX2|ssn|123456789',
      'spx1|ssn|123456789',
      'SPX1|SSN|123456789',
      'SPX1|ssn|12345678',
      'SPX1|ssn|123456789|',
      'SPX1|name_dob|GARCIA|1985-03-14',
      'SPX1|last_dob|GARCIA|MARIA|1985-03-14',
      'SPX1|license|ca|A123',
    ]) {
      expect(parseMatchKeyString(text)).toBeUndefined();
    }
  });
});
