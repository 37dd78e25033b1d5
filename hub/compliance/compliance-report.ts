/**
 * The compliance report (docs/compliance.md): per agency, for one period, its credential
 * standing, its certification standing, the timeliness of its reports of final decisions, and
 * grant eligibility under a versioned rule (protocol/compliance.ts) with every reason. Pure:
 * everything comes in as data, including the moment the report is "as of", so that the same
 * inputs give the same report — and, encoded (compliance-encode.ts), the same bytes.
 */
import type { Period } from '../../protocol/certification.js';
import { deadlineRule, type DeadlineTable } from '../../protocol/certification-deadlines.js';
import { formatTimestamp } from '../../protocol/common.js';
import {
  CREDENTIAL_REASON,
  eligibilityReason,
  isEligible,
  type EligibilityReason,
  type EligibilityReasonCode,
  type EligibilityRule,
} from '../../protocol/compliance.js';
import type {
  CredentialStanding,
  CredentialStandingKind,
} from '../../protocol/credential-standing.js';
import type { AgencyStatus, JurisdictionLevel } from '../../protocol/registry-entry.js';
import {
  certificationStatus,
  type CertificationRow,
  type CertificationStanding,
} from '../certifications/certification-status.js';

/** An agency as the registry stood on the report's date. */
export interface ReportAgency {
  readonly ori: string;
  readonly name: string;
  readonly jurisdiction: JurisdictionLevel;
  readonly state: string | null;
  readonly status: AgencyStatus;
}

/**
 * How many of an agency's final decisions dated in the period reached the hub `days` days
 * after their `statusDate` (a histogram: one row per agency and number of days).
 */
export interface ReportLag {
  readonly ori: string;
  readonly days: number;
  readonly count: number;
}

export interface ComplianceInputs {
  readonly period: Period;
  /** The report's moment: only what the hub held by then counts. */
  readonly asOf: Date;
  readonly rule: EligibilityRule;
  /** The deadline table the rule names. */
  readonly deadlines: DeadlineTable;
  readonly agencies: readonly ReportAgency[];
  /** The period's certifications received by `asOf` (supersession as it stood then). */
  readonly certifications: readonly CertificationRow[];
  readonly lags: readonly ReportLag[];
  /** Standing of every agency on the date of `asOf`; a missing one reads as `none`. */
  readonly credentials: ReadonlyMap<string, CredentialStanding>;
}

export interface AgencyCompliance {
  readonly ori: string;
  readonly name: string;
  readonly jurisdiction: JurisdictionLevel;
  readonly state: string | null;
  readonly status: AgencyStatus;
  readonly credential: {
    readonly standing: CredentialStandingKind;
    readonly id: string | null;
    readonly body: string | null;
    readonly validUntil: string | null;
  };
  readonly certification: {
    readonly standing: CertificationStanding;
    readonly deadline: string;
    readonly id: string | null;
    readonly sworn: number | null;
    readonly statements: number | null;
    readonly zeroReport: boolean | null;
  };
  readonly timeliness: {
    /** The limit that binds the agency, in days; null where none. */
    readonly reportDays: number | null;
    readonly decisions: number;
    readonly onTime: number;
    readonly late: number;
    /** Null without decisions. */
    readonly medianDays: number | null;
    readonly maxDays: number | null;
  };
  readonly eligible: boolean;
  /** One per condition, in the rule's order: agency, credential, certification, reports. */
  readonly reasons: readonly EligibilityReason[];
}

export interface ComplianceReport {
  readonly v: 1;
  readonly kind: 'compliance_report';
  readonly period: Period;
  readonly asOf: string;
  readonly rule: number;
  readonly deadlineTable: number;
  readonly summary: {
    readonly agencies: number;
    readonly eligible: number;
    /** Agencies barred by each reason code, for every code that bars at least one. */
    readonly barredBy: Readonly<Partial<Record<EligibilityReasonCode, number>>>;
  };
  readonly agencies: readonly AgencyCompliance[];
}

/** The law enforcement agencies: registry entries that report or check. */
export const REPORTED_ROLES = ['reporter', 'checker'] as const;

interface Timeliness {
  decisions: number;
  onTime: number;
  late: number;
  medianDays: number | null;
  maxDays: number | null;
}

/** Counts, median and maximum from one agency's histogram (sorted by days here). */
export function timelinessOf(lags: readonly ReportLag[], reportDays: number | null): Timeliness {
  const sorted = [...lags].sort((a, b) => a.days - b.days);
  const decisions = sorted.reduce((n, l) => n + l.count, 0);
  if (decisions === 0) {
    return { decisions: 0, onTime: 0, late: 0, medianDays: null, maxDays: null };
  }
  const late =
    reportDays === null
      ? 0
      : sorted.filter((l) => l.days > reportDays).reduce((n, l) => n + l.count, 0);
  // The k-th smallest (0-based) of the expanded list, without expanding it.
  const nth = (k: number): number => {
    let seen = 0;
    for (const l of sorted) {
      seen += l.count;
      if (k < seen) return l.days;
    }
    return sorted[sorted.length - 1]!.days;
  };
  const mid = Math.floor(decisions / 2);
  const medianDays = decisions % 2 === 1 ? nth(mid) : (nth(mid - 1) + nth(mid)) / 2;
  return {
    decisions,
    onTime: decisions - late,
    late,
    medianDays,
    maxDays: sorted[sorted.length - 1]!.days,
  };
}

function reportsReason(t: Timeliness, reportDays: number | null, rule: EligibilityRule) {
  if (t.decisions === 0) return eligibilityReason('reports_none');
  if (reportDays === null) return eligibilityReason('reports_no_limit', `${t.decisions} decisions`);
  const detail = `${t.late} of ${t.decisions} later than ${reportDays} days`;
  if (t.late === 0) return eligibilityReason('reports_on_time', `${t.decisions} decisions`);
  return t.late / t.decisions > rule.maxLateShare
    ? eligibilityReason('reports_late', `${detail}; at most ${rule.maxLateShare * 100} % allowed`)
    : eligibilityReason('reports_mostly_on_time', detail);
}

function credentialReason(c: CredentialStanding | undefined): EligibilityReason {
  const standing = c?.standing ?? 'none';
  const code = CREDENTIAL_REASON[standing];
  const parts = [
    ...(c?.id ? [c.id] : []),
    ...(c?.validUntil
      ? [`${standing === 'expired' ? 'expired after' : 'valid until'} ${c.validUntil}`]
      : []),
  ];
  return eligibilityReason(code, parts.length === 0 ? undefined : parts.join(', '));
}

export function buildComplianceReport(inputs: ComplianceInputs): ComplianceReport {
  const { period, asOf, rule, deadlines } = inputs;
  if (deadlines.version !== rule.deadlineTable) {
    throw new RangeError(`rule ${rule.version} applies deadline table ${rule.deadlineTable}`);
  }
  const byOri = new Map(inputs.agencies.map((a) => [a.ori, a]));
  const status = certificationStatus(
    inputs.agencies,
    inputs.certifications,
    [period],
    deadlines,
    asOf,
  );
  const lagsByOri = new Map<string, ReportLag[]>();
  for (const l of inputs.lags) {
    const list = lagsByOri.get(l.ori);
    if (list === undefined) lagsByOri.set(l.ori, [l]);
    else list.push(l);
  }
  const barredBy: Partial<Record<EligibilityReasonCode, number>> = {};
  let eligibleCount = 0;
  const agencies = status.map((s): AgencyCompliance => {
    const agency = byOri.get(s.ori)!;
    const credential = inputs.credentials.get(s.ori);
    const reportDays = deadlineRule(deadlines, agency.jurisdiction, agency.state).reportDays;
    const t = timelinessOf(lagsByOri.get(s.ori) ?? [], reportDays);
    const reasons = [
      eligibilityReason(agency.status === 'active' ? 'agency_active' : 'agency_suspended'),
      credentialReason(credential),
      s.standing === 'on_time'
        ? eligibilityReason(
            s.zeroReport === true ? 'certification_zero_report' : 'certification_on_time',
            `${s.statements} statements, ${s.sworn} sworn`,
          )
        : eligibilityReason(`certification_${s.standing}`, `deadline ${s.deadline}`),
      reportsReason(t, reportDays, rule),
    ];
    const eligible = isEligible(reasons);
    if (eligible) eligibleCount += 1;
    for (const r of reasons) {
      if (r.effect === 'bars') barredBy[r.code] = (barredBy[r.code] ?? 0) + 1;
    }
    return {
      ori: agency.ori,
      name: agency.name,
      jurisdiction: agency.jurisdiction,
      state: agency.state,
      status: agency.status,
      credential: {
        standing: credential?.standing ?? 'none',
        id: credential?.id ?? null,
        body: credential?.body ?? null,
        validUntil: credential?.validUntil ?? null,
      },
      certification: {
        standing: s.standing,
        deadline: s.deadline,
        id: s.id,
        sworn: s.sworn,
        statements: s.statements,
        zeroReport: s.zeroReport,
      },
      timeliness: { reportDays, ...t },
      eligible,
      reasons,
    };
  });
  return {
    v: 1,
    kind: 'compliance_report',
    period,
    asOf: formatTimestamp(asOf),
    rule: rule.version,
    deadlineTable: deadlines.version,
    summary: { agencies: agencies.length, eligible: eligibleCount, barredBy },
    agencies,
  };
}
