/**
 * The queries of the hub's retention notices (retention-notices.ts): the standing statements
 * that may be due, the once-only claim of a record's notice, and what expungement forgets.
 */
import { and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';
import { retentionNotices } from './mailbox.table.js';

/** Longest chain followed (as corrections.repository.ts). */
const MAX_CHAIN = 10_000;

export function retentionNoticesRepository(db: HubDatabase) {
  return {
    /**
     * Standing statements with one of `statuses`, a `statusDate` on or before `cutoff` (so that
     * even the shortest rule may have made them due) and no notice yet, by id after `after`.
     */
    candidates(statuses: readonly string[], cutoff: string, after: string, limit: number) {
      return db
        .select({
          id: attestations.id,
          category: attestations.category,
          status: attestations.status,
          statusDate: attestations.statusDate,
          jws: attestations.jws,
          jurisdiction: agencies.jurisdiction,
          state: agencies.state,
        })
        .from(attestations)
        .innerJoin(agencies, eq(agencies.ori, attestations.issuer))
        .leftJoin(retentionNotices, eq(retentionNotices.attestationId, attestations.id))
        .where(
          and(
            isNull(attestations.supersededBy),
            inArray(attestations.status, [...statuses]),
            lte(attestations.statusDate, cutoff),
            isNull(retentionNotices.attestationId),
            gt(attestations.id, after),
          ),
        )
        .orderBy(asc(attestations.id))
        .limit(limit);
    },

    /** Claims the notice of `id`; false when another pass (or replica) has it. */
    async claim(id: string, dueDate: string, now: Date): Promise<boolean> {
      const rows = await db
        .insert(retentionNotices)
        .values({ attestationId: id, dueDate, recipients: 0, sentAt: now })
        .onConflictDoNothing()
        .returning({ id: retentionNotices.attestationId });
      return rows.length === 1;
    },

    /** Whether an earlier statement of `headId`'s chain was noticed for the same due day. */
    async chainNoticed(headId: string, dueDate: string): Promise<boolean> {
      const rows: unknown = await db.execute(sql`
        with recursive chain(id, supersedes, depth) as (
          select ${attestations.id}, ${attestations.supersedes}, 0
            from ${attestations} where ${attestations.id} = ${headId}
          union all
          select a.id, a.supersedes, c.depth + 1
            from ${attestations} a join chain c on a.id = c.supersedes
           where c.depth < ${MAX_CHAIN}
        )
        select 1 as noticed
          from ${retentionNotices} r join chain on chain.id = r.attestation_id
         where chain.id <> ${headId} and r.due_date = ${dueDate}
         limit 1`);
      const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
      return list.length > 0;
    },

    /** Forgets the notices of an expunged record's statements. */
    async forget(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.delete(retentionNotices).where(inArray(retentionNotices.attestationId, [...ids]));
    },

    async setRecipients(id: string, recipients: number): Promise<void> {
      await db
        .update(retentionNotices)
        .set({ recipients })
        .where(eq(retentionNotices.attestationId, id));
    },
  };
}
