/** The check audit (audit.table.ts): one row per check, answered or refused. */
import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import type { CheckPurpose } from '../../protocol/check-request.js';
import type { HubDatabase } from '../database.js';
import { checkAudit } from './audit.table.js';

export type CheckOutcome = 'answered' | 'too_many_matches';

export interface CheckAuditRecord {
  readonly checkId: string;
  readonly requester: string;
  readonly checkedAt: Date;
  readonly purpose: CheckPurpose;
  readonly consentRef: string;
  readonly epoch: number;
  readonly keyCount: number;
  readonly outcome: CheckOutcome;
  readonly matchCount: number;
  readonly matchedAttestationIds: readonly string[];
}

export function auditRepository(db: HubDatabase) {
  return {
    async record(entry: CheckAuditRecord): Promise<void> {
      await db
        .insert(checkAudit)
        .values({ ...entry, matchedAttestationIds: [...entry.matchedAttestationIds] });
    },

    /** Newest first; optionally one requester's checks, or checks since a time. */
    async list(
      filter: { requester?: string; since?: Date; limit?: number } = {},
    ): Promise<CheckAuditRecord[]> {
      const conditions: SQL[] = [];
      if (filter.requester !== undefined)
        conditions.push(eq(checkAudit.requester, filter.requester));
      if (filter.since !== undefined) conditions.push(gte(checkAudit.checkedAt, filter.since));
      const rows = await db
        .select()
        .from(checkAudit)
        .where(conditions.length === 0 ? undefined : and(...conditions))
        .orderBy(desc(checkAudit.checkedAt), desc(checkAudit.checkId))
        .limit(filter.limit ?? 1000);
      return rows.map((r) => ({
        ...r,
        purpose: r.purpose as CheckPurpose,
        outcome: r.outcome as CheckOutcome,
      }));
    },
  };
}
