import { describe, expect, it } from 'vitest';
import { MemoryReplayCache } from './replay-cache.js';

describe('MemoryReplayCache', () => {
  it('answers true the first time and false for a repeat', () => {
    const cache = new MemoryReplayCache();
    const entry = { issuer: 'VA0000001', jti: 'j1', expiresAt: 200, now: 100 };
    expect(cache.checkAndRemember(entry)).toBe(true);
    expect(cache.checkAndRemember({ ...entry, now: 150 })).toBe(false);
  });

  it('keys entries by issuer and jti together, without ambiguity', () => {
    const cache = new MemoryReplayCache();
    expect(cache.checkAndRemember({ issuer: 'a', jti: 'b"c', expiresAt: 200, now: 100 })).toBe(
      true,
    );
    expect(cache.checkAndRemember({ issuer: 'a"', jti: 'bc', expiresAt: 200, now: 100 })).toBe(
      true,
    );
    expect(cache.checkAndRemember({ issuer: 'b', jti: 'b"c', expiresAt: 200, now: 100 })).toBe(
      true,
    );
    expect(cache.size).toBe(3);
  });

  it('forgets entries once the time it is given reaches their expiry', () => {
    const cache = new MemoryReplayCache();
    cache.checkAndRemember({ issuer: 'i', jti: 'early', expiresAt: 150, now: 100 });
    cache.checkAndRemember({ issuer: 'i', jti: 'late', expiresAt: 300, now: 100 });
    cache.prune(149);
    expect(cache.size).toBe(2);
    cache.prune(150);
    expect(cache.size).toBe(1);
    expect(cache.checkAndRemember({ issuer: 'i', jti: 'late', expiresAt: 300, now: 299 })).toBe(
      false,
    );
    expect(cache.checkAndRemember({ issuer: 'i', jti: 'x', expiresAt: 400, now: 300 })).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('does not let time going backwards resurrect or drop entries', () => {
    const cache = new MemoryReplayCache();
    cache.checkAndRemember({ issuer: 'i', jti: 'j', expiresAt: 150, now: 100 });
    cache.prune(50);
    expect(cache.size).toBe(1);
    expect(cache.checkAndRemember({ issuer: 'i', jti: 'j', expiresAt: 150, now: 60 })).toBe(false);
  });
});
