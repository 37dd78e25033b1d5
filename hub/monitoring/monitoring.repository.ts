/** Monitoring's storage (monitoring.table.ts). */
import { and, count, eq, gt, inArray, lte, min, sql } from 'drizzle-orm';
import type { TokenKey } from '../../protocol/common.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';
import { monitoringEnrollments, monitoringNotices } from './monitoring.table.js';

/** Longest supersession chain followed: far beyond any real record's history. */
const MAX_CHAIN = 10_000;
/** Rows per multi-row insert. */
const INSERT_CHUNK = 1000;

/** The last notice a recipient had about a record. */
export interface LastNotice {
  readonly attestationId: string;
  readonly matches: TokenKey[];
  readonly shown: boolean;
}

export interface NoticeRow {
  readonly recipient: string;
  readonly attestationId: string;
  readonly matches: TokenKey[];
  readonly shown: boolean;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  // Raw results differ by driver (platform/db/database.ts): an array, or { rows }.
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

export function monitoringRepository(db: HubDatabase) {
  return {
    /** Locks the agency's registry row: enrollments of one agency are applied one at a time. */
    async lockAgency(ori: string): Promise<void> {
      await db
        .select({ ori: agencies.ori })
        .from(agencies)
        .where(eq(agencies.ori, ori))
        .for('update');
    },

    async deleteLapsed(agency: string, now: Date): Promise<void> {
      await db
        .delete(monitoringEnrollments)
        .where(
          and(eq(monitoringEnrollments.agency, agency), lte(monitoringEnrollments.expiresAt, now)),
        );
    },

    async remove(agency: string, indexes: readonly string[]): Promise<number> {
      if (indexes.length === 0) return 0;
      const rows = await db
        .delete(monitoringEnrollments)
        .where(
          and(
            eq(monitoringEnrollments.agency, agency),
            inArray(monitoringEnrollments.hubIndex, [...indexes]),
          ),
        )
        .returning({ hubIndex: monitoringEnrollments.hubIndex });
      return rows.length;
    },

    /** Of `indexes`, those the agency has enrolled (lapsed ones included). */
    async enrolledOf(agency: string, indexes: readonly string[]): Promise<Set<string>> {
      if (indexes.length === 0) return new Set();
      const rows = await db
        .select({ hubIndex: monitoringEnrollments.hubIndex })
        .from(monitoringEnrollments)
        .where(
          and(
            eq(monitoringEnrollments.agency, agency),
            inArray(monitoringEnrollments.hubIndex, [...indexes]),
          ),
        );
      return new Set(rows.map((r) => r.hubIndex));
    },

    /** Enrolls or renews `keys` (one multi-row upsert per chunk). */
    async upsert(
      agency: string,
      keys: readonly TokenKey[],
      epoch: number,
      now: Date,
      expiresAt: Date,
    ): Promise<void> {
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        await db
          .insert(monitoringEnrollments)
          .values(
            keys.slice(i, i + INSERT_CHUNK).map((k) => ({
              agency,
              hubIndex: k.index,
              kind: k.kind,
              epoch,
              enrolledAt: now,
              expiresAt,
            })),
          )
          .onConflictDoUpdate({
            target: [monitoringEnrollments.agency, monitoringEnrollments.hubIndex],
            set: {
              kind: sql`excluded.kind`,
              epoch: sql`excluded.epoch`,
              expiresAt: sql`excluded.expires_at`,
            },
          });
      }
    },

    async summary(agency: string, now: Date): Promise<{ active: number; nextExpiry: Date | null }> {
      const [row] = await db
        .select({ n: count(), next: min(monitoringEnrollments.expiresAt) })
        .from(monitoringEnrollments)
        .where(
          and(eq(monitoringEnrollments.agency, agency), gt(monitoringEnrollments.expiresAt, now)),
        );
      return { active: row?.n ?? 0, nextExpiry: row?.next ?? null };
    },

    /** Deletes every lapsed enrollment; returns how many. */
    async pruneLapsed(now: Date): Promise<number> {
      const rows = await db
        .delete(monitoringEnrollments)
        .where(lte(monitoringEnrollments.expiresAt, now))
        .returning({ agency: monitoringEnrollments.agency });
      return rows.length;
    },

    /**
     * Active enrollments among `indexes` (one query per 1,000 indexes: a whole intake batch at
     * once), as (agency, hub index, kind) rows.
     */
    async enrolledAmong(
      indexes: readonly string[],
      now: Date,
    ): Promise<{ agency: string; hubIndex: string; kind: string }[]> {
      const out: { agency: string; hubIndex: string; kind: string }[] = [];
      const unique = [...new Set(indexes)];
      for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
        out.push(
          ...(await db
            .select({
              agency: monitoringEnrollments.agency,
              hubIndex: monitoringEnrollments.hubIndex,
              kind: monitoringEnrollments.kind,
            })
            .from(monitoringEnrollments)
            .where(
              and(
                inArray(monitoringEnrollments.hubIndex, unique.slice(i, i + INSERT_CHUNK)),
                gt(monitoringEnrollments.expiresAt, now),
              ),
            )
            .orderBy(monitoringEnrollments.agency, monitoringEnrollments.hubIndex)),
        );
      }
      return out;
    },

    /** Whether the hub ever sent a notice that still counts (else no chain needs following). */
    async anyNotice(): Promise<boolean> {
      const rows = await db
        .select({ recipient: monitoringNotices.recipient })
        .from(monitoringNotices)
        .limit(1);
      return rows.length > 0;
    },

    /**
     * Per recipient, the last notice it had about the record whose chain ends at `headId`
     * (statements `headId` supersedes, directly or not; `headId` itself included).
     */
    async lastNoticesOfChain(headId: string): Promise<Map<string, LastNotice>> {
      const result: unknown = await db.execute(sql`
        with recursive chain(id, supersedes, depth) as (
          select ${attestations.id}, ${attestations.supersedes}, 0
            from ${attestations} where ${attestations.id} = ${headId}
          union all
          select a.id, a.supersedes, c.depth + 1
            from ${attestations} a join chain c on a.id = c.supersedes
           where c.depth < ${MAX_CHAIN}
        )
        select distinct on (n.recipient) n.recipient, n.attestation_id, n.matches, n.shown
          from ${monitoringNotices} n join chain c on c.id = n.attestation_id
         order by n.recipient, c.depth`);
      return lastNotices(rowsOf(result));
    },

    /** Per recipient, the last notice it had about any of `ids` (one record's statements). */
    async lastNoticesOf(ids: readonly string[]): Promise<Map<string, LastNotice>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select()
        .from(monitoringNotices)
        .where(inArray(monitoringNotices.attestationId, [...ids]))
        .orderBy(monitoringNotices.recipient, sql`${monitoringNotices.sentAt} desc`);
      const out = new Map<string, LastNotice>();
      for (const r of rows) if (!out.has(r.recipient)) out.set(r.recipient, r);
      return out;
    },

    async recordNotices(rows: readonly NoticeRow[], now: Date): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db
          .insert(monitoringNotices)
          .values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, sentAt: now })))
          .onConflictDoNothing();
      }
    },

    /**
     * Records notices that withdraw a record (shown = false), replacing the recipient's row of
     * the same statement: a recipient told of the standing statement itself is then told of it
     * as withdrawn (retention notices), and nothing follows from that row again.
     */
    async markWithdrawn(rows: readonly NoticeRow[], now: Date): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db
          .insert(monitoringNotices)
          .values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, sentAt: now })))
          .onConflictDoUpdate({
            target: [monitoringNotices.recipient, monitoringNotices.attestationId],
            set: { shown: false, sentAt: sql`excluded.sent_at` },
          });
      }
    },

    /** An expunged record's notices go with it. */
    async forgetNotices(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.delete(monitoringNotices).where(inArray(monitoringNotices.attestationId, [...ids]));
    },

    /**
     * The issuer's jurisdiction level and state (USPS code; null for federal or multi-state),
     * for the pending rule and the retention rule (§5.13).
     */
    async reporterOf(ori: string): Promise<{ jurisdiction: string; state: string | null }> {
      const [row] = await db
        .select({ jurisdiction: agencies.jurisdiction, state: agencies.state })
        .from(agencies)
        .where(eq(agencies.ori, ori));
      return { jurisdiction: row?.jurisdiction ?? 'local', state: row?.state ?? null };
    },
  };
}

function lastNotices(rows: Record<string, unknown>[]): Map<string, LastNotice> {
  const out = new Map<string, LastNotice>();
  for (const r of rows) {
    const matches = typeof r['matches'] === 'string' ? JSON.parse(r['matches']) : r['matches'];
    out.set(String(r['recipient']), {
      attestationId: String(r['attestation_id']),
      matches: matches as TokenKey[],
      shown: r['shown'] === true || r['shown'] === 't',
    });
  }
  return out;
}
