import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './encoding.js';

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
});
