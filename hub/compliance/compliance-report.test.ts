/**
 * The compliance report's pure core: each condition of eligibility rule 1 with its reason, over
 * fake credential sources covering every standing kind, certification standings (on time, zero
 * report, late, due, missing), and timeliness from a histogram of report delays.
 */
import { describe, expect, it } from 'vitest';
import { CERTIFICATION_DEADLINE_TABLE_V1 } from '../../protocol/certification-deadlines.js';
import {
  CREDENTIAL_REASON,
  ELIGIBILITY_REASONS,
  ELIGIBILITY_RULE_V1,
  eligibilityRule,
} from '../../protocol/compliance.js';
import {
  CREDENTIAL_STANDINGS,
  CREDENTIAL_STANDINGS_THAT_COUNT,
  type CredentialStanding,
  type CredentialStandingKind,
} from '../../protocol/credential-standing.js';
import type { CertificationRow } from '../certifications/certification-status.js';
import {
  buildComplianceReport,
  timelinessOf,
  type ComplianceInputs,
  type ReportAgency,
  type ReportLag,
} from './compliance-report.js';
import { standingWithoutRecord } from './credential-sources.js';

const PERIOD = '2026-Q1';
/** Deadline 2026-04-30 under table 1; asOf after it unless a test says otherwise. */
const AS_OF = new Date('2026-06-01T00:00:00Z');

function agency(ori: string, patch: Partial<ReportAgency> = {}): ReportAgency {
  return {
    ori,
    name: `Agency ${ori}`,
    jurisdiction: 'local',
    state: 'CA',
    status: 'active',
    ...patch,
  };
}

function standing(ori: string, kind: CredentialStandingKind): CredentialStanding {
  const held = kind === 'credentialed' || kind === 'expired' || kind === 'revoked';
  return {
    ori,
    standing: kind,
    id: held || kind === 'in_process' ? `cred-${ori}` : null,
    body: held ? 'BODY01' : null,
    assessedOn: held ? '2025-01-10' : null,
    validUntil: kind === 'none' || kind === 'exempt' ? null : '2028-01-09',
    mandatoryMet: held ? true : null,
    standards: held ? ['use_of_force_policy', 'chokehold_ban'] : [],
  };
}

function certified(
  ori: string,
  receivedAt: string,
  patch: Partial<CertificationRow> = {},
): CertificationRow {
  return {
    id: `cert-${ori}-${receivedAt}`,
    issuer: ori,
    period: PERIOD,
    sworn: 40,
    statements: 3,
    zeroReport: false,
    supersededBy: null,
    receivedAt: new Date(receivedAt),
    ...patch,
  };
}

function inputs(patch: Partial<ComplianceInputs>): ComplianceInputs {
  return {
    period: PERIOD,
    asOf: AS_OF,
    rule: ELIGIBILITY_RULE_V1,
    deadlines: CERTIFICATION_DEADLINE_TABLE_V1,
    agencies: [],
    certifications: [],
    lags: [],
    credentials: new Map(),
    ...patch,
  };
}

const codes = (r: { reasons: readonly { code: string }[] }) => r.reasons.map((x) => x.code);

describe('eligibility rule 1', () => {
  it('makes every credential standing meet or bar as credential-standing.ts says it counts', () => {
    const agencies = CREDENTIAL_STANDINGS.map((kind, i) => agency(`CA00000${i}0`));
    const report = buildComplianceReport(
      inputs({
        agencies,
        certifications: agencies.map((a) => certified(a.ori, '2026-04-10T10:00:00Z')),
        credentials: new Map(
          agencies.map((a, i) => [a.ori, standing(a.ori, CREDENTIAL_STANDINGS[i]!)]),
        ),
      }),
    );
    for (const [i, kind] of CREDENTIAL_STANDINGS.entries()) {
      const row = report.agencies.find((a) => a.ori === agencies[i]!.ori)!;
      const counts = CREDENTIAL_STANDINGS_THAT_COUNT.includes(kind);
      expect(row.credential.standing).toBe(kind);
      expect(row.reasons[1]).toMatchObject({
        code: CREDENTIAL_REASON[kind],
        effect: counts ? 'meets' : 'bars',
      });
      // Every other condition holds, so the credential alone decides.
      expect(row.eligible).toBe(counts);
    }
    expect(report.summary).toEqual({
      agencies: 6,
      eligible: 3,
      barredBy: { credential_expired: 1, credential_revoked: 1, credential_missing: 1 },
    });
  });

  it('reads an agency missing from the source as none, and the store-less source exempts tribes', () => {
    const tribal = agency('AZ0000100', { jurisdiction: 'tribal', state: null });
    const local = agency('AZ0000200', { state: 'AZ' });
    const certs = [tribal, local].map((a) => certified(a.ori, '2026-04-02T00:00:00Z'));
    const missing = buildComplianceReport(
      inputs({ agencies: [tribal, local], certifications: certs }),
    );
    expect(missing.agencies.map((a) => [a.credential.standing, a.eligible])).toEqual([
      ['none', false],
      ['none', false],
    ]);
    const storeless = buildComplianceReport(
      inputs({
        agencies: [tribal, local],
        certifications: certs,
        credentials: new Map([
          [tribal.ori, standingWithoutRecord(tribal.ori, true)],
          [local.ori, standingWithoutRecord(local.ori, false)],
        ]),
      }),
    );
    expect(storeless.agencies.map((a) => [a.ori, codes(a)[1], a.eligible])).toEqual([
      [tribal.ori, 'credential_exempt', true],
      [local.ori, 'credential_missing', false],
    ]);
  });

  it('meets the certification condition on time or with a zero report, and bars due, late and missing', () => {
    const [onTime, zero, late, missing] = ['CA0000010', 'CA0000020', 'CA0000030', 'CA0000040'].map(
      (o) => agency(o),
    );
    const all = [onTime!, zero!, late!, missing!];
    const credentials = new Map(all.map((a) => [a.ori, standing(a.ori, 'credentialed')]));
    const certifications = [
      certified(onTime!.ori, '2026-04-30T23:59:59Z'),
      certified(zero!.ori, '2026-04-01T08:00:00Z', { statements: 0, zeroReport: true }),
      certified(late!.ori, '2026-05-01T00:00:00Z'),
    ];
    const report = buildComplianceReport(inputs({ agencies: all, certifications, credentials }));
    expect(
      report.agencies.map((a) => [a.ori, a.certification.standing, codes(a)[2], a.eligible]),
    ).toEqual([
      [onTime!.ori, 'on_time', 'certification_on_time', true],
      [zero!.ori, 'on_time', 'certification_zero_report', true],
      [late!.ori, 'late', 'certification_late', false],
      [missing!.ori, 'missing', 'certification_missing', false],
    ]);
    expect(report.agencies[3]!.reasons[2]!.text).toContain('deadline 2026-04-30');

    const early = buildComplianceReport(
      inputs({ agencies: [missing!], credentials, asOf: new Date('2026-04-15T00:00:00Z') }),
    );
    expect(early.agencies[0]).toMatchObject({
      eligible: false,
      certification: { standing: 'due', deadline: '2026-04-30' },
    });
    expect(codes(early.agencies[0]!)[2]).toBe('certification_due');
  });

  it('bars a suspended agency even when everything else holds', () => {
    const a = agency('TX0000010', { status: 'suspended', state: 'TX' });
    const report = buildComplianceReport(
      inputs({
        agencies: [a],
        certifications: [certified(a.ori, '2026-04-02T00:00:00Z')],
        credentials: new Map([[a.ori, standing(a.ori, 'credentialed')]]),
      }),
    );
    expect(report.agencies[0]).toMatchObject({ eligible: false, status: 'suspended' });
    expect(
      report.agencies[0]!.reasons.filter((r) => r.effect === 'bars').map((r) => r.code),
    ).toEqual(['agency_suspended']);
  });

  it('bars reports when more than 10 % of final decisions were late, and lists every bar', () => {
    const ok = agency('NY0000010', { state: 'NY' });
    const few = agency('NY0000020', { state: 'NY' });
    const many = agency('NY0000030', { state: 'NY' });
    const lags: ReportLag[] = [
      { ori: ok.ori, days: 3, count: 5 },
      { ori: ok.ori, days: 30, count: 1 },
      { ori: few.ori, days: 10, count: 9 },
      { ori: few.ori, days: 31, count: 1 },
      { ori: many.ori, days: 45, count: 2 },
      { ori: many.ori, days: 2, count: 8 },
      { ori: many.ori, days: 31, count: 1 },
    ];
    const report = buildComplianceReport(
      inputs({
        agencies: [ok, few, many],
        certifications: [
          certified(ok.ori, '2026-04-02T00:00:00Z'),
          certified(few.ori, '2026-04-02T00:00:00Z'),
        ],
        credentials: new Map([
          [ok.ori, standing(ok.ori, 'in_process')],
          [few.ori, standing(few.ori, 'credentialed')],
          [many.ori, standing(many.ori, 'revoked')],
        ]),
        lags,
      }),
    );
    const [r1, r2, r3] = report.agencies;
    expect(r1!.timeliness).toEqual({
      reportDays: 30,
      decisions: 6,
      onTime: 6,
      late: 0,
      medianDays: 3,
      maxDays: 30,
    });
    expect([codes(r1!)[3], r1!.eligible]).toEqual(['reports_on_time', true]);
    expect(r2!.timeliness).toMatchObject({ decisions: 10, late: 1, medianDays: 10, maxDays: 31 });
    expect([codes(r2!)[3], r2!.eligible]).toEqual(['reports_mostly_on_time', true]);
    expect(r3!.timeliness).toMatchObject({ decisions: 11, late: 3, medianDays: 2, maxDays: 45 });
    expect(r3!.eligible).toBe(false);
    expect(r3!.reasons.filter((r) => r.effect === 'bars').map((r) => r.code)).toEqual([
      'credential_revoked',
      'certification_missing',
      'reports_late',
    ]);
    expect(r3!.reasons[3]!.text).toContain('3 of 11 later than 30 days');
  });

  it('gives one reason per condition, in order, from the published vocabulary', () => {
    const a = agency('CA0000010');
    const report = buildComplianceReport(inputs({ agencies: [a] }));
    const reasons = report.agencies[0]!.reasons;
    expect(reasons.map((r) => ELIGIBILITY_REASONS[r.code].condition)).toEqual([
      'agency',
      'credential',
      'certification',
      'reports',
    ]);
    expect(codes(report.agencies[0]!)[3]).toBe('reports_none');
    expect(report).toMatchObject({ rule: 1, deadlineTable: 1, asOf: '2026-06-01T00:00:00Z' });
    expect(eligibilityRule(2)).toBeUndefined();
  });

  it('refuses a deadline table the rule does not name', () => {
    expect(() =>
      buildComplianceReport(
        inputs({ deadlines: { ...CERTIFICATION_DEADLINE_TABLE_V1, version: 9 } }),
      ),
    ).toThrow(RangeError);
  });
});

describe('timeliness', () => {
  it('takes the median of an even count as the mean of the middle two, without expanding', () => {
    expect(
      timelinessOf(
        [
          { ori: 'X', days: 40, count: 1 },
          { ori: 'X', days: 1, count: 1 },
          { ori: 'X', days: 6, count: 2 },
        ],
        30,
      ),
    ).toEqual({ decisions: 4, onTime: 3, late: 1, medianDays: 6, maxDays: 40 });
    expect(
      timelinessOf(
        [
          { ori: 'X', days: 1, count: 1 },
          { ori: 'X', days: 4, count: 1 },
        ],
        null,
      ),
    ).toEqual({ decisions: 2, onTime: 2, late: 0, medianDays: 2.5, maxDays: 4 });
    expect(timelinessOf([], 30)).toEqual({
      decisions: 0,
      onTime: 0,
      late: 0,
      medianDays: null,
      maxDays: null,
    });
  });
});
