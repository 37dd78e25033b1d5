import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTESTATION_STATUSES, type AttestationStatus } from '../../../protocol/attestation.js';
import {
  NO_STATE,
  selectCountableRecords,
  type AgencyJurisdiction,
  type AttestationMetadataRow,
} from './countable-records.js';
import { isStatisticsError } from './errors.js';

const registry = new Map<string, AgencyJurisdiction>([
  ['CA0194200', { jurisdiction: 'local', state: 'CA' }],
  ['TX1234567', { jurisdiction: 'state', state: 'TX' }],
  ['DCFBI0000', { jurisdiction: 'federal', state: null }],
]);

const id = (n: number) => `0190f1c2-3b4a-7c5d-8e6f-${String(n).padStart(12, '0')}`;

function row(n: number, o: Partial<AttestationMetadataRow> = {}): AttestationMetadataRow {
  return {
    id: id(n),
    issuer: 'CA0194200',
    category: 'termination',
    useOfForce: false,
    outcomeDate: '2023-09-14',
    status: 'final',
    supersedes: null,
    ...o,
  };
}

function codeOf(f: () => unknown): { code: string; field: string | undefined } {
  try {
    f();
  } catch (e) {
    if (isStatisticsError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('did not throw');
}

describe('selectCountableRecords', () => {
  it('counts a final statement with the year of its outcome date and its issuer’s jurisdiction', () => {
    const records = selectCountableRecords(
      [
        row(1, { outcomeDate: '2023-12-31' }),
        row(2, { issuer: 'DCFBI0000', outcomeDate: '2024-01-01', useOfForce: true }),
      ],
      registry,
    );
    expect(records).toEqual([
      {
        id: id(1),
        category: 'termination',
        useOfForce: false,
        year: 2023,
        level: 'local',
        state: 'CA',
      },
      {
        id: id(2),
        category: 'termination',
        useOfForce: true,
        year: 2024,
        level: 'federal',
        state: NO_STATE,
      },
    ]);
  });

  it('counts only the current statement of a chain, with its category and date', () => {
    const rows = [
      row(1, { status: 'notice_sent', category: 'suspension' }),
      row(2, { status: 'pending_appeal', supersedes: id(1) }),
      row(3, { status: 'final', supersedes: id(2), outcomeDate: '2022-05-01' }),
    ];
    const records = selectCountableRecords(rows, registry);
    expect(records.map((r) => [r.id, r.category, r.year])).toEqual([[id(3), 'termination', 2022]]);
  });

  it('does not count a final statement once it is overturned, retracted or expired', () => {
    for (const status of ['overturned', 'retracted', 'expired'] as const) {
      const rows = [row(1), row(2, { status, supersedes: id(1) })];
      expect(selectCountableRecords(rows, registry)).toEqual([]);
    }
  });

  it('does not count statements that are not yet final', () => {
    const rows = [row(1, { status: 'notice_sent' }), row(2, { status: 'pending_appeal' })];
    expect(selectCountableRecords(rows, registry)).toEqual([]);
  });

  it('counts a statement whose predecessor is not among the rows', () => {
    expect(selectCountableRecords([row(2, { supersedes: id(1) })], registry)).toHaveLength(1);
  });

  it('refuses duplicate ids, forks and supersession across issuers', () => {
    expect(codeOf(() => selectCountableRecords([row(1), row(1)], registry))).toEqual({
      code: 'STATISTICS_DUPLICATE_ID',
      field: 'rows[1].id',
    });
    const fork = [row(1), row(2, { supersedes: id(1) }), row(3, { supersedes: id(1) })];
    expect(codeOf(() => selectCountableRecords(fork, registry))).toEqual({
      code: 'STATISTICS_SUPERSESSION_FORK',
      field: 'rows[2].supersedes',
    });
    const foreign = [row(1), row(2, { issuer: 'TX1234567', supersedes: id(1) })];
    expect(codeOf(() => selectCountableRecords(foreign, registry))).toEqual({
      code: 'STATISTICS_SUPERSESSION_ISSUER',
      field: 'rows[1].supersedes',
    });
  });

  it('refuses a counted row whose issuer is unknown or whose outcome date is not a date', () => {
    expect(
      codeOf(() => selectCountableRecords([row(1, { issuer: 'NY0000000' })], registry)),
    ).toEqual({
      code: 'STATISTICS_UNKNOWN_ISSUER',
      field: 'rows[0].issuer',
    });
    expect(
      codeOf(() => selectCountableRecords([row(1, { outcomeDate: '2023-02-30' })], registry)),
    ).toEqual({
      code: 'STATISTICS_RECORD_INVALID',
      field: 'rows[0].outcomeDate',
    });
  });

  it('counts exactly the chains whose newest statement is final, once each (property)', () => {
    const status = fc.constantFrom<AttestationStatus>(...ATTESTATION_STATUSES);
    const chains = fc.array(fc.array(status, { minLength: 1, maxLength: 4 }), { maxLength: 8 });
    fc.assert(
      fc.property(chains, fc.nat(), (statuses, seed) => {
        const rows: AttestationMetadataRow[] = [];
        let n = 0;
        statuses.forEach((chain) => {
          let previous: string | null = null;
          for (const s of chain) {
            const r = row(++n, { status: s, supersedes: previous });
            rows.push(r);
            previous = r.id;
          }
        });
        // Row order must not matter.
        const k = rows.length === 0 ? 0 : seed % rows.length;
        const rotated = [...rows.slice(k), ...rows.slice(0, k)];
        const shuffled = seed % 2 === 0 ? rotated : rotated.reverse();
        const counted = selectCountableRecords(shuffled, registry).map((r) => r.id);
        const expected = statuses.flatMap((chain, c) => {
          const last = chain.length - 1;
          const before = statuses.slice(0, c).reduce((sum, ch) => sum + ch.length, 0);
          return chain[last] === 'final' ? [id(before + last + 1)] : [];
        });
        expect([...counted].sort()).toEqual(expected.sort());
      }),
    );
  });
});
