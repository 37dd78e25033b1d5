/**
 * Who saw a record that has just changed (docs/protocol.md §5.12.3): the answered checks whose
 * answer listed an earlier statement of the record's supersession chain.
 */
import { sql } from 'drizzle-orm';
import { checkAudit } from '../checks/audit.table.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';

export interface ListedStatement {
  readonly checkId: string;
  readonly requester: string;
  readonly checkedAt: Date;
  /** The statement the check's answer listed. */
  readonly listedId: string;
  readonly status: string;
  readonly disputedSince: string | null;
}

/** Longest chain followed: far beyond any real record's history. */
const MAX_CHAIN = 10_000;

function rowsOf(result: unknown): Record<string, unknown>[] {
  // Raw results differ by driver (platform/db/database.ts): an array, or { rows }.
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

function listedStatement(r: Record<string, unknown>): ListedStatement {
  return {
    checkId: String(r['check_id']),
    requester: String(r['requester']),
    checkedAt: new Date(r['checked_at'] as string | Date),
    listedId: String(r['listed_id']),
    status: String(r['status']),
    disputedSince: r['disputed_since'] === null ? null : String(r['disputed_since']),
  };
}

export function correctionsRepository(db: HubDatabase) {
  return {
    /** Answered checks that listed any of `ids`, oldest first (an expunged record's versions). */
    async checksListingAny(ids: readonly string[]): Promise<ListedStatement[]> {
      if (ids.length === 0) return [];
      const list = sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );
      const result: unknown = await db.execute(sql`
        select ca.check_id, ca.requester, ca.checked_at, listed.id as listed_id,
               listed.status, listed.disputed_since
          from ${checkAudit} ca
          cross join lateral unnest(ca.matched_attestation_ids) as m(id)
          join ${attestations} listed on listed.id = m.id
         where ca.outcome = 'answered'
           and ca.matched_attestation_ids && array[${list}]::text[]
           and m.id in (${list})
         order by ca.checked_at, ca.check_id`);
      return rowsOf(result).map(listedStatement);
    },

    /**
     * Answered checks that listed a statement the chain ending at `headId` supersedes (the
     * head itself excluded unless `includeHead`: a retention notice concerns the head too),
     * oldest check first, with the listed statement's status.
     */
    async checksListingEarlier(headId: string, includeHead = false): Promise<ListedStatement[]> {
      const result: unknown = await db.execute(sql`
        with recursive chain(id, supersedes, depth) as (
          select ${attestations.id}, ${attestations.supersedes}, 0
            from ${attestations} where ${attestations.id} = ${headId}
          union all
          select a.id, a.supersedes, c.depth + 1
            from ${attestations} a join chain c on a.id = c.supersedes
           where c.depth < ${MAX_CHAIN}
        ),
        earlier as (
          select array_agg(id) as ids from chain where ${includeHead}::boolean or id <> ${headId}
        )
        select ca.check_id, ca.requester, ca.checked_at, listed.id as listed_id,
               listed.status, listed.disputed_since
          from ${checkAudit} ca
          cross join earlier
          cross join lateral unnest(ca.matched_attestation_ids) as m(id)
          join ${attestations} listed on listed.id = m.id
         where ca.outcome = 'answered'
           and ca.matched_attestation_ids && earlier.ids
           and m.id = any(earlier.ids)
         order by ca.checked_at, ca.check_id`);
      return rowsOf(result).map(listedStatement);
    },
  };
}
