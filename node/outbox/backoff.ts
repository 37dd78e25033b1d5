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
