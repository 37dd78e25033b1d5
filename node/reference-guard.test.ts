import { describe, expect, it } from 'vitest';
import { identifierInReference, type ReferencePerson } from './reference-guard.js';

const maria: ReferencePerson = {
  lastName: 'García-López Jr.',
  dob: '1984-07-02',
  ssn: '123-45-6789',
  license: { number: '12-345-678' },
  aliases: [{ lastName: "O'Neil" }],
};

describe('identifierInReference', () => {
  it.each([
    ['consent/GARCIALOPEZ/2026', 'last_name'],
    ['garcia-lopez-2026', 'last_name'],
    ['CONSENT-LOPEZ-7', 'last_name'],
    ['oneil.2026.1', 'last_name'],
    ['C-19840702', 'date_of_birth'],
    ['C/1984-07-02', 'date_of_birth'],
    ['HIRE-07021984', 'date_of_birth'],
    ['X123456789', 'ssn'],
    ['ref.123.45.6789', 'ssn'],
    ['LIC-12345678-A', 'license_number'],
    ['lic:12-345-678', 'license_number'],
  ] as const)('finds the identifier in %j (%s)', (reference, kind) => {
    expect(identifierInReference(reference, maria)).toBe(kind);
  });

  it.each([
    'CONSENT-2026-0001',
    'IA-2023-0042',
    'GAR-2026', // shorter than the name and not a 4-letter part of it
    'C-1984-07-03', // another day
    '87654321', // neither the SSN, the date nor the licence
    '',
  ])('lets an opaque reference %j through', (reference) => {
    expect(identifierInReference(reference, maria)).toBeUndefined();
  });

  it('ignores identifiers too short to tell from ordinary text, and blank or malformed ones', () => {
    const short: ReferencePerson = {
      lastName: 'Li',
      dob: '',
      ssn: '12-3',
      license: { number: '1234' },
      aliases: [{ lastName: 'Ng' }],
    };
    expect(identifierInReference('LI-NG-1234-123', short)).toBeUndefined();
    expect(identifierInReference('CASE-1', { lastName: 'Garc1a', dob: '07/02/1984' })).toBe(
      undefined,
    );
    expect(identifierInReference('LEE-1', { lastName: 'Lee', ssn: null, license: null })).toBe(
      'last_name',
    );
  });
});
