import { describe, expect, it } from 'vitest';
import { seededRng } from '../clients/test-support/deterministic.js';
import { backoffDelayMs } from './backoff.js';

const policy = { baseBackoffMs: 1000, maxBackoffMs: 60_000 };

describe('backoffDelayMs', () => {
  it('doubles per attempt within [d/2, d] and stops growing at the cap', () => {
    const rng = seededRng('backoff');
    for (const [attempts, d] of [
      [1, 1000],
      [2, 2000],
      [4, 8000],
      [7, 60_000],
      [40, 60_000],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const wait = backoffDelayMs(attempts, policy, rng);
        expect(wait).toBeGreaterThanOrEqual(d / 2);
        expect(wait).toBeLessThanOrEqual(d);
      }
    }
  });

  it('spreads retries with the injected randomness', () => {
    const rng = seededRng('spread');
    const waits = new Set(Array.from({ length: 20 }, () => backoffDelayMs(5, policy, rng)));
    expect(waits.size).toBeGreaterThan(10);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelayMs(1, policy, seededRng('ra'), 120)).toBe(120_000);
  });
});
