/** The mailbox's storage (mailbox.table.ts). */
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { mailboxExpired, mailboxMessages, mailboxSeq } from './mailbox.table.js';

/** Rows per multi-row insert: 7 parameters a row, far below PostgreSQL's 65 535. */
const INSERT_CHUNK = 1000;

export interface StoredMessage {
  readonly seq: number;
  readonly recipient: string;
  readonly type: string;
  readonly createdAt: Date;
  readonly jws: string;
}

export function mailboxRepository(db: HubDatabase) {
  return {
    /** Takes the next seq (before signing: the seq is part of what is signed). */
    async nextSeq(): Promise<number> {
      // Raw results differ by driver (platform/db/database.ts): an array, or { rows }.
      const result: unknown = await db.execute(
        sql`select nextval(${sql.raw(`'${mailboxSeq.seqName}'`)}) as seq`,
      );
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        seq: string | number;
      }[];
      return Number(rows[0]!.seq);
    },

    /** Takes `n` seqs at once, ascending (one round trip for a fan-out). */
    async nextSeqs(n: number): Promise<number[]> {
      if (n === 0) return [];
      const result: unknown = await db.execute(
        sql`select nextval(${sql.raw(`'${mailboxSeq.seqName}'`)}) as seq from generate_series(1, ${n})`,
      );
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        seq: string | number;
      }[];
      return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    },

    async insert(message: StoredMessage): Promise<void> {
      await db.insert(mailboxMessages).values({ ...message, size: message.jws.length });
    },

    /** Many messages in multi-row inserts (INSERT_CHUNK rows per statement). */
    async insertMany(messages: readonly StoredMessage[]): Promise<void> {
      for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
        await db
          .insert(mailboxMessages)
          .values(messages.slice(i, i + INSERT_CHUNK).map((m) => ({ ...m, size: m.jws.length })));
      }
    },

    /** Unacknowledged messages to `recipient` with seq > after, ascending; one more than asked. */
    async unacknowledged(recipient: string, after: number, limit: number): Promise<string[]> {
      const rows = await db
        .select({ jws: mailboxMessages.jws })
        .from(mailboxMessages)
        .where(
          and(
            eq(mailboxMessages.recipient, recipient),
            isNull(mailboxMessages.acknowledgedAt),
            gt(mailboxMessages.seq, after),
          ),
        )
        .orderBy(asc(mailboxMessages.seq))
        .limit(limit + 1);
      return rows.map((r) => r.jws);
    },

    async countUnacknowledged(recipient: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(mailboxMessages)
        .where(
          and(eq(mailboxMessages.recipient, recipient), isNull(mailboxMessages.acknowledgedAt)),
        );
      return row?.n ?? 0;
    },

    /** The seqs of `seqs` that are messages to `recipient` (acknowledged or not). */
    async ownSeqs(recipient: string, seqs: readonly number[]): Promise<Set<number>> {
      const rows = await db
        .select({ seq: mailboxMessages.seq })
        .from(mailboxMessages)
        .where(
          and(eq(mailboxMessages.recipient, recipient), inArray(mailboxMessages.seq, [...seqs])),
        );
      return new Set(rows.map((r) => r.seq));
    },

    /** Marks the still-unacknowledged messages of `seqs` acknowledged; returns how many. */
    async acknowledge(recipient: string, seqs: readonly number[], at: Date): Promise<number> {
      const rows = await db
        .update(mailboxMessages)
        .set({ acknowledgedAt: at })
        .where(
          and(
            eq(mailboxMessages.recipient, recipient),
            inArray(mailboxMessages.seq, [...seqs]),
            isNull(mailboxMessages.acknowledgedAt),
          ),
        )
        .returning({ seq: mailboxMessages.seq });
      return rows.length;
    },

    async expiredCount(recipient: string): Promise<number> {
      const [row] = await db
        .select({ count: mailboxExpired.count })
        .from(mailboxExpired)
        .where(eq(mailboxExpired.recipient, recipient));
      return row?.count ?? 0;
    },

    /**
     * Deletes acknowledged messages acknowledged before `acknowledgedBefore`, and unacknowledged
     * ones created before `createdBefore` (counted per recipient in mailbox_expired).
     */
    async prune(
      acknowledgedBefore: Date,
      createdBefore: Date,
      at: Date,
    ): Promise<{ acknowledged: number; expired: number }> {
      return db.transaction(async (tx) => {
        const done = await tx
          .delete(mailboxMessages)
          .where(
            and(
              isNotNull(mailboxMessages.acknowledgedAt),
              lt(mailboxMessages.acknowledgedAt, acknowledgedBefore),
            ),
          )
          .returning({ seq: mailboxMessages.seq });
        const expired = await tx
          .delete(mailboxMessages)
          .where(
            and(
              isNull(mailboxMessages.acknowledgedAt),
              lt(mailboxMessages.createdAt, createdBefore),
            ),
          )
          .returning({ recipient: mailboxMessages.recipient });
        const perRecipient = new Map<string, number>();
        for (const r of expired)
          perRecipient.set(r.recipient, (perRecipient.get(r.recipient) ?? 0) + 1);
        for (const [recipient, n] of perRecipient) {
          await tx
            .insert(mailboxExpired)
            .values({ recipient, count: n, lastExpiredAt: at })
            .onConflictDoUpdate({
              target: mailboxExpired.recipient,
              set: { count: sql`${mailboxExpired.count} + ${n}`, lastExpiredAt: at },
            });
        }
        return { acknowledged: done.length, expired: expired.length };
      });
    },
  };
}
