import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProtocolError } from './decode.js';
import {
  decodeJson,
  decodeMessage,
  encodeMessage,
  isProtocolError,
  problemFromError,
  safeDecode,
} from './decode.js';

const Schema = z.strictObject({ a: z.int().min(1), b: z.array(z.string().max(3)).max(2) });

function thrown(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (isProtocolError(e)) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

describe('decodeMessage', () => {
  it('returns the validated message', () => {
    expect(decodeMessage(Schema, { a: 1, b: ['x'] })).toEqual({ a: 1, b: ['x'] });
  });

  it('throws VALIDATION_FAILED naming the first field at fault', () => {
    const e = thrown(() => decodeMessage(Schema, { a: 0, b: ['long!'] }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.field).toBe('a');
    expect(e.errors.map((x) => x.field)).toEqual(['a', 'b[0]']);
    const p = problemFromError(e);
    expect(p.status).toBe(400);
    expect(p.errors?.map((x) => x.code)).toEqual(['too_small', 'too_long']);
  });

  it('has a non-throwing twin', () => {
    const r = safeDecode(Schema, { a: 1, b: [], c: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.errors[0]).toMatchObject({ field: 'c', code: 'unknown_field' });
  });
});

describe('decodeJson', () => {
  it('rejects text that is not JSON, and JSON that is not an object, as MALFORMED_JSON', () => {
    for (const text of ['{', '', '[1]', '"a"', 'null', '3', "{'a':1}"]) {
      expect(thrown(() => decodeJson(Schema, text)).code).toBe('MALFORMED_JSON');
    }
  });

  it('refuses a member named twice in one object, naming it, though either value is valid', () => {
    // JSON.parse keeps the last `a`; another reader may keep the first: one body, two messages.
    const e = thrown(() => decodeJson(Schema, '{"b":[{"x":1}],"a":2,"\\u0061":3}'));
    expect([e.code, e.errors]).toEqual([
      'MALFORMED_JSON',
      [{ field: 'a', code: 'duplicate', message: expect.any(String) as string }],
    ]);
    expect(thrown(() => decodeJson(Schema, '{"a":1,"b":[{"x":1,"x":1}]}')).errors[0]?.field).toBe(
      'b[0].x',
    );
    // The path is the client's text: bounded as a field error's is (docs/protocol.md §8.2).
    const long = 'n'.repeat(2000);
    const bounded = thrown(() => decodeJson(Schema, `{"${long}":1,"${long}":1}`));
    expect(bounded.errors[0]?.field.length).toBe(512);
  });

  it('refuses a body nested deeper than the scanner follows', () => {
    const deep = `{"a":1,"b":${'['.repeat(80)}${']'.repeat(80)}}`;
    expect(thrown(() => decodeJson(Schema, deep)).code).toBe('MALFORMED_JSON');
  });

  it('decodes an object body', () => {
    expect(decodeJson(Schema, '{"a":2,"b":[]}')).toEqual({ a: 2, b: [] });
    expect(thrown(() => decodeJson(Schema, '{"a":2}')).errors[0]).toMatchObject({
      field: 'b',
      code: 'required',
    });
  });
});

describe('encodeMessage', () => {
  it('refuses to encode an invalid message and round-trips a valid one', () => {
    expect(thrown(() => encodeMessage(Schema, { a: -1, b: [] })).code).toBe('VALIDATION_FAILED');
    const text = encodeMessage(Schema, { a: 3, b: ['x', 'y'] });
    expect(decodeJson(Schema, text)).toEqual({ a: 3, b: ['x', 'y'] });
  });
});
