import { describe, expect, it } from 'vitest';
import { eligibilityReason, type EligibilityReasonCode } from '../../protocol/compliance.js';
import type { AgencyCompliance, ComplianceReport } from '../compliance/index.js';
import { ADMINISTRATIVE_REASONS, publicComplianceSummary } from './compliance-summary.js';

function agency(
  ori: string,
  jurisdiction: AgencyCompliance['jurisdiction'],
  codes: EligibilityReasonCode[],
): AgencyCompliance {
  const reasons = codes.map((c) => eligibilityReason(c));
  return {
    ori,
    name: `Agency ${ori}`,
    jurisdiction,
    state: null,
    status: 'active',
    credential: { standing: 'credentialed', id: null, body: null, validUntil: null },
    certification: {
      standing: 'on_time',
      deadline: '2026-04-30',
      id: null,
      sworn: 10,
      statements: 4,
      zeroReport: false,
    },
    timeliness: { reportDays: 30, decisions: 4, onTime: 4, late: 0, medianDays: 3, maxDays: 9 },
    eligible: reasons.every((r) => r.effect === 'meets'),
    reasons,
  } as AgencyCompliance;
}

function report(agencies: AgencyCompliance[]): ComplianceReport {
  return {
    v: 1,
    kind: 'compliance_report',
    period: '2026-Q1',
    asOf: '2026-05-02T00:00:00Z',
    rule: 1,
    deadlineTable: 1,
    summary: { agencies: agencies.length, eligible: 0, barredBy: {} },
    agencies,
  };
}

const OK: EligibilityReasonCode[] = [
  'agency_active',
  'credentialed',
  'certification_on_time',
  'reports_on_time',
];

describe('publicComplianceSummary', () => {
  it('counts the administrative reasons per level, a zero report as on time', () => {
    const s = publicComplianceSummary(
      report([
        agency('CA0000001', 'local', OK),
        agency('CA0000002', 'local', [
          'agency_active',
          'credential_missing',
          'certification_zero_report',
          'reports_none',
        ]),
        agency('AZ0000T01', 'tribal', [
          'agency_active',
          'credential_exempt',
          'certification_missing',
          'reports_late',
        ]),
      ]),
      3,
    );
    expect(s.levels.map((l) => [l.level, l.agencies])).toEqual([
      ['local', 2],
      ['tribal', 1],
      ['all', 3],
    ]);
    const local = s.levels[0]!;
    expect(local.reasons.certification_on_time).toBe(2);
    expect(local.reasons.credential_missing).toBe(1);
    expect(Object.keys(local.reasons)).toEqual(ADMINISTRATIVE_REASONS);
    expect(ADMINISTRATIVE_REASONS).not.toContain('certification_zero_report');
    expect(ADMINISTRATIVE_REASONS.some((c) => c.startsWith('reports_'))).toBe(false);
    expect(s.national).toEqual({ eligible: 1, ineligible: 2, reportsMet: 2, reportsLate: 1 });
  });

  it('publishes no eligibility or reports figures with fewer agencies than the smallest cell', () => {
    const s = publicComplianceSummary(
      report([
        agency('AZ0000T01', 'tribal', [
          'agency_active',
          'credential_exempt',
          'certification_on_time',
          'reports_late',
        ]),
      ]),
      3,
    );
    expect(s.national).toBeNull();
    // Nothing in the summary carries an agency's identity or its counts of decisions.
    const text = JSON.stringify(s);
    expect(text).not.toContain('AZ0000T01');
    expect(text).not.toContain('reports_late');
    expect(text).not.toContain('statements');
  });
});
