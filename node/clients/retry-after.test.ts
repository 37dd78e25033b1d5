import { describe, expect, it } from 'vitest';
import { isRetryableStatus } from './client-error.js';
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from './retry-after.js';

const now = new Date('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds as whole seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an IMF-fixdate relative to the injected clock', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:01:30 GMT', now)).toBe(90);
  });

  it('reads the obsolete RFC 850 and asctime forms that RFC 9110 requires recipients to accept', () => {
    expect(parseRetryAfter('Saturday, 01-Mar-25 12:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Sat Mar  1 12:00:20 2025', now)).toBe(20);
  });

  it('treats a date in the past as "retry now"', () => {
    expect(parseRetryAfter('Fri, 28 Feb 2025 12:00:00 GMT', now)).toBe(0);
  });

  it('caps a hostile delay at one day', () => {
    expect(parseRetryAfter('9999999999', now)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter('Sat, 01 Mar 2125 12:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('ignores absent and malformed values', () => {
    for (const v of [null, undefined, '', '-5', '1.5', 'soon', '2025-03-01T12:00:00Z']) {
      expect(parseRetryAfter(v, now)).toBeUndefined();
    }
  });
});

describe('isRetryableStatus', () => {
  it('retries overload and server faults but not faults of the request', () => {
    const retryable = [408, 429, 500, 502, 503, 504, 599];
    const final = [400, 401, 403, 404, 409, 413, 415, 422, 501, 505, 302, 200];
    expect(retryable.filter(isRetryableStatus)).toEqual(retryable);
    expect(final.filter(isRetryableStatus)).toEqual([]);
  });
});
