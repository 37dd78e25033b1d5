/**
 * Retention at the node (docs/node.md "Retention"): which outcomes' retention clocks run, which
 * have an accepted `expired` statement, and retiring an outcome under the `delete` or `archive`
 * action — the outcome and its statements leave the working tables, one `retired_outcomes` row
 * stays, in one transaction.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { and, asc, count, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import { RETENTION_CLOCK_STATUSES } from '../../protocol/retention.js';
import { attestations } from './attestations.table.js';
import type { NodeDatabase } from './database.js';
import { officers } from './officers.table.js';
import { outcomes } from './outcomes.table.js';
import type { Outcome, OutcomeToAttest } from './outcomes.repository.js';
import { retiredOutcomes } from './retention.table.js';

export type RetireAction = 'delete' | 'archive';

/** The digest a retired case is recognised by (retention.table.ts). */
export function caseDigest(employeeId: string, localRef: string): string {
  return toBase64url(sha256(utf8(`${employeeId}\u0000${localRef}`)));
}

/** The outcome's current statement is accepted and states the outcome as it is now. */
const attestedAsIs = () =>
  and(
    isNotNull(outcomes.currentAttestationId),
    sql`${outcomes.attestedRevision} = ${outcomes.revision}`,
  );

export function retentionRepository(db: NodeDatabase) {
  return {
    /**
     * Outcomes, in id order after `afterId`, whose accepted current statement is final or
     * overturned and states the outcome as it is (no later revision waiting): the ones whose
     * retention clock runs at the hub too.
     */
    async clockRunning(page: { afterId: number; limit: number }): Promise<Outcome[]> {
      return db
        .select()
        .from(outcomes)
        .where(
          and(
            gt(outcomes.id, page.afterId),
            attestedAsIs(),
            inArray(outcomes.attestedStatus, [...RETENTION_CLOCK_STATUSES]),
          ),
        )
        .orderBy(asc(outcomes.id))
        .limit(page.limit);
    },

    /**
     * Marks outcome `id` expired on `expiredOn` (a new revision, so the publisher states it), if
     * it is still at `revision` — an import that changed it meanwhile wins, and the next pass
     * looks again. True when marked.
     */
    async markExpired(
      id: number,
      revision: number,
      expiredOn: string,
      now: Date,
    ): Promise<boolean> {
      const rows = await db
        .update(outcomes)
        .set({
          status: 'expired',
          statusDate: expiredOn,
          revision: sql`${outcomes.revision} + 1`,
          updatedAt: now,
        })
        .where(and(eq(outcomes.id, id), eq(outcomes.revision, revision), attestedAsIs()))
        .returning({ id: outcomes.id });
      return rows.length === 1;
    },

    /** Outcomes whose accepted current statement is `expired`, at most `limit`. */
    async expiredAccepted(limit: number): Promise<OutcomeToAttest[]> {
      return db
        .select({ outcome: outcomes, employeeId: officers.employeeId })
        .from(outcomes)
        .innerJoin(officers, eq(officers.id, outcomes.officerId))
        .where(and(attestedAsIs(), eq(outcomes.attestedStatus, 'expired')))
        .orderBy(asc(outcomes.id))
        .limit(limit);
    },

    /**
     * Retires outcome `outcomeId` under `action`, if its accepted current statement is still
     * `expired` (re-checked under a row lock): records the retired case (with the archive
     * document for `archive`), then deletes the outcome's statements — their log tracking goes
     * with them — and the outcome. False when there was nothing to retire.
     */
    async retire(outcomeId: number, action: RetireAction, now: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ outcome: outcomes, employeeId: officers.employeeId })
          .from(outcomes)
          .innerJoin(officers, eq(officers.id, outcomes.officerId))
          .where(
            and(eq(outcomes.id, outcomeId), attestedAsIs(), eq(outcomes.attestedStatus, 'expired')),
          )
          .for('update', { of: outcomes });
        if (row === undefined) return false;
        const { outcome, employeeId } = row;
        const statements = await tx
          .select()
          .from(attestations)
          .where(eq(attestations.outcomeId, outcomeId))
          .orderBy(asc(attestations.createdAt), asc(attestations.id));
        await tx.insert(retiredOutcomes).values({
          caseDigest: caseDigest(employeeId, outcome.localRef),
          expiredAttestationId: outcome.currentAttestationId!,
          expiredOn: outcome.statusDate,
          action,
          archive: action === 'archive' ? archiveDocument(outcome, employeeId, statements) : null,
          retiredAt: now,
        });
        await tx.delete(attestations).where(eq(attestations.outcomeId, outcomeId));
        await tx.delete(outcomes).where(eq(outcomes.id, outcomeId));
        return true;
      });
    },

    /** Of `digests`, those of retired cases. */
    async retiredAmong(digests: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < digests.length; i += 1000) {
        const rows = await db
          .select({ d: retiredOutcomes.caseDigest })
          .from(retiredOutcomes)
          .where(inArray(retiredOutcomes.caseDigest, digests.slice(i, i + 1000)));
        for (const r of rows) found.add(r.d);
      }
      return found;
    },

    async countRetired(): Promise<{ deleted: number; archived: number }> {
      const rows = await db
        .select({ action: retiredOutcomes.action, n: count() })
        .from(retiredOutcomes)
        .groupBy(retiredOutcomes.action);
      const of = (a: string) => rows.find((r) => r.action === a)?.n ?? 0;
      return { deleted: of('delete'), archived: of('archive') };
    },

    async archived(): Promise<(typeof retiredOutcomes.$inferSelect)[]> {
      return db
        .select()
        .from(retiredOutcomes)
        .where(eq(retiredOutcomes.action, 'archive'))
        .orderBy(asc(retiredOutcomes.id));
    },
  };
}

/** The detail `archive` keeps: the outcome as attested, whose it was, and every statement. */
function archiveDocument(
  o: Outcome,
  employeeId: string,
  statements: readonly (typeof attestations.$inferSelect)[],
) {
  return {
    employeeId,
    outcome: {
      localRef: o.localRef,
      categoryList: o.categoryList,
      category: o.category,
      useOfForce: o.useOfForce,
      eventDate: o.eventDate,
      outcomeDate: o.outcomeDate,
      status: o.status,
      statusDate: o.statusDate,
      notified: o.notified,
      disputedSince: o.disputedSince,
    },
    statements: statements.map((s) => ({
      id: s.id,
      status: s.statementStatus,
      delivery: s.delivery,
      jws: s.jws,
      receipt: s.receipt,
      createdAt: s.createdAt.toISOString(),
    })),
  };
}
