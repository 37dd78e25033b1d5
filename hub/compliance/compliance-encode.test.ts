import { describe, expect, it } from 'vitest';
import { CERTIFICATION_DEADLINE_TABLE_V1 } from '../../protocol/certification-deadlines.js';
import { ELIGIBILITY_RULE_V1 } from '../../protocol/compliance.js';
import {
  COMPLIANCE_CSV_COLUMNS,
  complianceCsv,
  complianceJson,
  csvField,
} from './compliance-encode.js';
import { buildComplianceReport } from './compliance-report.js';

const report = buildComplianceReport({
  period: '2026-Q1',
  asOf: new Date('2026-06-01T00:00:00Z'),
  rule: ELIGIBILITY_RULE_V1,
  deadlines: CERTIFICATION_DEADLINE_TABLE_V1,
  agencies: [
    {
      ori: 'CA0194200',
      name: 'Police, "Central" Division',
      jurisdiction: 'local',
      state: 'CA',
      status: 'active',
    },
    {
      ori: 'AZ0000100',
      name: 'Tribal Police\nNorth',
      jurisdiction: 'tribal',
      state: null,
      status: 'active',
    },
  ],
  certifications: [
    {
      id: 'c1',
      issuer: 'CA0194200',
      period: '2026-Q1',
      sworn: 12,
      statements: 0,
      zeroReport: true,
      supersededBy: null,
      receivedAt: new Date('2026-04-03T00:00:00Z'),
    },
  ],
  lags: [{ ori: 'CA0194200', days: 3, count: 1 }],
  credentials: new Map(),
});

function parseCsv(text: string): string[][] {
  // A strict RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records.
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  return rows;
}

describe('compliance report encodings', () => {
  it('quote fields as RFC 4180 says, and only those', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('write the header, then one CRLF record per agency that reads back to the report', () => {
    const csv = complianceCsv(report);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...COMPLIANCE_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const byName = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    expect(byName[0]).toMatchObject({
      ori: 'AZ0000100',
      name: 'Tribal Police\nNorth',
      state: '',
      credential: 'none',
      certification: 'missing',
      eligible: 'false',
      barred_by: 'credential_missing;certification_missing',
    });
    expect(byName[1]).toMatchObject({
      ori: 'CA0194200',
      name: 'Police, "Central" Division',
      zero_report: 'true',
      sworn: '12',
      final_decisions: '1',
      median_days: '3',
      barred_by: 'credential_missing',
    });
    expect(byName[1]!['reasons']).toContain(
      'certification_zero_report: zero report certified on time',
    );
  });

  it('write JSON as its RFC 8785 canonical text: sorted members, no spaces, one form', () => {
    const json = complianceJson(report);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json.startsWith('{"agencies":[{"certification":{')).toBe(true);
    expect(json).not.toMatch(/\n|": /);
    expect(complianceJson(JSON.parse(json) as typeof report)).toBe(json);
  });
});
