/**
 * The node's view of the hub's log (log.table.ts): verified checkpoints, where our statements
 * are, alerts. Advancing the last verified checkpoint is compare-and-set under a transaction
 * advisory lock: two verifiers (the monitor, the outbox, a check) that each proved consistency
 * with the same old checkpoint must not both store their new one, since two checkpoints that
 * each extend an older one need not extend each other.
 */
import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { attestations } from './attestations.table.js';
import type { NodeDatabase } from './database.js';
import { attestationLog, logAlerts, logCheckpoints } from './tlog.table.js';
import { nodeSettings } from './settings.table.js';
import { settingsRepository } from './settings.repository.js';

export type StoredCheckpoint = typeof logCheckpoints.$inferSelect;
export type StoredAlert = typeof logAlerts.$inferSelect;

export interface NewCheckpoint {
  readonly size: number;
  readonly origin: string;
  readonly root: string;
  readonly note: string;
  readonly source: 'monitor' | 'receipt' | 'answer';
}

export interface NewAlert {
  readonly code: string;
  readonly key: string;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A statement whose inclusion is to be proved again, with our own copy of it. */
export interface TrackedStatement {
  readonly attestationId: string;
  readonly logIndex: number;
  readonly salt: string;
  readonly jws: string;
  readonly verifiedSize: number;
}

/** Serializes advances of the last verified checkpoint (any constant; ours spells "spxlog"). */
const ADVANCE_LOCK = 0x7370786c6f67;
const ORIGIN_SETTING = 'log.origin';
const LAST_RUN_SETTING = 'log.last_run';

export function logRepository(db: NodeDatabase) {
  const settings = settingsRepository(db);
  const latestQuery = (q: NodeDatabase) =>
    q.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);

  return {
    async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
      const [row] = await latestQuery(db);
      return row;
    },

    async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
      const [row] = await db.select().from(logCheckpoints).where(eq(logCheckpoints.size, size));
      return row;
    },

    /**
     * Stores `checkpoint` as the new last verified one if the last verified one is still of
     * `expectedSize` (null: none yet); otherwise stores nothing and returns false, and the
     * caller verifies again against the newer one.
     */
    async advance(
      checkpoint: NewCheckpoint,
      expectedSize: number | null,
      now: Date,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${ADVANCE_LOCK}::bigint)`);
        const [latest] = await latestQuery(tx);
        if ((latest?.size ?? null) !== expectedSize) return false;
        if (latest !== undefined && checkpoint.size <= latest.size) return false;
        await tx.insert(logCheckpoints).values({ ...checkpoint, verifiedAt: now });
        return true;
      });
    },

    /** The pinned-on-first-use origin, if any. */
    async origin(): Promise<string | undefined> {
      const value = await settings.get(ORIGIN_SETTING);
      return typeof value === 'string' ? value : undefined;
    },

    /** Records the first-seen origin; returns the origin in force (an earlier one wins). */
    async trustOrigin(origin: string, now: Date): Promise<string> {
      await db
        .insert(nodeSettings)
        .values({ key: ORIGIN_SETTING, value: origin, updatedAt: now })
        .onConflictDoNothing({ target: nodeSettings.key });
      return ((await settings.get(ORIGIN_SETTING)) as string | undefined) ?? origin;
    },

    async lastRun(): Promise<unknown> {
      return settings.get(LAST_RUN_SETTING);
    },

    async setLastRun(run: Record<string, unknown>, now: Date): Promise<void> {
      await settings.set(LAST_RUN_SETTING, run, now);
    },

    /** Where a statement sits and the size at which that was proved (a receipt, a pass). */
    async recordInclusion(
      attestationId: string,
      logIndex: number,
      salt: string,
      verifiedSize: number,
      now: Date,
    ): Promise<void> {
      const values = { logIndex, salt, verifiedSize, verifiedAt: now };
      await db
        .insert(attestationLog)
        .values({ attestationId, ...values })
        .onConflictDoUpdate({ target: attestationLog.attestationId, set: values });
    },

    /** Statements last proved below `size`, least recently proved first. */
    async statementsBelow(size: number, limit: number): Promise<TrackedStatement[]> {
      return db
        .select({
          attestationId: attestationLog.attestationId,
          logIndex: attestationLog.logIndex,
          salt: attestationLog.salt,
          verifiedSize: attestationLog.verifiedSize,
          jws: attestations.jws,
        })
        .from(attestationLog)
        .innerJoin(attestations, eq(attestations.id, attestationLog.attestationId))
        .where(lt(attestationLog.verifiedSize, size))
        .orderBy(asc(attestationLog.verifiedSize), asc(attestationLog.logIndex))
        .limit(limit);
    },

    async markProved(ids: readonly string[], size: number, now: Date): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(attestationLog)
        .set({ verifiedSize: size, verifiedAt: now })
        .where(
          and(
            inArray(attestationLog.attestationId, [...ids]),
            lt(attestationLog.verifiedSize, size),
          ),
        );
    },

    async inclusionCounts(size: number): Promise<{ tracked: number; provedAtSize: number }> {
      const [all] = await db.select({ n: count() }).from(attestationLog);
      const [proved] = await db
        .select({ n: count() })
        .from(attestationLog)
        .where(sql`${attestationLog.verifiedSize} >= ${size}`);
      return { tracked: all?.n ?? 0, provedAtSize: proved?.n ?? 0 };
    },

    /** Opens an alert, or counts a repeat of the open one with the same key. */
    async raiseAlert(alert: NewAlert, now: Date): Promise<StoredAlert> {
      const [row] = await db
        .insert(logAlerts)
        .values({
          code: alert.code,
          alertKey: alert.key,
          message: alert.message,
          detail: { ...alert.detail },
          at: now,
          lastAt: now,
        })
        .onConflictDoUpdate({
          target: logAlerts.alertKey,
          targetWhere: isNull(logAlerts.resolvedAt),
          set: {
            count: sql`${logAlerts.count} + 1`,
            lastAt: now,
            message: alert.message,
            detail: { ...alert.detail },
          },
        })
        .returning();
      return row!;
    },

    async openAlerts(limit = 100): Promise<StoredAlert[]> {
      return db
        .select()
        .from(logAlerts)
        .where(isNull(logAlerts.resolvedAt))
        .orderBy(desc(logAlerts.lastAt), desc(logAlerts.id))
        .limit(limit);
    },

    /** Closes one open alert; false when there is no such open alert. */
    async resolveAlert(id: number, now: Date): Promise<boolean> {
      const rows = await db
        .update(logAlerts)
        .set({ resolvedAt: now })
        .where(and(eq(logAlerts.id, id), isNull(logAlerts.resolvedAt)))
        .returning({ id: logAlerts.id });
      return rows.length > 0;
    },

    /** Closes every open alert with one of `codes`; returns how many. */
    async resolveCodes(codes: readonly string[], now: Date): Promise<number> {
      if (codes.length === 0) return 0;
      const rows = await db
        .update(logAlerts)
        .set({ resolvedAt: now })
        .where(and(inArray(logAlerts.code, [...codes]), isNull(logAlerts.resolvedAt)))
        .returning({ id: logAlerts.id });
      return rows.length;
    },
  };
}

export type LogRepository = ReturnType<typeof logRepository>;
