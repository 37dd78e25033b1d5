import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import {
  MAX_JSON_DEPTH,
  canonicalJson,
  canonicalJsonBytes,
  findNonJson,
  parseJsonObject,
} from './canonical-json.js';

function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('canonicalJson', () => {
  it('sorts members at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { d: true, c: null } })).toBe(
      '{"a":{"c":null,"d":true},"b":[{"a":2,"z":1},3]}',
    );
  });

  it('writes numbers in their shortest ECMAScript form and -0 as 0', () => {
    expect(canonicalJson([1.5e3, 1e21, 1e-7, -0, 0.1 + 0.2])).toBe(
      '[1500,1e+21,1e-7,0,0.30000000000000004]',
    );
  });

  it('encodes the UTF-8 bytes of the canonical text', () => {
    expect(canonicalJsonBytes({ é: '€' })).toEqual(utf8('{"é":"€"}'));
  });

  it('names the path of a value that is not JSON data', () => {
    const cases: [unknown, string][] = [
      [{ a: undefined }, '$.a'],
      [{ a: [1, Number.NaN] }, '$.a[1]'],
      [{ a: Number.POSITIVE_INFINITY }, '$.a'],
      [{ when: new Date(0) }, '$.when'],
      [{ n: 1n }, '$.n'],
      [{ f: () => 1 }, '$.f'],
      [{ s: 'a\ud800b' }, '$.s'],
      [{ 'k\udc00': 1 }, '$.k\udc00'],
      [{ m: new Map() }, '$.m'],
      [{ [Symbol('s')]: 1 }, '$'],
    ];
    for (const [value, path] of cases) {
      expect(() => canonicalJson(value)).toThrow(
        expect.objectContaining({ code: 'STATEMENT_NOT_JSON', field: path }),
      );
    }
  });

  it('accepts surrogate pairs and objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { a: '😀' });
    expect(canonicalJson(bare)).toBe('{"a":"😀"}');
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels`, () => {
    expect(findNonJson(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findNonJson(nested(MAX_JSON_DEPTH + 1))).toBeDefined();
  });
});

describe('parseJsonObject', () => {
  it('parses a JSON object', () => {
    expect(parseJsonObject(utf8('{"a":[1,"x"]}'))).toEqual({ a: [1, 'x'] });
  });

  it('refuses arrays, scalars, invalid UTF-8, overflowing numbers and lone surrogates', () => {
    expect(parseJsonObject(utf8('[1]'))).toBeUndefined();
    expect(parseJsonObject(utf8('"a"'))).toBeUndefined();
    expect(parseJsonObject(utf8('null'))).toBeUndefined();
    expect(
      parseJsonObject(Uint8Array.of(0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d)),
    ).toBeUndefined();
    expect(parseJsonObject(utf8('{"a":1e999}'))).toBeUndefined();
    expect(parseJsonObject(utf8('{"a":"\\udead"}'))).toBeUndefined();
    expect(parseJsonObject(utf8('{"a":1'))).toBeUndefined();
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(parseJsonObject(utf8(`{"a":${deep}}`))).toBeUndefined();
  });
});
