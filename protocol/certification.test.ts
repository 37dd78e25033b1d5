import { describe, expect, it } from 'vitest';
import {
  CERTIFICATION_DEADLINE_TABLE_V1,
  certificationDeadline,
  deadlineRule,
  timelinessOf,
  type DeadlineTable,
} from './certification-deadlines.js';
import {
  CertificationPayloadSchema,
  isClosedPeriod,
  lastClosedPeriod,
  periodBounds,
  periodOf,
  previousPeriod,
} from './certification.js';

describe('reporting periods', () => {
  it('bounds quarters, months and years, leap days included', () => {
    expect(periodBounds('2024-Q1')).toMatchObject({ start: '2024-01-01', end: '2024-03-31' });
    expect(periodBounds('2024-Q4')).toMatchObject({ start: '2024-10-01', end: '2024-12-31' });
    expect(periodBounds('2024-02')).toMatchObject({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodBounds('2023-02').end).toBe('2023-02-28');
    expect(periodBounds('2025')).toMatchObject({ length: 'year', end: '2025-12-31' });
  });

  it('finds the last closed period; a period is open on its last day', () => {
    const at = (ts: string) => new Date(ts);
    expect(lastClosedPeriod(at('2026-01-01T00:00:00Z'), 'quarter')).toBe('2025-Q4');
    expect(lastClosedPeriod(at('2026-05-01T12:00:00Z'), 'month')).toBe('2026-04');
    expect(lastClosedPeriod(at('2026-05-01T12:00:00Z'), 'year')).toBe('2025');
    expect(previousPeriod('2026-Q1')).toBe('2025-Q4');
    expect(periodOf('2026-09-30', 'quarter')).toBe('2026-Q3');
    expect(isClosedPeriod('2026-Q1', at('2026-03-31T23:59:59Z'))).toBe(false);
    expect(isClosedPeriod('2026-Q1', at('2026-04-01T00:00:00Z'))).toBe(true);
  });
});

describe('certification deadlines', () => {
  const table: DeadlineTable = {
    version: 99,
    defaultRule: CERTIFICATION_DEADLINE_TABLE_V1.defaultRule,
    states: { FL: { certifyDays: 10, reportDays: 10, source: 'test' } },
  };

  it("uses a state's rule for agencies under state law, the default otherwise", () => {
    expect(deadlineRule(table, 'local', 'FL').certifyDays).toBe(10);
    expect(deadlineRule(table, 'tribal', 'FL').certifyDays).toBe(30);
    expect(deadlineRule(table, 'federal', 'FL').certifyDays).toBe(30);
    expect(deadlineRule(table, 'local', 'CA').certifyDays).toBe(30);
    expect(certificationDeadline('2026-Q1', deadlineRule(table, 'state', 'FL'))).toBe('2026-04-10');
    expect(certificationDeadline('2026-Q4', table.defaultRule)).toBe('2027-01-30');
  });

  it('is on time through the last day of the deadline', () => {
    expect(timelinessOf(new Date('2026-04-30T23:59:59Z'), '2026-04-30')).toBe('on_time');
    expect(timelinessOf(new Date('2026-05-01T00:00:00Z'), '2026-04-30')).toBe('late');
  });
});

describe('certification payload', () => {
  const base = {
    v: 1,
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    issuer: 'CA0194200',
    period: '2026-Q1',
    sworn: 10,
    statements: 0,
    zeroReport: true,
    supersedes: null,
    issuedAt: '2026-04-02T00:00:00Z',
  };
  it('accepts a zero report after the period and refuses one issued inside it', () => {
    expect(CertificationPayloadSchema.safeParse(base).success).toBe(true);
    const early = CertificationPayloadSchema.safeParse({
      ...base,
      issuedAt: '2026-03-31T10:00:00Z',
    });
    expect(early.error?.issues.map((i) => i.path.join('.'))).toEqual(['period']);
  });
  it('refuses statements from an agency without sworn officers', () => {
    const r = CertificationPayloadSchema.safeParse({
      ...base,
      sworn: 0,
      statements: 2,
      zeroReport: false,
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['sworn']);
  });
});
