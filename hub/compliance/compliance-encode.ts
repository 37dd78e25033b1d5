/**
 * The compliance report's two published forms (docs/compliance.md "Formats"): JSON as the
 * RFC 8785 canonical bytes of the report (one report, one byte form, whatever produced it), and
 * CSV (RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, a quote or
 * a line break, quotes doubled) with a fixed column order. Each is signed as it is
 * (compliance.service.ts), so a reader checks the bytes it was given.
 */
import { canonicalJson } from '../../crypto/signing/canonical-json.js';
import type { AgencyCompliance, ComplianceReport } from './compliance-report.js';

export const COMPLIANCE_FORMATS = ['json', 'csv'] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

export const COMPLIANCE_MEDIA_TYPES: Readonly<Record<ComplianceFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** The CSV columns, in their published order; a new column is a new report version. */
export const COMPLIANCE_CSV_COLUMNS = [
  'period',
  'as_of',
  'rule',
  'ori',
  'name',
  'jurisdiction',
  'state',
  'status',
  'credential',
  'credential_id',
  'credential_body',
  'credential_valid_until',
  'certification',
  'certification_deadline',
  'certification_id',
  'sworn',
  'statements',
  'zero_report',
  'report_days',
  'final_decisions',
  'reported_on_time',
  'reported_late',
  'median_days',
  'max_days',
  'eligible',
  'barred_by',
  'reasons',
] as const;

type Cell = string | number | boolean | null;

/** RFC 4180 §2: a field with a comma, a double quote or a line break is quoted. */
export function csvField(value: Cell): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(report: ComplianceReport, a: AgencyCompliance): Cell[] {
  const t = a.timeliness;
  return [
    report.period,
    report.asOf,
    report.rule,
    a.ori,
    a.name,
    a.jurisdiction,
    a.state,
    a.status,
    a.credential.standing,
    a.credential.id,
    a.credential.body,
    a.credential.validUntil,
    a.certification.standing,
    a.certification.deadline,
    a.certification.id,
    a.certification.sworn,
    a.certification.statements,
    a.certification.zeroReport,
    t.reportDays,
    t.decisions,
    t.onTime,
    t.late,
    t.medianDays,
    t.maxDays,
    a.eligible,
    a.reasons
      .filter((r) => r.effect === 'bars')
      .map((r) => r.code)
      .join(';'),
    a.reasons.map((r) => `${r.code}: ${r.text}`).join('; '),
  ];
}

export function complianceCsv(report: ComplianceReport): string {
  const lines = [COMPLIANCE_CSV_COLUMNS.join(',')];
  for (const a of report.agencies) lines.push(csvRow(report, a).map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function complianceJson(report: ComplianceReport): string {
  return canonicalJson(report);
}

export function encodeComplianceReport(report: ComplianceReport, format: ComplianceFormat): string {
  return format === 'json' ? complianceJson(report) : complianceCsv(report);
}
