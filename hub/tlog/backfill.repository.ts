/**
 * What the log catch-up (backfill.ts) reads: registered agencies without an `agency` entry,
 * with their active key, and stored statements without a leaf. Both run inside the catch-up's
 * transaction, under the head lock.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies, agencyKeys } from '../registry/registry.table.js';
import { logEntries } from './tlog.table.js';

export function backfillRepository(tx: HubDatabase) {
  return {
    /** Agencies no `agency` entry names, oldest enrolment first, with their active key. */
    unloggedAgencies() {
      return tx
        .select({
          ori: agencies.ori,
          status: agencies.status,
          enrolledAt: agencies.enrolledAt,
          updatedAt: agencies.updatedAt,
          kid: agencyKeys.kid,
          x: agencyKeys.x,
        })
        .from(agencies)
        .innerJoin(
          agencyKeys,
          and(eq(agencyKeys.ori, agencies.ori), eq(agencyKeys.status, 'active')),
        )
        .where(
          sql`not exists (select 1 from ${logEntries} where ${logEntries.kind} = 'agency' and (${logEntries.entry}::jsonb ->> 'ori') = ${agencies.ori})`,
        )
        .orderBy(asc(agencies.enrolledAt), asc(agencies.ori));
    },

    /** Up to `limit` statements without a leaf, in the order received. */
    unloggedStatements(limit: number) {
      return tx
        .select({ id: attestations.id, jws: attestations.jws })
        .from(attestations)
        .leftJoin(logEntries, eq(logEntries.statementId, attestations.id))
        .where(isNull(logEntries.index))
        .orderBy(asc(attestations.receivedAt), asc(attestations.id))
        .limit(limit);
    },
  };
}
