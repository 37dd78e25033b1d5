/**
 * Per-agency daily quotas of evaluated elements (docs/keyholder.md "Quotas"). The only trace an
 * evaluation leaves: (agency ORI, UTC day, count).
 *
 * `consume` is ONE statement that checks and increments together, so that concurrent requests —
 * on one keyholder or on replicas sharing a PostgreSQL — can never together go over the
 * allowance:
 *
 *   INSERT INTO quota_usage (agency_ori, day, evaluated)
 *     SELECT $ori, $day, $n WHERE $n <= <limit>
 *   ON CONFLICT (agency_ori, day) DO UPDATE SET evaluated = quota_usage.evaluated + excluded.evaluated
 *     WHERE quota_usage.evaluated + excluded.evaluated <= <limit>
 *   RETURNING evaluated
 *
 * with <limit> = the agency's allowance, else the configured default. On a conflict PostgreSQL
 * locks the existing row and evaluates the WHERE against its latest committed version
 * (PostgreSQL manual, INSERT "ON CONFLICT DO UPDATE": "atomic … outcome"), so two racing
 * requests see each other's increments. No row returned means "over the limit".
 */
import { and, eq, sql } from 'drizzle-orm';
import type { KeyholderDatabase } from './key-repository.js';
import * as tables from './schema.js';

export type QuotaDecision =
  | { readonly ok: true; readonly used: number }
  | { readonly ok: false; readonly limit: number; readonly used: number };

/** The UTC calendar day of `now`, `YYYY-MM-DD`: quotas reset at 00:00 UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whole seconds from `now` to the next 00:00 UTC (at least 1), for Retry-After. */
export function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

export function quotaRepository(db: KeyholderDatabase) {
  const { quotaUsage: usage, quotaAllowances: allowances } = tables;

  function limitFor(ori: string, defaultDaily: number) {
    return sql`coalesce((select ${allowances.daily} from ${allowances} where ${allowances.agencyOri} = ${ori}), ${defaultDaily}::integer)`;
  }

  async function used(ori: string, day: string): Promise<number> {
    const [row] = await db
      .select({ evaluated: usage.evaluated })
      .from(usage)
      .where(and(eq(usage.agencyOri, ori), eq(usage.day, day)));
    return row?.evaluated ?? 0;
  }

  async function allowance(ori: string): Promise<number | undefined> {
    const [row] = await db
      .select({ daily: allowances.daily })
      .from(allowances)
      .where(eq(allowances.agencyOri, ori));
    return row?.daily;
  }

  return {
    /** Adds `count` to the agency's usage of `day` if that stays within its limit. */
    async consume(
      ori: string,
      day: string,
      count: number,
      defaultDaily: number,
    ): Promise<QuotaDecision> {
      const limit = limitFor(ori, defaultDaily);
      const rows = await db
        .insert(usage)
        .select(
          sql`select ${ori}::text, ${day}::date, ${count}::integer where ${count}::integer <= ${limit}`,
        )
        .onConflictDoUpdate({
          target: [usage.agencyOri, usage.day],
          set: { evaluated: sql`${usage.evaluated} + excluded.evaluated` },
          setWhere: sql`${usage.evaluated} + excluded.evaluated <= ${limit}`,
        })
        .returning({ evaluated: usage.evaluated });
      if (rows[0] !== undefined) return { ok: true, used: rows[0].evaluated };
      // Refused: read the figures for the operator's log line and the problem detail.
      return {
        ok: false,
        limit: (await allowance(ori)) ?? defaultDaily,
        used: await used(ori, day),
      };
    },

    /**
     * Gives back `count` elements consumed on `day` for a batch that was never answered (its
     * evaluation failed): the agency got nothing for them. Never below zero.
     */
    async refund(ori: string, day: string, count: number): Promise<void> {
      await db
        .update(usage)
        .set({ evaluated: sql`greatest(${usage.evaluated} - ${count}::integer, 0)` })
        .where(and(eq(usage.agencyOri, ori), eq(usage.day, day)));
    },

    used,
    allowance,

    /** Sets the agency's own daily allowance (replacing the default for it). */
    async setAllowance(ori: string, daily: number, now: Date): Promise<void> {
      await db
        .insert(allowances)
        .values({ agencyOri: ori, daily, updatedAt: now })
        .onConflictDoUpdate({ target: allowances.agencyOri, set: { daily, updatedAt: now } });
    },

    /** Returns the agency to the default allowance; false when it had none of its own. */
    async clearAllowance(ori: string): Promise<boolean> {
      const rows = await db
        .delete(allowances)
        .where(eq(allowances.agencyOri, ori))
        .returning({ ori: allowances.agencyOri });
      return rows.length > 0;
    },
  };
}

export type QuotaRepository = ReturnType<typeof quotaRepository>;
