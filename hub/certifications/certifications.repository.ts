/**
 * Storage of period certifications (certifications.table.ts). The write runs in one
 * transaction with the log append: the superseded row is closed first, then the new one is
 * inserted, so the partial unique index on the head of (issuer, period) refuses a concurrent
 * second head.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lte, min } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { certifications } from './certifications.table.js';

export type StoredCertification = typeof certifications.$inferSelect;
export type NewCertification = typeof certifications.$inferInsert;

export function certificationsRepository(db: HubDatabase) {
  return {
    async findById(id: string): Promise<StoredCertification | undefined> {
      const rows = await db.select().from(certifications).where(eq(certifications.id, id));
      return rows[0];
    },

    /** The current (not superseded) certification of an agency for a period. */
    async head(issuer: string, period: string): Promise<StoredCertification | undefined> {
      const rows = await db
        .select()
        .from(certifications)
        .where(
          and(
            eq(certifications.issuer, issuer),
            eq(certifications.period, period),
            isNull(certifications.supersededBy),
          ),
        );
      return rows[0];
    },

    /** When the first certification of the period arrived (corrections keep it). */
    async firstReceived(issuer: string, period: string): Promise<Date | undefined> {
      const rows = await db
        .select({ first: min(certifications.receivedAt) })
        .from(certifications)
        .where(and(eq(certifications.issuer, issuer), eq(certifications.period, period)));
      return rows[0]?.first ?? undefined;
    },

    /**
     * The attestation statements the hub holds from `issuer` issued from `from` to `to`
     * (inclusive `YYYY-MM-DDTHH:MM:SSZ` bounds, which compare as text).
     */
    async countStatements(issuer: string, from: string, to: string): Promise<number> {
      const rows = await db
        .select({ n: count() })
        .from(attestations)
        .where(
          and(
            eq(attestations.issuer, issuer),
            gte(attestations.issuedAt, from),
            lte(attestations.issuedAt, to),
          ),
        );
      return Number(rows[0]?.n ?? 0);
    },

    /** Stores `row` (closing `supersedes` first) and runs `inTx` in the same transaction. */
    async store<T>(
      row: Omit<NewCertification, 'logIndex'>,
      inTx: (tx: HubDatabase) => Promise<{ logIndex: number; result: T }>,
    ): Promise<T> {
      return db.transaction(async (tx) => {
        if (row.supersedes !== null && row.supersedes !== undefined) {
          const closed = await tx
            .update(certifications)
            .set({ supersededBy: row.id })
            .where(and(eq(certifications.id, row.supersedes), isNull(certifications.supersededBy)))
            .returning({ id: certifications.id });
          if (closed.length !== 1) throw new CertificationRaceError(row.supersedes);
        }
        const { logIndex, result } = await inTx(tx);
        await tx.insert(certifications).values({ ...row, logIndex });
        return result;
      });
    },

    /** An agency's certifications, latest period first, at most `limit`. */
    async listForAgency(issuer: string, limit: number): Promise<StoredCertification[]> {
      return db
        .select()
        .from(certifications)
        .where(eq(certifications.issuer, issuer))
        .orderBy(desc(certifications.period), desc(certifications.receivedAt))
        .limit(limit);
    },

    /** Every certification of the given periods (heads and superseded), by agency. */
    async listForPeriods(periods: readonly string[]): Promise<StoredCertification[]> {
      if (periods.length === 0) return [];
      return db
        .select()
        .from(certifications)
        .where(inArray(certifications.period, [...periods]))
        .orderBy(asc(certifications.issuer), asc(certifications.period));
    },
  };
}

/** A concurrent correction closed the certification first. */
export class CertificationRaceError extends Error {
  override readonly name = 'CertificationRaceError';
  constructor(readonly supersedes: string) {
    super(`certification ${supersedes} was superseded concurrently`);
  }
}
