import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AttestationPayloadSchema } from '../../protocol/attestation.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { attestationsRepository } from '../store/attestations.repository.js';
import type { NodeTables } from '../store/database.js';
import { officersRepository, type OfficerFields } from '../store/officers.repository.js';
import { outcomesRepository, type Outcome } from '../store/outcomes.repository.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { toCsv } from '../synthetic/csv-text.js';
import { OUTCOME_COLUMNS } from './columns.js';
import { importOutcomes } from './import-outcomes.js';
import type { ImportOptions, ImportResult } from './import-result.js';

const NOW = new Date('2025-06-01T09:00:00Z');
const HEADER = OUTCOME_COLUMNS.map((c) => c.name);

type Row = Record<string, string>;
const good = (over: Row = {}): Row => ({
  employee_id: 'E-100',
  case_number: 'IA-2023-0142',
  category: 'termination',
  use_of_force: 'Y',
  event_date: '2023-04-02',
  outcome_date: '2023-09-14',
  status: 'final',
  status_date: '2023-11-01',
  officer_notified: 'yes',
  disputed_since: '',
  ...over,
});
const csv = (rows: Row[]) =>
  toCsv(
    HEADER,
    rows.map((r) => HEADER.map((h) => r[h] ?? '')),
  );

const officer = (employeeId: string): OfficerFields => ({
  employeeId,
  firstName: 'Ann',
  middleName: null,
  lastName: 'Lee',
  suffix: null,
  dateOfBirth: '1980-01-01',
  ssn: null,
  licenseState: null,
  licenseNumber: null,
  hireDate: null,
  separationDate: null,
  aliases: [],
});

let handle: DatabaseHandle<NodeTables>;
beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
  await officersRepository(handle.db).insertMany([officer('E-100'), officer('E-101')], NOW);
});

const run = (input: string, options: Partial<ImportOptions> = {}) =>
  importOutcomes(handle.db, input, { now: () => NOW, ...options });

async function stored(): Promise<Outcome[]> {
  const e100 = await officersRepository(handle.db).findByEmployeeId('E-100');
  return outcomesRepository(handle.db).listByOfficer(e100!.id);
}

async function expectRejected(
  input: string,
  expected: { line: number | null; field: string | null; code: string }[],
) {
  const result: ImportResult = await run(input);
  expect(
    result.ok ? [] : result.issues.map(({ line, field, code }) => ({ line, field, code })),
  ).toEqual(expected);
  expect(await outcomesRepository(handle.db).count()).toBe(0);
}

describe('importing outcomes', () => {
  it('stores outcomes in canonical form, ready to be attested', async () => {
    const result = await run(
      csv([
        good(),
        good({
          case_number: 'IA-7',
          category: 'Suspension',
          use_of_force: 'no',
          status: 'NOTICE_SENT',
          officer_notified: 'N',
        }),
      ]),
    );
    expect(result.ok && result.summary).toEqual({
      rows: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      outcomesToAttest: 2,
    });
    const [a, b] = await stored();
    expect(a).toMatchObject({
      localRef: 'IA-2023-0142',
      useOfForce: true,
      notified: true,
      revision: 1,
    });
    expect(b).toMatchObject({ category: 'suspension', status: 'notice_sent', useOfForce: false });
    // Every field the importer accepts makes a valid attestation payload (docs/protocol.md §5.5).
    const payload = {
      v: 1,
      id: '01956a00-0000-7000-8000-000000000001',
      issuer: 'NM0010100',
      tokens: { epoch: 1, keys: [{ kind: 'ssn', index: 'A'.repeat(43) }] },
      categoryList: a!.categoryList,
      category: a!.category,
      useOfForce: a!.useOfForce,
      eventDate: a!.eventDate,
      outcomeDate: a!.outcomeDate,
      status: a!.status,
      statusDate: a!.statusDate,
      notified: a!.notified,
      disputed: null,
      supersedes: null,
      localRef: a!.localRef,
      issuedAt: '2025-06-01T09:00:00Z',
    };
    expect(AttestationPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it('changes nothing on a second import of the same file, and re-marks only changed outcomes', async () => {
    const input = csv([good(), good({ employee_id: 'E-101' })]);
    await run(input);
    const again = await run(input);
    expect(again.ok && again.summary).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
      outcomesToAttest: 0,
    });
    expect((await stored())[0]!.revision).toBe(1);
    const changed = await run(
      csv([good({ disputed_since: '2024-01-05' }), good({ employee_id: 'E-101' })]),
    );
    expect(changed.ok && changed.summary).toMatchObject({
      updated: 1,
      unchanged: 1,
      outcomesToAttest: 1,
    });
    expect((await stored())[0]).toMatchObject({ disputedSince: '2024-01-05', revision: 2 });
  });

  it('reports in a dry run what would change without writing', async () => {
    await run(csv([good()]));
    const dry = await run(
      csv([good({ status: 'pending_appeal' }), good({ case_number: 'IA-9' })]),
      {
        dryRun: true,
      },
    );
    expect(dry).toEqual({
      ok: true,
      dryRun: true,
      summary: { rows: 2, inserted: 1, updated: 1, unchanged: 0, outcomesToAttest: 2 },
    });
    expect((await stored()).map((o) => [o.status, o.revision])).toEqual([['final', 1]]);
  });

  it('lets a status change only to a successor of the status the hub holds', async () => {
    await run(csv([good()]));
    const [o] = await stored();
    const attestations = attestationsRepository(handle.db);
    const id = '01956a00-0000-7000-8000-000000000001';
    await attestations.record(
      {
        id,
        outcomeId: o!.id,
        outcomeRevision: 1,
        statementStatus: 'final',
        epoch: 1,
        jws: 'a.b.c',
        supersedes: null,
      },
      NOW,
    );
    await attestations.markAccepted(id, {}, NOW);
    const back = await run(csv([good({ status: 'notice_sent' })]));
    expect(back.ok ? [] : back.issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [2, 'status', 'STATUS_TRANSITION'],
    ]);
    const overturned = await run(csv([good({ status: 'overturned', status_date: '2024-02-01' })]));
    expect(overturned.ok && overturned.summary.updated).toBe(1);
  });
});

describe('rejecting a bad outcomes file writes nothing and names line, column and code', () => {
  it.each([
    [{ employee_id: 'E-999' }, 'employee_id', 'OFFICER_UNKNOWN'],
    [{ employee_id: '' }, 'employee_id', 'VALUE_REQUIRED'],
    [{ case_number: 'IA 7' }, 'case_number', 'CASE_NUMBER_FORMAT'],
    [{ case_number: '899-12-3456' }, 'case_number', 'CASE_NUMBER_FORMAT'],
    [{ category: 'fired' }, 'category', 'CATEGORY_UNKNOWN'],
    [{ use_of_force: 'maybe' }, 'use_of_force', 'BOOLEAN_FORMAT'],
    [{ event_date: '04/02/2023' }, 'event_date', 'DATE_FORMAT'],
    [{ event_date: '2023-02-29' }, 'event_date', 'DATE_INVALID'],
    [{ status_date: '2025-06-02' }, 'status_date', 'DATE_IN_FUTURE'],
    [{ status_date: '' }, 'status_date', 'VALUE_REQUIRED'],
    [{ outcome_date: '2023-01-01', status_date: '2023-01-01' }, 'outcome_date', 'DATE_ORDER'],
    [{ status_date: '2023-09-13' }, 'status_date', 'DATE_ORDER'],
    [{ disputed_since: '2023-09-01' }, 'disputed_since', 'DATE_ORDER'],
    [{ status: 'closed' }, 'status', 'STATUS_UNKNOWN'],
    [{ officer_notified: 'no' }, 'officer_notified', 'NOTIFIED_REQUIRED'],
    [
      { category: 'civil_judgment_use_of_force', use_of_force: 'no' },
      'use_of_force',
      'USE_OF_FORCE_REQUIRED',
    ],
  ])('rejects %j as %s %s', async (over, field, code) => {
    await expectRejected(csv([good({ case_number: 'OK-1' }), good(over)]), [
      { line: 3, field, code },
    ]);
  });

  it('reports an unknown officer on a row that has other errors too', async () => {
    await expectRejected(csv([good({ employee_id: 'E-999', category: 'fired' })]), [
      { line: 2, field: 'employee_id', code: 'OFFICER_UNKNOWN' },
      { line: 2, field: 'category', code: 'CATEGORY_UNKNOWN' },
    ]);
  });

  it('rejects the same officer and case twice in one file', async () => {
    await expectRejected(
      csv([good(), good({ employee_id: 'E-101' }), good({ category: 'suspension' })]),
      [{ line: 4, field: 'case_number', code: 'OUTCOME_DUPLICATE' }],
    );
  });

  it("refuses a case number carrying the officer's identifiers: it reaches the hub as localRef", async () => {
    await officersRepository(handle.db).insertMany(
      [
        {
          ...officer('E-200'),
          lastName: 'Kowalczyk',
          dateOfBirth: '1988-03-14',
          ssn: '899-20-4417',
          licenseState: 'NM',
          licenseNumber: '700602',
          aliases: [{ firstName: null, lastName: 'Nowak' }],
        },
      ],
      NOW,
    );
    const result = await run(
      csv([
        good({ employee_id: 'E-200', case_number: 'IA-KOWALCZYK-1' }),
        good({ employee_id: 'E-200', case_number: 'IA-NOWAK-2' }),
        good({ employee_id: 'E-200', case_number: 'IA-19880314' }),
        good({ employee_id: 'E-200', case_number: 'X.899.20.4417' }),
        good({ employee_id: 'E-200', case_number: 'IA-700602' }),
        good({ employee_id: 'E-200', case_number: 'IA-2023-0001' }),
        good({ employee_id: 'E-100', case_number: 'IA-KOWALCZYK-1' }), // not this officer's name
      ]),
    );
    expect(
      result.ok ? [] : result.issues.map(({ line, field, code }) => ({ line, field, code })),
    ).toEqual(
      [2, 3, 4, 5, 6].map((line) => ({
        line,
        field: 'case_number',
        code: 'REFERENCE_CONTAINS_IDENTIFIER',
      })),
    );
    expect(JSON.stringify(result)).not.toMatch(/kowalczyk|nowak|1988|4417|700602/i);
    expect(await outcomesRepository(handle.db).count()).toBe(0);
  });

  it('names the outcome columns a file lacks or does not define', async () => {
    const header = HEADER.filter((h) => h !== 'status').concat('notes');
    await expectRejected(toCsv(header, [header.map(() => 'x')]), [
      { line: 1, field: 'status', code: 'COLUMN_MISSING' },
      { line: 1, field: `(column ${header.length})`, code: 'COLUMN_UNKNOWN' },
    ]);
  });
});
