import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findDuplicateMember,
  MAX_JSON_DEPTH,
  type DuplicateMemberScan,
} from './duplicate-members.js';
import { formatFieldPath } from './problem.js';

describe('findDuplicateMember', () => {
  it.each<[string, string, DuplicateMemberScan]>([
    ['a repeated member', '{"a":1,"a":2}', { kind: 'duplicate', name: 'a', path: 'a' }],
    [
      'the same name written with an escape',
      '{"x":{"a":1,"\\u0061":2}}',
      { kind: 'duplicate', name: 'a', path: 'x.a' },
    ],
    [
      'a repeat inside an array item',
      '{"list":[{"k":1},{"k":1,"k":2}]}',
      { kind: 'duplicate', name: 'k', path: 'list[1].k' },
    ],
    [
      'a repeat in an object at the top of an array',
      ' [ {"a" : 1 , "a" : 1} ] ',
      { kind: 'duplicate', name: 'a', path: '[0].a' },
    ],
    [
      'names ending in an escaped backslash',
      '{"a\\\\":1,"a\\\\":2}',
      { kind: 'duplicate', name: 'a\\', path: 'a\\' },
    ],
    [
      '__proto__ twice',
      '{"__proto__":1,"__proto__":{}}',
      { kind: 'duplicate', name: '__proto__', path: '__proto__' },
    ],
    ['one name in different objects', '{"a":[1,{"a":1}],"b":{"a":2}}', { kind: 'none' }],
    [
      'names inside string values',
      '{"a":"\\"a\\":1,","b":"\\\\","c":"{\\"c\\""}',
      { kind: 'none' },
    ],
    ['not an object at all', '"a"', { kind: 'none' }],
  ])('%s', (_, text, expected) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findDuplicateMember(text)).toEqual(expected);
  });

  it(`reports nesting deeper than ${MAX_JSON_DEPTH} levels instead of scanning it`, () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(findDuplicateMember(nested(MAX_JSON_DEPTH))).toEqual({ kind: 'none' });
    expect(findDuplicateMember(nested(MAX_JSON_DEPTH + 1)).kind).toBe('too_deep');
    expect(findDuplicateMember(`{"a":{"b":${nested(MAX_JSON_DEPTH)}}}`)).toEqual({
      kind: 'too_deep',
      path: `a.b${'[0]'.repeat(MAX_JSON_DEPTH - 2)}`,
    });
  });
});

/** A JSON document as the fuzzer builds it: objects keep their entries, repeats and all. */
type Doc =
  | { readonly t: 'object'; readonly entries: readonly Entry[] }
  | { readonly t: 'array'; readonly items: readonly Doc[] }
  | { readonly t: 'leaf'; readonly value: unknown };
interface Entry {
  readonly name: string;
  /** Written as \uXXXX escapes rather than plainly. */
  readonly escaped: boolean;
  readonly space: string;
  readonly value: Doc;
}

// Few names, so that repeats are common; some need escaping, some are odd for a parser.
const NAME = fc.constantFrom('a', 'b', 'é', '"', '\\', 'a\\', '\u2028', '__proto__', '', '😀');
const SPACE = fc.constantFrom('', ' ', '\n\t ');

const { doc } = fc.letrec<{ doc: Doc; entry: Entry }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('leaf' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({
      t: fc.constant('object' as const),
      entries: fc.array(tie('entry') as fc.Arbitrary<Entry>, { maxLength: 5 }),
    }),
    fc.record({
      t: fc.constant('array' as const),
      items: fc.array(tie('doc') as fc.Arbitrary<Doc>, { maxLength: 4 }),
    }),
  ),
  entry: fc.record({ name: NAME, escaped: fc.boolean(), space: SPACE, value: tie('doc') }),
}));

function escapedName(name: string): string {
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    out += `\\u${name.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

function write(d: Doc): string {
  switch (d.t) {
    case 'leaf':
      return JSON.stringify(d.value);
    case 'array':
      return `[${d.items.map(write).join(',')}]`;
    case 'object':
      return `{${d.entries
        .map(
          (e) =>
            `${e.space}${e.escaped ? escapedName(e.name) : JSON.stringify(e.name)}${e.space}:${e.space}${write(e.value)}`,
        )
        .join(',')}}`;
  }
}

/** The oracle: the first repeated name in text order, found on the tree. */
function firstDuplicate(d: Doc, path: (string | number)[] = []): DuplicateMemberScan {
  if (d.t === 'array') {
    for (const [i, item] of d.items.entries()) {
      const found = firstDuplicate(item, [...path, i]);
      if (found.kind !== 'none') return found;
    }
  } else if (d.t === 'object') {
    const seen = new Set<string>();
    for (const e of d.entries) {
      if (seen.has(e.name)) {
        return { kind: 'duplicate', name: e.name, path: formatFieldPath([...path, e.name]) };
      }
      seen.add(e.name);
      const found = firstDuplicate(e.value, [...path, e.name]);
      if (found.kind !== 'none') return found;
    }
  }
  return { kind: 'none' };
}

describe('findDuplicateMember (properties)', () => {
  it('finds the first repeated member, in text order, that the tree holds', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const text = write(d);
        JSON.parse(text); // the scanner's precondition
        expect(findDuplicateMember(text)).toEqual(firstDuplicate(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds nothing in what JSON.stringify writes, indented or not', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(findDuplicateMember(JSON.stringify(value, null, indent))).toEqual({ kind: 'none' });
      }),
      { numRuns: 1000 },
    );
  });
});
