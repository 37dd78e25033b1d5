import { describe, expect, it } from 'vitest';
import { formatAuthorization, parseAuthorization } from './authorization-header.js';

const token = 'eyJhbGciOiJFZDI1NTE5In0.eyJhIjoxfQ.c2lnbmF0dXJl';

describe('Authorization: SPX <token>', () => {
  it('round-trips a token', () => {
    expect(formatAuthorization(token)).toBe(`SPX ${token}`);
    expect(parseAuthorization(formatAuthorization(token))).toEqual({ ok: true, value: token });
  });

  it('reads the scheme case-insensitively and tolerates surrounding whitespace', () => {
    expect(parseAuthorization(`spx ${token}`)).toEqual({ ok: true, value: token });
    expect(parseAuthorization(` \tSpx   ${token}\t`)).toEqual({ ok: true, value: token });
  });

  it('reports a missing header, or credentials of another scheme, as AUTH_MISSING', () => {
    for (const value of [
      undefined,
      null,
      '',
      '   ',
      `Bearer ${token}`,
      `DPoP ${token}`,
      'SPXX a',
    ]) {
      expect(parseAuthorization(value)).toEqual({ ok: false, error: { code: 'AUTH_MISSING' } });
    }
  });

  it('reports SPX credentials that are not one token as AUTH_MALFORMED', () => {
    for (const value of [
      'SPX',
      'SPX ',
      `SPX ${token} extra`,
      `SPX ${token},SPX ${token}`,
      'SPX a"b',
    ]) {
      expect(parseAuthorization(value)).toEqual({ ok: false, error: { code: 'AUTH_MALFORMED' } });
    }
  });
});
