/**
 * What the hub's public log page shows of the log's history (hub/pages, docs/hub.md "Public
 * pages"): the size the log had reached at the end of each day, from the checkpoints the hub
 * signed, and the latest cosignature each witness submitted. Both are aggregates over tables
 * that grow with time, so each read is bounded: one row per day asked for, one per witness.
 */
import { desc, eq, gte, max, sql } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { logCheckpoints, logCosignatures } from './tlog.table.js';

/** The log's size at the last checkpoint of a UTC day. */
export interface DailySize {
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  readonly size: number;
}

/** A witness's newest cosignature, whatever checkpoint it cosigned. */
export interface WitnessLatest {
  readonly ori: string;
  /** The largest checkpoint size it cosigned. */
  readonly size: number;
  /** Its newest cosignature's own timestamp (POSIX seconds). */
  readonly timestamp: number;
}

/** One witness's cosignature of one checkpoint. */
export interface CheckpointCosignature {
  readonly ori: string;
  readonly keyName: string;
  /** The witness's own timestamp (POSIX seconds). */
  readonly timestamp: number;
}

export function logStatusRepository(db: HubDatabase) {
  return {
    /** The cosignatures kept for the checkpoint of `size`, by ORI, at most `limit`. */
    async cosignaturesOf(size: number, limit: number): Promise<CheckpointCosignature[]> {
      return db
        .select({
          ori: logCosignatures.ori,
          keyName: logCosignatures.keyName,
          timestamp: logCosignatures.timestamp,
        })
        .from(logCosignatures)
        .where(eq(logCosignatures.size, size))
        .orderBy(logCosignatures.ori)
        .limit(limit);
    },

    /** Per UTC day from `since` on, the largest checkpoint size issued that day; oldest first. */
    async dailySizes(since: Date): Promise<DailySize[]> {
      const day = sql<string>`to_char(${logCheckpoints.issuedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
      const rows = await db
        .select({ day, size: max(logCheckpoints.size) })
        .from(logCheckpoints)
        .where(gte(logCheckpoints.issuedAt, since))
        .groupBy(day)
        .orderBy(day);
      return rows.map((r) => ({ day: r.day, size: Number(r.size ?? 0) }));
    },

    /** Every witness that ever cosigned, with its newest cosignature; by ORI. */
    async witnesses(limit: number): Promise<WitnessLatest[]> {
      const rows = await db
        .select({
          ori: logCosignatures.ori,
          size: max(logCosignatures.size),
          timestamp: max(logCosignatures.timestamp),
        })
        .from(logCosignatures)
        .groupBy(logCosignatures.ori)
        .orderBy(desc(max(logCosignatures.size)), logCosignatures.ori)
        .limit(limit);
      return rows.map((r) => ({
        ori: r.ori,
        size: Number(r.size ?? 0),
        timestamp: Number(r.timestamp ?? 0),
      }));
    },
  };
}

export type LogStatusRepository = ReturnType<typeof logStatusRepository>;
