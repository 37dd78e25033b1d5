/**
 * Replay protection for request tokens (docs/protocol.md §7.6): a
 * verifier remembers every accepted (issuer, jti) until the token could no longer
 * be accepted anyway (exp + clock skew), and refuses a second sighting.
 */

export interface ReplayEntry {
  readonly issuer: string;
  readonly jti: string;
  /** NumericDate after which the entry may be forgotten (the token's exp + skew). */
  readonly expiresAt: number;
  /** The verifier's current time, NumericDate; lets implementations prune. */
  readonly now: number;
}

/**
 * Atomic check-and-remember. Returns true when (issuer, jti) was not seen before
 * (and is now remembered until expiresAt), false when it is a replay. A shared
 * store (database, several hub replicas) must make this a single atomic step,
 * e.g. INSERT … ON CONFLICT DO NOTHING and test the row count.
 */
export interface ReplayCache {
  checkAndRemember(entry: ReplayEntry): boolean | Promise<boolean>;
}

/**
 * In-process replay cache for a single verifier instance. Pure: it reads no clock
 * and sets no timer; it forgets entries using the `now` it is given. Memory is
 * bounded by the accepted request rate times the acceptance window (max lifetime
 * plus skew), which per-party rate limits bound in turn.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #entries = new Map<string, number>();
  /** Earliest expiresAt held: nothing needs pruning before then. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  checkAndRemember({ issuer, jti, expiresAt, now }: ReplayEntry): boolean {
    this.prune(now);
    // JSON array: an unambiguous key whatever characters issuer and jti contain.
    const key = JSON.stringify([issuer, jti]);
    if (this.#entries.has(key)) return false;
    this.#entries.set(key, expiresAt);
    if (expiresAt < this.#nextExpiry) this.#nextExpiry = expiresAt;
    return true;
  }

  /** Forgets every entry whose expiresAt is at or before `now`. */
  prune(now: number): void {
    if (now < this.#nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of this.#entries) {
      if (expiresAt <= now) this.#entries.delete(key);
      else if (expiresAt < next) next = expiresAt;
    }
    this.#nextExpiry = next;
  }

  get size(): number {
    return this.#entries.size;
  }
}
