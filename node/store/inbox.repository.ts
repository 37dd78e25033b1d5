/** The node's inbox (inbox.table.ts): messages from the hub's mailbox and check corrections. */
import { desc, eq, inArray, lt } from 'drizzle-orm';
import type { Verdict } from '../../protocol/check-verdict.js';
import { checks } from './checks.table.js';
import type { NodeDatabase } from './database.js';
import { checkCorrections, inboxMessages } from './inbox.table.js';
import { monitoringNotices } from './monitoring.table.js';

export type InboxMessage = typeof inboxMessages.$inferSelect;
export type CheckCorrection = typeof checkCorrections.$inferSelect;
export type InboxOutcome =
  'applied' | 'no_change' | 'unknown_check' | 'unknown_officer' | 'refused' | 'unsupported';

/** A monitoring notice as stored with its message (monitoring.table.ts). */
export interface StoredNotice {
  readonly change: string;
  readonly statementId: string | null;
  readonly previousId: string | null;
  readonly issuer: string | null;
  readonly status: string | null;
  readonly category: string | null;
  readonly employeeIds: string[];
  readonly pastRetention: string | null;
}

export interface NewInboxMessage {
  readonly seq: number;
  readonly type: string;
  readonly createdAt: Date;
  readonly jws: string;
  readonly outcome: InboxOutcome;
  readonly detail: string | null;
}

export interface AppliedCorrection {
  readonly checkId: string;
  readonly attestationId: string;
  readonly currentId: string | null;
  readonly currentStatus: string | null;
  readonly changes: unknown;
  readonly verdictBefore: Verdict;
  readonly verdictAfter: Verdict;
  /** checks.current_matches after the correction. */
  readonly currentMatches: unknown;
}

export function inboxRepository(db: NodeDatabase) {
  return {
    async has(seq: number): Promise<boolean> {
      const rows = await db
        .select({ seq: inboxMessages.seq })
        .from(inboxMessages)
        .where(eq(inboxMessages.seq, seq));
      return rows.length > 0;
    },

    /**
     * Stores a message and, for an applied correction, the correction and the check's new
     * state — for a monitoring notice, the notice — in one transaction. False when the message was already stored (fetched twice).
     */
    async store(
      message: NewInboxMessage,
      now: Date,
      correction?: AppliedCorrection,
      notice?: StoredNotice,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(inboxMessages)
          .values({ ...message, receivedAt: now })
          .onConflictDoNothing()
          .returning({ seq: inboxMessages.seq });
        if (inserted.length === 0) return false;
        if (notice !== undefined) {
          await tx
            .insert(monitoringNotices)
            .values({ ...notice, seq: message.seq, receivedAt: now });
        }
        if (correction !== undefined) {
          const { currentMatches, ...row } = correction;
          await tx.insert(checkCorrections).values({ ...row, seq: message.seq, receivedAt: now });
          await tx
            .update(checks)
            .set({ currentVerdict: row.verdictAfter, currentMatches, correctedAt: now })
            .where(eq(checks.id, row.checkId));
        }
        return true;
      });
    },

    /** Newest first; `before` pages backwards by seq. */
    async list(page: { before?: number; limit: number }): Promise<InboxMessage[]> {
      return db
        .select()
        .from(inboxMessages)
        .where(page.before === undefined ? undefined : lt(inboxMessages.seq, page.before))
        .orderBy(desc(inboxMessages.seq))
        .limit(page.limit);
    },

    async corrections(seqs: readonly number[]): Promise<Map<number, CheckCorrection>> {
      if (seqs.length === 0) return new Map();
      const rows = await db
        .select()
        .from(checkCorrections)
        .where(inArray(checkCorrections.seq, [...seqs]));
      return new Map(rows.map((r) => [r.seq, r]));
    },

    async correctionsOfCheck(checkId: string): Promise<CheckCorrection[]> {
      return db
        .select()
        .from(checkCorrections)
        .where(eq(checkCorrections.checkId, checkId))
        .orderBy(checkCorrections.seq);
    },

    async checkByHubId(hubCheckId: string) {
      const [row] = await db.select().from(checks).where(eq(checks.hubCheckId, hubCheckId));
      return row;
    },
  };
}
