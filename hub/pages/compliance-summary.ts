/**
 * The public summary of the compliance report (docs/compliance.md "Public summary"; the report
 * itself stays with the operator and the Department). Pure: a report in, counts of agencies out.
 *
 * What is public, and why:
 * - Per jurisdiction level and nationally, the number of agencies and, for the three
 *   administrative conditions — registry status, credential, certification — how many agencies
 *   each reason applies to. These are facts about the agency as an institution (its status is in
 *   the public registry; its credential and its certification are its own public statements).
 *   A zero report is counted as "certified on time": that an agency had nothing to report is a
 *   fact about its officers' outcomes, not about its compliance.
 * - Eligibility and the reports condition only nationally, and only when at least `minAgencies`
 *   agencies are listed (the statistics' smallest cell, SPX_HUB_STATS_MIN_CELL). The reports
 *   condition is decided by how many final decisions an agency had and how late it reported
 *   them; by level — a level may hold a single tribal agency — it would tell that one agency's
 *   officers had outcomes in the period, which the statistics suppress. Its meeting reasons are
 *   merged into one (`reports_none` alone would say "no outcomes").
 * - Never a per-agency line, nor any count of statements or decisions.
 */
import {
  ELIGIBILITY_REASONS,
  type EligibilityCondition,
  type EligibilityReasonCode,
} from '../../protocol/compliance.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../protocol/registry-entry.js';
import type { ComplianceReport } from '../compliance/index.js';

/** The reasons published per level, in the rule's order; a zero report reads as on time. */
export const ADMINISTRATIVE_REASONS = (
  Object.keys(ELIGIBILITY_REASONS) as EligibilityReasonCode[]
).filter(
  (code) =>
    ELIGIBILITY_REASONS[code].condition !== 'reports' && code !== 'certification_zero_report',
);

export type AdministrativeReason = (typeof ADMINISTRATIVE_REASONS)[number];

export interface LevelSummary {
  readonly level: JurisdictionLevel | 'all';
  readonly agencies: number;
  /** Agencies per administrative reason, every reason listed (0 included). */
  readonly reasons: Readonly<Record<AdministrativeReason, number>>;
}

export interface PublicComplianceSummary {
  readonly period: string;
  readonly asOf: string;
  readonly rule: number;
  /** Per level that has agencies, in JURISDICTION_LEVELS order, then `all`. */
  readonly levels: readonly LevelSummary[];
  /** Null when fewer than `minAgencies` agencies are listed. */
  readonly national: {
    readonly eligible: number;
    readonly ineligible: number;
    /** Agencies whose final decisions met the reports condition (any meeting reason). */
    readonly reportsMet: number;
    readonly reportsLate: number;
  } | null;
  readonly minAgencies: number;
}

const publicReason = (code: EligibilityReasonCode): EligibilityReasonCode =>
  code === 'certification_zero_report' ? 'certification_on_time' : code;

function emptyReasons(): Record<AdministrativeReason, number> {
  return Object.fromEntries(ADMINISTRATIVE_REASONS.map((c) => [c, 0])) as Record<
    AdministrativeReason,
    number
  >;
}

export function publicComplianceSummary(
  report: ComplianceReport,
  minAgencies: number,
): PublicComplianceSummary {
  const byLevel = new Map<
    JurisdictionLevel | 'all',
    { agencies: number; reasons: Record<AdministrativeReason, number> }
  >();
  const tally = (level: JurisdictionLevel | 'all', codes: readonly EligibilityReasonCode[]) => {
    let entry = byLevel.get(level);
    if (entry === undefined) byLevel.set(level, (entry = { agencies: 0, reasons: emptyReasons() }));
    entry.agencies++;
    for (const code of codes) {
      const published = publicReason(code);
      if ((ADMINISTRATIVE_REASONS as readonly string[]).includes(published)) {
        entry.reasons[published as AdministrativeReason]++;
      }
    }
  };
  let eligible = 0;
  let reportsLate = 0;
  for (const agency of report.agencies) {
    const codes = agency.reasons.map((r) => r.code);
    tally(agency.jurisdiction, codes);
    tally('all', codes);
    if (agency.eligible) eligible++;
    if (codes.includes('reports_late')) reportsLate++;
  }
  const total = report.agencies.length;
  const levels: LevelSummary[] = [...JURISDICTION_LEVELS, 'all' as const].flatMap((level) => {
    const entry = byLevel.get(level);
    return entry === undefined ? [] : [{ level, ...entry }];
  });
  return {
    period: report.period,
    asOf: report.asOf,
    rule: report.rule,
    levels,
    national:
      total < minAgencies
        ? null
        : {
            eligible,
            ineligible: total - eligible,
            reportsMet: total - reportsLate,
            reportsLate,
          },
    minAgencies,
  };
}

/** The condition a published reason answers, for grouping on the page. */
export function conditionOf(code: AdministrativeReason): EligibilityCondition {
  return ELIGIBILITY_REASONS[code].condition;
}
