/**
 * A replay cache for request tokens (docs/protocol.md §7.6) kept in the service's database, so
 * it holds across restarts and across replicas sharing one PostgreSQL. A service includes
 * `requestReplay` in its drizzle schema (re-export it from the schema file) to get the table.
 */
import { and, lt, sql, type SQL } from 'drizzle-orm';
import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { ReplayCache, ReplayEntry } from '../../crypto/request-auth/replay-cache.js';
import type { Database } from './database.js';

export const requestReplay = pgTable(
  'request_replay',
  {
    issuer: text('issuer').notNull(),
    jti: text('jti').notNull(),
    /** NumericDate after which the row may be deleted. */
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.jti] })],
);

/** Deletes expired rows at most once per this many seconds (per process). */
const PRUNE_INTERVAL_SECONDS = 60;

/**
 * Single use as part of a larger statement (a `WITH` member): claims (issuer, jti) — inserts
 * it, or takes over a row left by an expired token — and returns one row (`claimed`) when the
 * token is fresh, none when it is a replay. Atomic like `checkAndRemember`: of two replicas
 * racing on one jti, the second waits for the first's row and then finds it unexpired. With
 * `when`, only claims when that condition holds (no row otherwise, as for a replay).
 */
export function replayClaim({ issuer, jti, expiresAt, now }: ReplayEntry, when?: SQL): SQL {
  // `when`: a condition of the enclosing statement; when false nothing is claimed (no row).
  const condition = when === undefined ? sql`` : sql` where ${when}`;
  return sql`insert into ${requestReplay} (issuer, jti, expires_at)
    select ${issuer}::text, ${jti}::text, ${expiresAt}::bigint${condition}
    on conflict (issuer, jti) do update set expires_at = excluded.expires_at
      where request_replay.expires_at < ${now}::bigint
    returning 1 as claimed`;
}

export class DatabaseReplayCache implements ReplayCache {
  #lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Database<{ requestReplay: typeof requestReplay }>) {}

  /** Deletes expired rows, at most once a minute per process (what every claim runs first). */
  async pruneIfDue(now: number): Promise<void> {
    if (now - this.#lastPrune < PRUNE_INTERVAL_SECONDS) return;
    this.#lastPrune = now;
    await this.db.delete(requestReplay).where(lt(requestReplay.expiresAt, now));
  }

  async checkAndRemember({ issuer, jti, expiresAt, now }: ReplayEntry): Promise<boolean> {
    await this.pruneIfDue(now);
    // One atomic statement: of two replicas racing on the same jti, exactly one inserts.
    const inserted = await this.db
      .insert(requestReplay)
      .values({ issuer, jti, expiresAt })
      .onConflictDoNothing()
      .returning({ jti: requestReplay.jti });
    if (inserted.length === 1) return true;
    // A row left over from an expired token that pruning has not reached yet is no replay.
    const revived = await this.db
      .update(requestReplay)
      .set({ expiresAt })
      .where(
        and(
          sql`${requestReplay.issuer} = ${issuer}`,
          sql`${requestReplay.jti} = ${jti}`,
          lt(requestReplay.expiresAt, now),
        ),
      )
      .returning({ jti: requestReplay.jti });
    return revived.length === 1;
  }
}
