import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { deriveMatchKeys, matchKeyInput, tryDeriveMatchKeys } from './derive.js';
import type { Identity } from './identity.js';
import { normalizeIdentity } from './identity.js';

const asOf = '2025-01-01';
const maria: Identity = { firstName: 'María', lastName: 'García', dob: '1985-03-14' };

function errorsOf(identity: Identity): [string, string | undefined][] {
  const result = tryDeriveMatchKeys(identity, { asOf });
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => [e.code, e.field]);
}

describe('deriving match keys', () => {
  it('yields every kind, strongest first, with its strength and source', () => {
    const keys = deriveMatchKeys(
      { ...maria, ssn: '123-45-6789', license: { state: 'ca', number: 'a-1234' } },
      { asOf },
    );
    expect(keys).toEqual([
      { kind: 'ssn', strength: 'strong', keyString: 'SPX1|ssn|123456789', source: 'primary' },
      {
        kind: 'license',
        strength: 'strong',
        keyString: 'SPX1|license|CA|A1234',
        source: 'primary',
      },
      {
        kind: 'name_dob',
        strength: 'moderate',
        keyString: 'SPX1|name_dob|GARCIA|MARIA|1985-03-14',
        source: 'primary',
      },
      {
        kind: 'last_dob',
        strength: 'weak',
        keyString: 'SPX1|last_dob|GARCIA|1985-03-14',
        source: 'primary',
      },
    ]);
  });

  it('gives each alias its own name keys, inheriting the primary first name when absent', () => {
    const keys = deriveMatchKeys(
      { ...maria, aliases: [{ lastName: 'López' }, { firstName: 'Mary', lastName: 'Smith' }] },
      { asOf },
    );
    expect(keys.map((k) => [k.keyString, k.source])).toEqual([
      ['SPX1|name_dob|GARCIA|MARIA|1985-03-14', 'primary'],
      ['SPX1|last_dob|GARCIA|1985-03-14', 'primary'],
      ['SPX1|name_dob|LOPEZ|MARIA|1985-03-14', 'alias:0'],
      ['SPX1|last_dob|LOPEZ|1985-03-14', 'alias:0'],
      ['SPX1|name_dob|SMITH|MARY|1985-03-14', 'alias:1'],
      ['SPX1|last_dob|SMITH|1985-03-14', 'alias:1'],
    ]);
  });

  it('drops duplicate key strings and keeps the first source', () => {
    const keys = deriveMatchKeys(
      {
        ...maria,
        aliases: [
          { lastName: 'GARCIA' },
          { firstName: 'Mari-a', lastName: 'Garcia' },
          { firstName: 'Ana', lastName: 'garcía' },
        ],
      },
      { asOf },
    );
    expect(keys.map((k) => [k.kind, k.source])).toEqual([
      ['name_dob', 'primary'],
      ['last_dob', 'primary'],
      ['name_dob', 'alias:2'],
    ]);
    expect(new Set(keys.map((k) => k.keyString)).size).toBe(keys.length);
  });

  it('derives only strong keys when there is no date of birth', () => {
    const keys = deriveMatchKeys(
      { firstName: 'Ana', lastName: 'Ruiz', ssn: '123456789', aliases: [{ lastName: 'Diaz' }] },
      { asOf },
    );
    expect(keys.map((k) => k.kind)).toEqual(['ssn']);
  });

  it('treats blank optional fields as absent', () => {
    const keys = deriveMatchKeys(
      {
        ...maria,
        ssn: ' ',
        license: { state: '', number: '' },
        middleName: '??',
        aliases: [{ firstName: '', lastName: 'Lopez' }],
      },
      { asOf },
    );
    expect(keys.map((k) => k.kind)).toEqual(['name_dob', 'last_dob', 'name_dob', 'last_dob']);
  });

  it('treats null optional fields, and null aliases or licence, as absent', () => {
    const keys = deriveMatchKeys({ ...maria, ssn: null, license: null, aliases: null }, { asOf });
    expect(keys.map((k) => k.kind)).toEqual(['name_dob', 'last_dob']);
  });

  it('reports every field error of an identity at once, in field order', () => {
    expect(
      errorsOf({
        firstName: 'J0hn',
        lastName: 'Иванов',
        dob: '1985-02-30',
        ssn: '666-12-3456',
        license: { state: 'ZZ', number: '' },
        aliases: [{ firstName: 'Ann3', lastName: '' }, { lastName: 'Fine' }],
      }),
    ).toEqual([
      ['NAME_DIGIT', 'firstName'],
      ['NAME_UNFOLDABLE_LETTER', 'lastName'],
      ['DOB_INVALID_DATE', 'dob'],
      ['SSN_INVALID_AREA', 'ssn'],
      ['LICENSE_STATE_UNKNOWN', 'license.state'],
      ['LICENSE_NUMBER_FORMAT', 'license.number'],
      ['NAME_DIGIT', 'aliases[0].firstName'],
      ['NAME_EMPTY', 'aliases[0].lastName'],
    ]);
  });

  it('rejects the whole identity when a single field is bad, yielding no keys', () => {
    const result = tryDeriveMatchKeys({ ...maria, ssn: '123-45-0000' }, { asOf });
    expect(result.ok).toBe(false);
    expect('keys' in result).toBe(false);
  });

  it('requires the first and last names', () => {
    expect(errorsOf({ dob: '1985-03-14', ssn: '123456789' } as unknown as Identity)).toEqual([
      ['NAME_EMPTY', 'firstName'],
      ['NAME_EMPTY', 'lastName'],
    ]);
  });

  it('rejects an identity that yields no key with IDENTITY_NO_KEYS', () => {
    expect(errorsOf({ firstName: 'Ana', lastName: 'Ruiz' })).toEqual([
      ['IDENTITY_NO_KEYS', undefined],
    ]);
    expect(() => deriveMatchKeys({ firstName: 'Ana', lastName: 'Ruiz' }, { asOf })).toThrow(
      expect.objectContaining({ code: 'IDENTITY_NO_KEYS' }),
    );
  });

  it('throws the first field error from the throwing form', () => {
    expect(() => deriveMatchKeys({ ...maria, dob: '03/14/1985', ssn: 'x' }, { asOf })).toThrow(
      expect.objectContaining({ code: 'DOB_FORMAT', field: 'dob' }),
    );
  });

  it('treats input of the wrong shape as a programming error', () => {
    expect(() => tryDeriveMatchKeys(null as unknown as Identity, { asOf })).toThrow(TypeError);
    expect(() =>
      tryDeriveMatchKeys({ ...maria, aliases: 'x' } as unknown as Identity, { asOf }),
    ).toThrow(TypeError);
    expect(() =>
      tryDeriveMatchKeys({ ...maria, aliases: ['x'] } as unknown as Identity, { asOf }),
    ).toThrow(TypeError);
    expect(() =>
      tryDeriveMatchKeys({ ...maria, license: 'CA123' } as unknown as Identity, { asOf }),
    ).toThrow(TypeError);
    expect(() => tryDeriveMatchKeys(maria, { asOf: 'soon' })).toThrow(TypeError);
  });

  it('exposes the normalized identity for callers that store it', () => {
    const result = normalizeIdentity({ ...maria, aliases: [{ lastName: 'Lopez Jr.' }] }, { asOf });
    expect(result).toEqual({
      ok: true,
      identity: {
        firstName: 'MARIA',
        lastName: 'GARCIA',
        dob: '1985-03-14',
        ssn: undefined,
        license: undefined,
        aliases: [{ firstName: 'MARIA', lastName: 'LOPEZ' }],
      },
    });
  });

  it('feeds the OPRF the UTF-8 bytes of the key string', () => {
    const [key] = deriveMatchKeys({ ...maria, ssn: '123456789' }, { asOf });
    expect(matchKeyInput(key!)).toEqual(utf8('SPX1|ssn|123456789'));
  });
});
