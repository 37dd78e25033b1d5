import { describe, expect, it } from 'vitest';
import { auditSuppression } from './audit.js';
import type { CountableRecord } from './countable-records.js';
import { isStatisticsError } from './errors.js';
import { csvField, toCsv, toPublication } from './render.js';
import { buildStatisticsTable } from './statistics-table.js';

const now = new Date('2025-01-15T00:00:00Z');
const record = (n: number, level: CountableRecord['level']): CountableRecord => ({
  id: String(n),
  category: 'termination',
  useOfForce: false,
  year: 2024,
  level,
  state: 'CA',
});
// By level: local 1, state 10, federal 30. The 1 is paired with the cheapest partner, the 10.
const rs = [
  record(0, 'local'),
  ...Array.from({ length: 10 }, (_, i) => record(i + 1, 'state')),
  ...Array.from({ length: 30 }, (_, i) => record(i + 11, 'federal')),
];
const table = buildStatisticsTable(rs, { now, dimensions: ['level'] });

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks, doubling quotes (RFC 4180 §2)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('')).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated record per row, suppressed counts empty', () => {
    expect(toCsv(table)).toBe(
      [
        'level,count,suppressed',
        '*,41,',
        'federal,30,',
        'state,,suppressed',
        'local,,suppressed',
        'tribal,0,',
        'territorial,0,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes the reasons only when asked to', () => {
    expect(toCsv(table, { includeReasons: true })).toContain(
      'state,,complementary\r\nlocal,,primary\r\n',
    );
  });
});

describe('toPublication', () => {
  it('says a cell is suppressed, not why', () => {
    const published = toPublication(table);
    expect(published.metadata.reasonsIncluded).toBe(false);
    expect(published.rows.map((r) => r.suppressed)).toEqual([
      null,
      null,
      'suppressed',
      'suppressed',
      null,
      null,
    ]);
  });

  it('is safe as published, but would not be if it told primary from complementary', () => {
    expect(auditSuppression(toPublication(table))).toEqual([]);
    // local ≤ 9 and state ≥ 10 with local + state = 11: both pinned.
    const withReasons = toPublication(table, { includeReasons: true });
    expect(auditSuppression(withReasons, { assumeReasonsKnown: true })).toEqual([
      { dimensions: { level: 'state' }, value: 10, by: 'bounds' },
      { dimensions: { level: 'local' }, value: 1, by: 'bounds' },
    ]);
  });
});

describe('auditSuppression', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return isStatisticsError(e) ? [e.code, e.field] : e;
    }
    return 'no error';
  };

  it('recovers what an attacker could from a table that lacks complementary suppression', () => {
    const rows = toPublication(table).rows.map((r) =>
      r.dimensions.level === 'state' ? { ...r, count: 10, suppressed: null } : r,
    );
    expect(auditSuppression({ metadata: table.metadata, rows })).toEqual([
      { dimensions: { level: 'local' }, value: 1, by: 'equations' },
    ]);
  });

  it('refuses rows that do not match the metadata', () => {
    const rows = toPublication(table).rows;
    expect(code(() => auditSuppression({ metadata: table.metadata, rows: rows.slice(1) }))).toEqual(
      ['STATISTICS_TABLE_INVALID', 'rows'],
    );
    expect(
      code(() => auditSuppression({ metadata: table.metadata, rows: [...rows].reverse() })),
    ).toEqual(['STATISTICS_TABLE_INVALID', 'rows[0]']);
    const flagged = rows.map((r, i) => (i === 1 ? { ...r, suppressed: 'suppressed' as const } : r));
    expect(code(() => auditSuppression({ metadata: table.metadata, rows: flagged }))).toEqual([
      'STATISTICS_TABLE_INVALID',
      'rows[1]',
    ]);
  });
});
