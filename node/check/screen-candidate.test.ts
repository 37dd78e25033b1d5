import { describe, expect, it } from 'vitest';
import { screenCandidate } from './screen-candidate.js';

const AS_OF = new Date('2026-01-15T00:00:00Z');
const dana = { firstName: 'Dana', lastName: 'Whitfield', dob: '1992-11-30', ssn: '456-78-9012' };

describe('screenCandidate', () => {
  it('lets a usable candidate with an opaque consentRef through', () => {
    expect(screenCandidate(dana, 'consent/2025/0007', AS_OF)).toMatchObject({ ok: true });
  });

  it('names each unusable identifier under candidate. with its §2.9 code', () => {
    const r = screenCandidate({ ...dana, dob: '30/11/1992' }, 'C-1', AS_OF);
    expect(r).toEqual({
      ok: false,
      refusal: {
        code: 'VALIDATION_FAILED',
        detail: 'the candidate identifiers cannot be used',
        errors: [expect.objectContaining({ field: 'candidate.dob', code: 'DOB_FORMAT' })],
      },
    });
  });

  it('refuses more keys than one statement carries', () => {
    const aliases = Array.from({ length: 40 }, (_, i) => ({
      firstName: `Alias${String.fromCharCode(65 + (i % 26))}`,
      lastName: `Name${String.fromCharCode(65 + Math.floor(i / 26))}x${i}`.replace(/\d/g, ''),
    }));
    const r = screenCandidate({ ...dana, aliases }, 'C-1', AS_OF);
    expect(r.ok ? undefined : r.refusal.errors[0]).toMatchObject({
      field: 'candidate.aliases',
      code: 'IDENTITY_TOO_MANY_KEYS',
    });
  });

  it.each([
    ['consent/WHITFIELD/1', 'last name'],
    ['C-19921130', 'date of birth'],
    ['C.456789012', 'Social Security number'],
  ])(
    'refuses consentRef %j (the %s) as REFERENCE_CONTAINS_IDENTIFIER, naming no value',
    (ref, label) => {
      const r = screenCandidate(dana, ref, AS_OF);
      if (r.ok) throw new Error('expected a refusal');
      expect(r.refusal.code).toBe('REFERENCE_CONTAINS_IDENTIFIER');
      expect(r.refusal.errors).toEqual([
        expect.objectContaining({ field: 'consentRef', code: 'not_allowed' }),
      ]);
      expect(r.refusal.detail).toContain(`candidate's ${label}`);
      expect(JSON.stringify(r.refusal)).not.toMatch(/WHITFIELD|1992|456/i);
    },
  );
});
