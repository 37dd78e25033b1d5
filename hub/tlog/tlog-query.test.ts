import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../crypto/encoding.js';
import { ProtocolError } from '../../protocol/decode.js';
import {
  parseConsistencyQuery,
  parseEntriesQuery,
  parseInclusionQuery,
  parseSizeParam,
  type QueryParams,
} from './tlog-query.js';

const q = (params: Record<string, string | string[]>): QueryParams =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

/** `field: code` of the ProtocolError `fn` throws. */
function refusal(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    expect(e.code).toBe('VALIDATION_FAILED');
    return e.errors.map((x) => `${x.field}: ${x.code}`);
  }
  throw new Error('expected a refusal');
}

const HASH = toBase64url(new Uint8Array(32).fill(7));

describe('inclusion proof query', () => {
  it('takes index and size, or leafHash and size', () => {
    expect(parseInclusionQuery(q({ index: '0', size: '10' }), 10)).toEqual({
      by: 'index',
      index: 0,
      size: 10,
    });
    expect(parseInclusionQuery(q({ leafHash: HASH, size: '3' }), 10)).toEqual({
      by: 'leafHash',
      leafHash: HASH,
      size: 3,
    });
  });

  it('names the parameter at fault', () => {
    const head = 10;
    const cases: [Record<string, string | string[]>, string][] = [
      [{ index: '1' }, 'size: required'],
      [{ size: '5' }, 'index: required'],
      [{ index: '-1', size: '5' }, 'index: invalid_format'],
      [{ index: '01', size: '5' }, 'index: invalid_format'],
      [{ index: '1e3', size: '5' }, 'index: invalid_format'],
      [{ index: '5', size: '5' }, 'index: too_big'],
      [{ index: '0', size: '11' }, 'size: too_big'],
      [{ index: '0', size: '0' }, 'size: too_small'],
      [{ index: '0', size: '99999999999999999' }, 'size: too_big'],
      [{ index: '0', leafHash: HASH, size: '5' }, 'leafHash: not_allowed'],
      [{ leafHash: 'not base64!', size: '5' }, 'leafHash: invalid_encoding'],
      [{ leafHash: toBase64url(new Uint8Array(31)), size: '5' }, 'leafHash: invalid_length'],
      [{ index: ['1', '2'], size: '5' }, 'index: duplicate'],
      [{ index: '1', size: '5', tree: 'x' }, 'tree: unknown_field'],
    ];
    for (const [params, expected] of cases) {
      expect(
        refusal(() => parseInclusionQuery(q(params), head)),
        JSON.stringify(params),
      ).toEqual([expected]);
    }
  });
});

describe('consistency proof query', () => {
  it('takes 1 ≤ from ≤ to ≤ the current size', () => {
    expect(parseConsistencyQuery(q({ from: '3', to: '7' }), 7)).toEqual({ from: 3, to: 7 });
    expect(parseConsistencyQuery(q({ from: '7', to: '7' }), 7)).toEqual({ from: 7, to: 7 });
    expect(refusal(() => parseConsistencyQuery(q({ from: '3', to: '8' }), 7))).toEqual([
      'to: too_big',
    ]);
    expect(refusal(() => parseConsistencyQuery(q({ from: '0', to: '7' }), 7))).toEqual([
      'from: too_small',
    ]);
    expect(refusal(() => parseConsistencyQuery(q({ from: '5', to: '4' }), 7))).toEqual([
      'from: too_big',
    ]);
    expect(refusal(() => parseConsistencyQuery(q({ to: '4' }), 7))).toEqual(['from: required']);
  });
});

describe('entries query', () => {
  it('takes a range of at most 1000 entries below the current size', () => {
    expect(parseEntriesQuery(q({ start: '0', end: '1000' }), 5000)).toEqual({
      start: 0,
      end: 1000,
    });
    expect(refusal(() => parseEntriesQuery(q({ start: '0', end: '1001' }), 5000))).toEqual([
      'end: too_big',
    ]);
    expect(refusal(() => parseEntriesQuery(q({ start: '3', end: '3' }), 5000))).toEqual([
      'start: too_big',
    ]);
    expect(refusal(() => parseEntriesQuery(q({ start: '0', end: '6' }), 5))).toEqual([
      'end: too_big',
    ]);
    expect(refusal(() => parseEntriesQuery(q({ start: 'x', end: '6' }), 5))).toEqual([
      'start: invalid_format',
    ]);
  });
});

describe('checkpoint size in the path', () => {
  it('is a decimal integer', () => {
    expect(parseSizeParam('0')).toBe(0);
    expect(parseSizeParam('42')).toBe(42);
    expect(refusal(() => parseSizeParam('042'))).toEqual(['size: invalid_format']);
    expect(refusal(() => parseSizeParam('latest'))).toEqual(['size: invalid_format']);
  });
});
