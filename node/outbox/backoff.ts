/**
 * Retry timing for the outbox: exponential backoff with "equal jitter" (half the delay fixed,
 * half random), so that many nodes failing at once do not come back at once, and never sooner
 * than the service asked with Retry-After (RFC 9110 §10.2.3).
 */
export interface BackoffPolicy {
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** A uniform number in [0, 1) from the injected randomness. */
export function unitInterval(rng: (n: number) => Uint8Array): number {
  const b = rng(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** 32;
}

/**
 * Delay before attempt `attempts + 1`, after `attempts` (≥ 1) have failed:
 * d = min(max, base · 2^(attempts−1)); wait d/2 + U·d/2; at least Retry-After.
 */
export function backoffDelayMs(
  attempts: number,
  policy: BackoffPolicy,
  rng: (n: number) => Uint8Array,
  retryAfterSeconds?: number,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** exponent);
  const jittered = Math.round(delay / 2 + (unitInterval(rng) * delay) / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

/**
 * The shortest wait after the hub refused the agency or the request rather than a statement
 * (an expired or unknown request key, a suspension, a missing role: docs/node.md "Outbox").
 * Such a refusal lasts until a person or the clock fixes it, so asking again every few seconds
 * only fills both logs; a quarter of an hour still resumes delivery soon after the fix.
 */
export const AGENCY_REFUSAL_MIN_BACKOFF_MS = 15 * 60_000;

/**
 * Delay after a refusal of the agency: the same doubling and equal jitter from a base of twice
 * the minimum (so never less than AGENCY_REFUSAL_MIN_BACKOFF_MS), capped at the policy's
 * `maxBackoffMs` — or at that base when the policy's cap is shorter — and never sooner than
 * Retry-After.
 */
export function agencyRefusalDelayMs(
  attempts: number,
  policy: BackoffPolicy,
  rng: (n: number) => Uint8Array,
  retryAfterSeconds?: number,
): number {
  const base = 2 * AGENCY_REFUSAL_MIN_BACKOFF_MS;
  return backoffDelayMs(
    attempts,
    { baseBackoffMs: base, maxBackoffMs: Math.max(policy.maxBackoffMs, base) },
    rng,
    retryAfterSeconds,
  );
}
