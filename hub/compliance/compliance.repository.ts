/**
 * What the compliance report reads (docs/compliance.md "What it is computed from"): the
 * registry, the period's certifications and the dates of final decisions, each as it stood at
 * the report's moment `asOf` — rows received later are left out, supersession is read among
 * the rows kept, and an agency's status is read back from the registry's log entries when it
 * changed after `asOf` — so that a report recomputed later for the same moment is the same.
 * Only aggregates leave the database: one row per agency and delay in days.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import { periodBounds, type Period } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import {
  AGENCY_STATUSES,
  JURISDICTION_LEVELS,
  type AgencyStatus,
  type JurisdictionLevel,
} from '../../protocol/registry-entry.js';
import type { CertificationRow } from '../certifications/certification-status.js';
import { certifications } from '../certifications/certifications.table.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';
import { logEntries } from '../tlog/tlog.table.js';
import { REPORTED_ROLES, type ReportAgency, type ReportLag } from './compliance-report.js';

function rowsOf(result: unknown): Record<string, unknown>[] {
  // Raw results differ by driver (platform/db/database.ts): an array, or { rows }.
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

/**
 * The agency's status after its last suspension or reinstatement at or before `asOf`, by the
 * log entries' own `at` (a backfilled entry is appended later than its event).
 */
function statusFromLog(entries: readonly string[], ori: string, asOf: string): AgencyStatus {
  let status: AgencyStatus = 'active';
  for (const text of entries) {
    const e = JSON.parse(text) as { ori?: unknown; event?: unknown; at?: unknown };
    if (e.ori !== ori || typeof e.at !== 'string' || e.at > asOf) continue;
    if (e.event === 'suspended') status = 'suspended';
    if (e.event === 'reinstated') status = 'active';
  }
  return status;
}

export function complianceRepository(db: HubDatabase) {
  return {
    /** The law enforcement agencies enrolled by `asOf`, with their status then. */
    async agencies(asOf: Date): Promise<ReportAgency[]> {
      const rows = await db
        .select({
          ori: agencies.ori,
          name: agencies.name,
          jurisdiction: agencies.jurisdiction,
          state: agencies.state,
          status: agencies.status,
          roles: agencies.roles,
          updatedAt: agencies.updatedAt,
        })
        .from(agencies)
        .where(lte(agencies.enrolledAt, asOf));
      const changed = rows.filter((r) => r.updatedAt > asOf).map((r) => r.ori);
      const logged =
        changed.length === 0
          ? []
          : (
              await db
                .select({ entry: logEntries.entry })
                .from(logEntries)
                .where(eq(logEntries.kind, 'agency'))
                .orderBy(logEntries.index)
            ).map((r) => r.entry);
      const changedSet = new Set(changed);
      return rows
        .filter((r) => r.roles.some((role) => (REPORTED_ROLES as readonly string[]).includes(role)))
        .map((r) => ({
          ori: r.ori,
          name: r.name,
          jurisdiction: JURISDICTION_LEVELS.find((j) => j === r.jurisdiction) as JurisdictionLevel,
          state: r.state,
          status: changedSet.has(r.ori)
            ? statusFromLog(logged, r.ori, formatTimestamp(asOf))
            : (AGENCY_STATUSES.find((s) => s === r.status) as AgencyStatus),
        }));
    },

    /** The period's certifications received by `asOf`; a correction after it is not there. */
    async certifications(period: Period, asOf: Date): Promise<CertificationRow[]> {
      const rows = await db
        .select({
          id: certifications.id,
          issuer: certifications.issuer,
          period: certifications.period,
          sworn: certifications.sworn,
          statements: certifications.statements,
          zeroReport: certifications.zeroReport,
          supersededBy: certifications.supersededBy,
          receivedAt: certifications.receivedAt,
        })
        .from(certifications)
        .where(and(eq(certifications.period, period), lte(certifications.receivedAt, asOf)));
      const held = new Set(rows.map((r) => r.id));
      return rows.map((r) => ({
        ...r,
        supersededBy: r.supersededBy !== null && held.has(r.supersededBy) ? r.supersededBy : null,
      }));
    },

    /**
     * Final decisions dated in the period (`statusDate`) that reached the hub by `asOf`, as a
     * histogram of whole days from the decision to the UTC date the hub received its report.
     * A decision is reported once: a final statement that re-states a final predecessor of
     * the same `statusDate` (a correction, a re-statement under a new epoch) is not counted.
     */
    async lags(period: Period, asOf: Date): Promise<ReportLag[]> {
      const { start, end } = periodBounds(period);
      const at = asOf.toISOString();
      const result: unknown = await db.execute(sql`
        select a.issuer as ori,
               ((a.received_at at time zone 'UTC')::date - a.status_date::date)::int as days,
               count(*)::int as n
          from ${attestations} a
         where a.status = 'final'
           and a.status_date >= ${start} and a.status_date <= ${end}
           and a.received_at <= ${at}::timestamptz
           and not exists (select 1 from ${attestations} p
                            where p.id = a.supersedes and p.status = 'final'
                              and p.status_date = a.status_date
                              and p.received_at <= ${at}::timestamptz)
         group by 1, 2`);
      return rowsOf(result).map((r) => ({
        ori: String(r['ori']),
        days: Number(r['days']),
        count: Number(r['n']),
      }));
    },
  };
}
