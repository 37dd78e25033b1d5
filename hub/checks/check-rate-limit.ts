/**
 * Per-agency rate limits on checks (design brief §10, the enumeration defence; docs/api.md
 * "Checks", docs/threat-model.md): a token bucket per checking agency, `perMinute` checks a
 * minute on average with bursts of up to `burst`. Pure: the clock is the caller's.
 *
 * The buckets live in the hub process: with R replicas behind a load balancer an agency's
 * ceiling is R times the limit (docs/threat-model.md says so). Only authenticated agencies get a
 * bucket, so their number is bounded by the registry.
 */

export interface CheckRateLimit {
  /** SPX_HUB_CHECK_RATE_PER_MINUTE: sustained checks per minute per agency. */
  readonly perMinute: number;
  /** SPX_HUB_CHECK_BURST: checks an idle agency may make at once. */
  readonly burst: number;
}

export type RateDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Whole seconds until the next check would be admitted (at least 1). */
      readonly retryAfterSeconds: number;
    };

/** Buckets kept before full ones (idle agencies) are dropped. */
const PRUNE_ABOVE = 10_000;

export function checkRateLimiter(limit: CheckRateLimit) {
  const perMs = limit.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function level(bucket: { tokens: number; at: number }, nowMs: number): number {
    const elapsed = Math.max(0, nowMs - bucket.at);
    return Math.min(limit.burst, bucket.tokens + elapsed * perMs);
  }

  function prune(nowMs: number): void {
    for (const [ori, bucket] of buckets) {
      if (level(bucket, nowMs) >= limit.burst) buckets.delete(ori);
    }
  }

  return {
    /** Takes one check from `ori`'s bucket at `nowMs`, or says how long to wait. */
    take(ori: string, nowMs: number): RateDecision {
      const bucket = buckets.get(ori);
      const tokens = bucket === undefined ? limit.burst : level(bucket, nowMs);
      if (tokens >= 1) {
        if (bucket === undefined && buckets.size >= PRUNE_ABOVE) prune(nowMs);
        buckets.set(ori, { tokens: tokens - 1, at: nowMs });
        return { ok: true };
      }
      buckets.set(ori, { tokens, at: nowMs });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
    },

    /** Gives back a check taken for a request that turned out not to count (a replay). */
    refund(ori: string): void {
      const bucket = buckets.get(ori);
      if (bucket !== undefined) bucket.tokens = Math.min(limit.burst, bucket.tokens + 1);
    },
  };
}

export type CheckRateLimiter = ReturnType<typeof checkRateLimiter>;
