import { describe, expect, it } from 'vitest';
import { seededRng } from '../clients/test-support/deterministic.js';
import { AGENCY_REFUSAL_MIN_BACKOFF_MS, agencyRefusalDelayMs, backoffDelayMs } from './backoff.js';

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

describe('agencyRefusalDelayMs', () => {
  it('waits at least the minimum, doubles, and stops at the policy cap', () => {
    const rng = seededRng('agency');
    const waits = [1, 2, 3, 10].map((attempts) => agencyRefusalDelayMs(attempts, policy, rng));
    const hour = { baseBackoffMs: 2_000, maxBackoffMs: 3_600_000 };
    for (let attempts = 1; attempts < 12; attempts++) {
      for (let i = 0; i < 20; i++) {
        const wait = agencyRefusalDelayMs(attempts, hour, rng);
        expect(wait).toBeGreaterThanOrEqual(AGENCY_REFUSAL_MIN_BACKOFF_MS);
        expect(wait).toBeLessThanOrEqual(
          Math.min(2 ** attempts * AGENCY_REFUSAL_MIN_BACKOFF_MS, 3_600_000),
        );
      }
    }
    // A policy capped below the minimum (here one minute) does not shorten it.
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(AGENCY_REFUSAL_MIN_BACKOFF_MS);
      expect(wait).toBeLessThanOrEqual(2 * AGENCY_REFUSAL_MIN_BACKOFF_MS);
    }
  });

  it('never retries sooner than Retry-After', () => {
    expect(agencyRefusalDelayMs(1, policy, seededRng('ra'), 7200)).toBe(7_200_000);
  });
});
