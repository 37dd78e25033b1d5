import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './encoding.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An independent strict decoder: jose's codec, canonical when it re-encodes to the input. */
function reference(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = base64url.decode(text);
  return base64url.encode(bytes) === text ? bytes : undefined;
}

describe('base64url', () => {
  it('round-trips bytes without padding', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const text = toBase64url(bytes);
    expect(text).not.toContain('=');
    expect(fromBase64url(text)).toEqual(bytes);
  });

  it('rejects padding, standard-alphabet characters and whitespace', () => {
    expect(fromBase64url('AQ==')).toBeUndefined();
    expect(fromBase64url('a+b/')).toBeUndefined();
    expect(fromBase64url('AQ B')).toBeUndefined();
  });

  it('rejects non-canonical trailing bits so each value has one spelling', () => {
    expect(fromBase64url('AQ')).toEqual(new Uint8Array([1]));
    expect(fromBase64url('AR')).toBeUndefined();
  });

  it('rejects impossible lengths', () => {
    expect(fromBase64url('A')).toBeUndefined();
  });

  it('decodes every 1-, 2- and 3-character tail exactly as an independent strict decoder', () => {
    const same = (x: Uint8Array | undefined, y: Uint8Array | undefined) =>
      x === undefined || y === undefined
        ? x === y
        : x.length === y.length && x.every((v, i) => v === y[i]);
    const disagreements: string[] = [];
    for (const a of ALPHABET) {
      for (const b of ALPHABET) {
        for (const c of ['', ...ALPHABET]) {
          for (const text of [`QUJD${a}`, `QUJD${a}${b}${c}`]) {
            if (!same(fromBase64url(text), reference(text))) disagreements.push(text);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('encodes any view of a buffer as the reference does', () => {
    const whole = Uint8Array.from({ length: 80 }, (_, i) => (i * 37) & 255);
    for (let start = 0; start < 5; start++) {
      for (let end = start; end < whole.length; end += 7) {
        const view = whole.subarray(start, end);
        expect(toBase64url(view)).toBe(base64url.encode(view));
      }
    }
  });
});
