/** The node's monitoring enrollments and notices (monitoring.table.ts). */
import { and, asc, count, eq, inArray, min, sql } from 'drizzle-orm';
import type { NodeDatabase } from './database.js';
import { inboxMessages } from './inbox.table.js';
import { monitoringEnrollments, monitoringNotices } from './monitoring.table.js';

export type EnrollmentRow = typeof monitoringEnrollments.$inferSelect;
export type NewEnrollmentRow = Omit<EnrollmentRow, 'state' | 'expiresAt'>;
export type MonitoringNoticeRow = typeof monitoringNotices.$inferSelect;

const CHUNK = 1000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

export function monitoringRepository(db: NodeDatabase) {
  return {
    async all(): Promise<EnrollmentRow[]> {
      return db
        .select()
        .from(monitoringEnrollments)
        .orderBy(asc(monitoringEnrollments.officerId), asc(monitoringEnrollments.hubIndex));
    },

    /**
     * Marks the enrolled rows of `officerIds` for removal and records `fresh` (the officers'
     * current indexes), in one transaction: the next hub request removes what is gone.
     */
    async replace(
      staleOfficerIds: readonly number[],
      fresh: readonly NewEnrollmentRow[],
    ): Promise<void> {
      await db.transaction(async (tx) => {
        for (const part of chunks(staleOfficerIds)) {
          await tx
            .update(monitoringEnrollments)
            .set({ state: 'removing' })
            .where(inArray(monitoringEnrollments.officerId, part));
        }
        for (const part of chunks(fresh)) {
          await tx
            .insert(monitoringEnrollments)
            .values(part.map((r) => ({ ...r, state: 'enrolled', expiresAt: null })))
            .onConflictDoUpdate({
              target: [monitoringEnrollments.officerId, monitoringEnrollments.hubIndex],
              set: {
                state: 'enrolled',
                kind: sql`excluded.kind`,
                epoch: sql`excluded.epoch`,
                tokenizedAt: sql`excluded.tokenized_at`,
                employeeId: sql`excluded.employee_id`,
              },
            });
        }
      });
    },

    /** Marks every row for removal (monitoring turned off). */
    async removeAll(): Promise<void> {
      await db.update(monitoringEnrollments).set({ state: 'removing' });
    },

    /** The hub told us when these indexes lapse. */
    async enrolled(indexes: readonly string[], expiresAt: Date): Promise<void> {
      for (const part of chunks(indexes)) {
        await db
          .update(monitoringEnrollments)
          .set({ expiresAt })
          .where(
            and(
              inArray(monitoringEnrollments.hubIndex, part),
              eq(monitoringEnrollments.state, 'enrolled'),
            ),
          );
      }
    },

    /** Deletes `removing` rows of `indexes` (removed at the hub, or still enrolled for another officer). */
    async removed(indexes: readonly string[]): Promise<void> {
      for (const part of chunks(indexes)) {
        await db
          .delete(monitoringEnrollments)
          .where(
            and(
              inArray(monitoringEnrollments.hubIndex, part),
              eq(monitoringEnrollments.state, 'removing'),
            ),
          );
      }
    },

    /** Employee ids of the officers enrolled under `indexes` (removing ones included). */
    async employeesOf(indexes: readonly string[]): Promise<string[]> {
      if (indexes.length === 0) return [];
      const rows = await db
        .selectDistinct({ employeeId: monitoringEnrollments.employeeId })
        .from(monitoringEnrollments)
        .where(inArray(monitoringEnrollments.hubIndex, [...indexes]))
        .orderBy(monitoringEnrollments.employeeId);
      return rows.map((r) => r.employeeId);
    },

    async summary(): Promise<{
      officers: number;
      indexes: number;
      unacknowledged: number;
      removing: number;
      nextExpiry: Date | null;
    }> {
      const [row] = await db
        .select({
          officers: sql<number>`count(distinct ${monitoringEnrollments.officerId}) filter (where ${monitoringEnrollments.state} = 'enrolled')`,
          indexes: sql<number>`count(distinct ${monitoringEnrollments.hubIndex}) filter (where ${monitoringEnrollments.state} = 'enrolled')`,
          unacknowledged: sql<number>`count(*) filter (where ${monitoringEnrollments.state} = 'enrolled' and ${monitoringEnrollments.expiresAt} is null)`,
          removing: sql<number>`count(*) filter (where ${monitoringEnrollments.state} = 'removing')`,
          nextExpiry: min(monitoringEnrollments.expiresAt),
        })
        .from(monitoringEnrollments);
      return {
        officers: Number(row?.officers ?? 0),
        indexes: Number(row?.indexes ?? 0),
        unacknowledged: Number(row?.unacknowledged ?? 0),
        removing: Number(row?.removing ?? 0),
        nextExpiry: row?.nextExpiry ? new Date(row.nextExpiry) : null,
      };
    },

    async noticeByStatement(statementId: string): Promise<MonitoringNoticeRow | undefined> {
      const [row] = await db
        .select()
        .from(monitoringNotices)
        .where(eq(monitoringNotices.statementId, statementId))
        .limit(1);
      return row;
    },

    async notices(seqs: readonly number[]): Promise<Map<number, MonitoringNoticeRow>> {
      if (seqs.length === 0) return new Map();
      const rows = await db
        .select()
        .from(monitoringNotices)
        .where(inArray(monitoringNotices.seq, [...seqs]));
      return new Map(rows.map((r) => [r.seq, r]));
    },

    async countNotices(): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(monitoringNotices)
        .innerJoin(inboxMessages, eq(inboxMessages.seq, monitoringNotices.seq));
      return row?.n ?? 0;
    },
  };
}

export type MonitoringRepository = ReturnType<typeof monitoringRepository>;
