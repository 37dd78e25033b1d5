import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_KEY_KINDS, MATCH_KEY_STRENGTH, type MatchKeyKind } from '../match-key-kind.js';
import { US_JURISDICTION_CODES } from '../us-jurisdictions.js';
import { deriveMatchKeys } from './derive.js';
import {
  MATCH_KEY_FIELDS,
  formatMatchKeyString,
  matchKeyKindOf,
  parseMatchKeyString,
} from './key-string.js';

const name = fc.stringMatching(/^[A-Z]{1,12}$/);
const dob = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2008-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const fieldArbitrary: Record<MatchKeyKind, fc.Arbitrary<string[]>> = {
  ssn: fc.stringMatching(/^[0-9]{9}$/).map((s) => [s]),
  license: fc.tuple(
    fc.constantFrom(...US_JURISDICTION_CODES),
    fc.stringMatching(/^[A-Z0-9]{1,12}$/),
  ),
  name_dob: fc.tuple(name, name, dob),
  last_dob: fc.tuple(name, dob),
};
const anyKey = fc
  .constantFrom(...MATCH_KEY_KINDS)
  .chain((kind) => fieldArbitrary[kind].map((fields) => ({ kind, fields })));

describe('match-key properties', () => {
  it('a key string determines its kind and fields', () => {
    fc.assert(
      fc.property(anyKey, ({ kind, fields }) => {
        const keyString = formatMatchKeyString(kind, fields);
        expect(matchKeyKindOf(keyString)).toBe(kind);
        expect(parseMatchKeyString(keyString)).toEqual({ kind, fields });
      }),
      { numRuns: 2000 },
    );
  });

  it('keys of different kinds, or of different fields, never collide', () => {
    fc.assert(
      fc.property(anyKey, anyKey, (a, b) => {
        const same =
          formatMatchKeyString(a.kind, a.fields) === formatMatchKeyString(b.kind, b.fields);
        expect(same).toBe(a.kind === b.kind && a.fields.join('\u0000') === b.fields.join('\u0000'));
      }),
      { numRuns: 5000 },
    );
  });

  it('fields never contain the separator, so the field count is fixed per kind', () => {
    fc.assert(
      fc.property(anyKey, ({ kind, fields }) => {
        const keyString = formatMatchKeyString(kind, fields);
        expect(keyString.split('|')).toHaveLength(2 + MATCH_KEY_FIELDS[kind].length);
      }),
    );
  });

  it('derives keys that parse to their declared kind and strength, without duplicates', () => {
    const identity = fc.record({
      firstName: name,
      lastName: name,
      dob,
      ssn: fc.constantFrom('123-45-6789', '001-01-0001', undefined),
      aliases: fc.array(
        fc.record({ lastName: name, firstName: fc.option(name, { nil: undefined }) }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(identity, (id) => {
        const keys = deriveMatchKeys(id, { asOf: '2025-01-01' });
        expect(new Set(keys.map((k) => k.keyString)).size).toBe(keys.length);
        for (const key of keys) {
          expect(matchKeyKindOf(key.keyString)).toBe(key.kind);
          expect(key.strength).toBe(MATCH_KEY_STRENGTH[key.kind]);
        }
      }),
    );
  });
});
