import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { US_JURISDICTION_CODES } from '../us-jurisdictions.js';
import { normalizeDob } from './date-of-birth.js';
import { LETTER_FOLDING_TABLE } from './letter-folding.js';
import { normalizeLicenseNumber, normalizeLicenseState } from './license.js';
import { normalizeFirstName, normalizeLastName } from './name.js';
import { normalizeSsn } from './ssn.js';

/** Runs `f`; returns its value, or undefined when it rejected the input with a CryptoError. */
function accepted<T>(f: () => T, codePrefix: string): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof CryptoError && e.code.startsWith(codePrefix)) return undefined;
    throw e;
  }
}

// Name-like text: letters that need every rule, separators, suffixes and some bad characters.
const namePiece = fc.oneof(
  fc.constantFrom(...'abcXYZ'.split('')),
  fc.constantFrom(...LETTER_FOLDING_TABLE.map((e) => e.letter)),
  fc.constantFrom('é', 'Ñ', 'ễ', 'Å', 'İ', 'Ĳ', 'Ŀ', 'ŉ', 'Ａ', 'ﬁ', '\u0301'),
  fc.constantFrom(' ', '\t', '\u00a0', '-', '–', "'", '’', 'ʻ', '.', ',', '\u200b'),
  fc.constantFrom(' Jr', ' Sr.', ', III', ' IV', ' ii'),
  fc.constantFrom('1', 'Ж', 'λ', '|', '&', '/'),
);
const nameText = fc.array(namePiece, { maxLength: 24 }).map((parts) => parts.join(''));
const NORMALIZED_NAME = /^[A-Z]{1,64}$/;

describe('normalization properties', () => {
  it('normalizes names idempotently into A–Z only, for first and last names', () => {
    fc.assert(
      fc.property(nameText, (text) => {
        for (const normalize of [normalizeFirstName, normalizeLastName]) {
          const once = accepted(() => normalize(text), 'NAME_');
          if (once === undefined) continue;
          expect(once).toMatch(NORMALIZED_NAME);
          expect(normalize(once)).toBe(once);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('either rejects arbitrary Unicode with a NAME_ code or returns A–Z only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const once = accepted(() => normalizeLastName(text), 'NAME_');
        if (once !== undefined) expect(once).toMatch(NORMALIZED_NAME);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns real dates unchanged and is idempotent on them', () => {
    const day = fc.date({
      min: new Date('1890-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(day, (d) => {
        const text = d.toISOString().slice(0, 10);
        const once = accepted(() => normalizeDob(text, { asOf: '2025-01-01' }), 'DOB_');
        if (once === undefined) return;
        expect(once).toBe(text);
        expect(normalizeDob(once, { asOf: '2025-01-01' })).toBe(once);
      }),
    );
  });

  it('agrees with the JavaScript calendar on which dates exist', () => {
    const parts = fc.tuple(
      fc.integer({ min: 1900, max: 2008 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    );
    fc.assert(
      fc.property(parts, ([y, m, d]) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const js = new Date(Date.UTC(y, m - 1, d));
        const exists =
          m >= 1 && m <= 12 && d >= 1 && js.getUTCMonth() === m - 1 && js.getUTCDate() === d;
        expect(
          accepted(() => normalizeDob(text, { asOf: '2025-01-01' }), 'DOB_') !== undefined,
        ).toBe(exists);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes SSNs idempotently into nine digits, whatever the accepted layout', () => {
    const ssn = fc.tuple(
      fc.stringMatching(/^[0-9]{3}$/),
      fc.stringMatching(/^[0-9]{2}$/),
      fc.stringMatching(/^[0-9]{4}$/),
      fc.constantFrom('', '-', ' '),
    );
    fc.assert(
      fc.property(ssn, ([a, g, s, sep]) => {
        const once = accepted(() => normalizeSsn([a, g, s].join(sep)), 'SSN_');
        const valid =
          a !== '000' && a !== '666' && !a.startsWith('9') && g !== '00' && s !== '0000';
        expect(once !== undefined).toBe(valid);
        if (once === undefined) return;
        expect(once).toBe(a + g + s);
        expect(normalizeSsn(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes licence numbers and states idempotently', () => {
    const number = fc.string({ unit: fc.constantFrom(...'aZ09-. /_ｂ'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(number, fc.constantFrom(...US_JURISDICTION_CODES), (text, state) => {
        const once = accepted(() => normalizeLicenseNumber(text), 'LICENSE_');
        if (once !== undefined) {
          expect(once).toMatch(/^[A-Z0-9]{1,32}$/);
          expect(normalizeLicenseNumber(once)).toBe(once);
        }
        const s = normalizeLicenseState(state.toLowerCase());
        expect(normalizeLicenseState(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets the key separator | through any field', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const withBar = `${text}|${text}`;
        expect(accepted(() => normalizeLastName(withBar), 'NAME_')).toBeUndefined();
        expect(accepted(() => normalizeFirstName(withBar), 'NAME_')).toBeUndefined();
        expect(
          accepted(() => normalizeDob(withBar, { asOf: '2025-01-01' }), 'DOB_'),
        ).toBeUndefined();
        expect(accepted(() => normalizeSsn(withBar), 'SSN_')).toBeUndefined();
        expect(accepted(() => normalizeLicenseNumber(withBar), 'LICENSE_')).toBeUndefined();
        expect(accepted(() => normalizeLicenseState(withBar), 'LICENSE_')).toBeUndefined();
      }),
    );
  });
});
