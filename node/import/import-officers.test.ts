import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import type { NodeTables } from '../store/database.js';
import { officersRepository } from '../store/officers.repository.js';
import { outcomesRepository } from '../store/outcomes.repository.js';
import { clearNodeStore, openNodeTestDatabase } from '../store/testing.js';
import { toCsv } from '../synthetic/csv-text.js';
import { OFFICER_COLUMNS } from './columns.js';
import { importOfficers } from './import-officers.js';
import type { ImportOptions, ImportProgress, ImportResult } from './import-result.js';

const NOW = new Date('2025-06-01T09:00:00Z');
const HEADER = OFFICER_COLUMNS.map((c) => c.name);

type Row = Record<string, string>;
const good = (over: Row = {}): Row => ({
  employee_id: 'E-100',
  last_name: 'Ibáñez',
  first_name: 'Ramón',
  middle_name: 'José',
  suffix: 'Jr.',
  date_of_birth: '1984-07-02',
  ssn: '899-12-3456',
  license_state: 'NM',
  license_number: '12-345',
  former_names: '',
  hire_date: '2008-05-01',
  separation_date: '',
  ...over,
});
const csv = (rows: Row[], header = HEADER) =>
  toCsv(
    header,
    rows.map((r) => header.map((h) => r[h] ?? '')),
  );

let handle: DatabaseHandle<NodeTables>;
beforeAll(async () => {
  handle = await openNodeTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await clearNodeStore(handle.db);
});

const run = (input: string | Uint8Array, options: Partial<ImportOptions> = {}) =>
  importOfficers(handle.db, input, { now: () => NOW, ...options });

function issuesOf(result: ImportResult) {
  if (result.ok) throw new Error('expected a rejection');
  return result.issues.map(({ line, field, code }) => ({ line, field, code }));
}

async function expectRejected(
  input: string | Uint8Array,
  expected: { line: number | null; field: string | null; code: string }[],
  options: Partial<ImportOptions> = {},
) {
  const result = await run(input, options);
  expect(issuesOf(result)).toEqual(expected);
  expect(await officersRepository(handle.db).count()).toBe(0);
}

describe('importing officers', () => {
  it('stores every row with its values as given (trimmed) and its former names in order', async () => {
    const input = csv([
      good({ last_name: '  Ibáñez ', former_names: 'Ortega; Ray:Ibanez' }),
      good({ employee_id: 'E-101', ssn: '', license_state: '', license_number: '' }),
    ]);
    const result = await run(input);
    expect(result).toEqual({
      ok: true,
      dryRun: false,
      summary: { rows: 2, inserted: 2, updated: 0, unchanged: 0, outcomesToAttest: 0 },
    });
    const stored = await officersRepository(handle.db).findByEmployeeId('E-100');
    expect(stored).toMatchObject({
      lastName: 'Ibáñez',
      ssn: '899-12-3456',
      licenseNumber: '12-345',
    });
    expect(stored?.aliases).toEqual([
      { firstName: null, lastName: 'Ortega' },
      { firstName: 'Ray', lastName: 'Ibanez' },
    ]);
    expect((await officersRepository(handle.db).findByEmployeeId('E-101'))?.ssn).toBeNull();
  });

  it('changes nothing when the same file is imported twice', async () => {
    const input = csv([good(), good({ employee_id: 'E-101', former_names: 'Lopez' })]);
    await run(input);
    const before = await officersRepository(handle.db).list({ limit: 10 });
    const again = await run(input, { now: () => new Date('2025-06-02T00:00:00Z') });
    expect(again.ok && again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await officersRepository(handle.db).list({ limit: 10 })).toEqual(before);
  });

  it('updates a changed row, and marks the officer’s outcomes for a new attestation only when the match keys change', async () => {
    await run(csv([good(), good({ employee_id: 'E-101', first_name: 'Ann', last_name: 'Lee' })]));
    const officers = officersRepository(handle.db);
    const outcomes = outcomesRepository(handle.db);
    const e100 = (await officers.findByEmployeeId('E-100'))!;
    const o = await outcomes.insert(
      {
        officerId: e100.id,
        localRef: 'IA-1',
        category: 'termination',
        categoryList: 1,
        useOfForce: true,
        eventDate: '2020-01-01',
        outcomeDate: '2020-02-01',
        status: 'final',
        statusDate: '2020-03-01',
        notified: true,
        disputedSince: null,
      },
      NOW,
    );
    // A new hire date and SSN spelling change no key: the outcome stays attested as it is.
    const respelled = await run(
      csv([
        good({ ssn: '899123456', hire_date: '2008-06-01' }),
        good({ employee_id: 'E-101', first_name: 'Ann', last_name: 'Lee' }),
      ]),
    );
    expect(respelled.ok && respelled.summary).toMatchObject({
      updated: 1,
      unchanged: 1,
      outcomesToAttest: 0,
    });
    expect((await outcomes.get(o.id)).revision).toBe(1);
    // A new SSN changes the ssn key: the outcome needs a new attestation.
    const rekeyed = await run(csv([good({ ssn: '899-12-9999' })]));
    expect(rekeyed.ok && rekeyed.summary).toMatchObject({ updated: 1, outcomesToAttest: 1 });
    expect((await outcomes.get(o.id)).revision).toBe(2);
    expect((await officers.findByEmployeeId('E-100'))?.ssn).toBe('899-12-9999');
  });

  it('reports in a dry run what would change without writing anything', async () => {
    await run(csv([good()]));
    const dry = await run(csv([good({ first_name: 'Ray' }), good({ employee_id: 'E-102' })]), {
      dryRun: true,
    });
    expect(dry).toEqual({
      ok: true,
      dryRun: true,
      summary: { rows: 2, inserted: 1, updated: 1, unchanged: 0, outcomesToAttest: 0 },
    });
    expect(await officersRepository(handle.db).count()).toBe(1);
    expect((await officersRepository(handle.db).findByEmployeeId('E-100'))?.firstName).toBe(
      'Ramón',
    );
  });

  it('reports progress through validation and writing, ending at the total', async () => {
    const events: ImportProgress[] = [];
    const rows = Array.from({ length: 30 }, (_, i) => good({ employee_id: `E-${i}` }));
    await run(csv(rows), { onProgress: (p) => events.push(p) });
    expect(events.filter((e) => e.phase === 'validate').at(-1)).toEqual({
      phase: 'validate',
      done: 30,
      total: 30,
    });
    expect(events.at(-1)).toEqual({ phase: 'write', done: 30, total: 30 });
    const done = events.filter((e) => e.phase === 'write').map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('accepts the documented header spellings in any case, and CRLF line ends with a BOM', async () => {
    const header = [
      'Employee ID',
      'Last Name',
      'FIRST-NAME',
      'DOB',
      'SSN',
      'Licence State',
      'License Number',
    ];
    const text = toCsv(header, [['E-1', 'Nguyễn', 'Thị Mai', '1990-02-28', '', 'AZ', 'A-77']]);
    const result = await run(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
    expect(result.ok && result.summary.inserted).toBe(1);
    expect((await officersRepository(handle.db).findByEmployeeId('E-1'))?.licenseState).toBe('AZ');
  });
});

describe('rejecting a bad officers file writes nothing and names line, column and code', () => {
  it('reports every field error of a row at once, in column order, with the normalizers’ codes', async () => {
    const row = good({
      last_name: 'Sm1th',
      first_name: '',
      date_of_birth: '02/07/1984',
      ssn: '666-12-3456',
      license_state: 'XX',
    });
    await expectRejected(csv([good({ employee_id: 'E-1' }), row]), [
      { line: 3, field: 'last_name', code: 'NAME_DIGIT' },
      { line: 3, field: 'first_name', code: 'NAME_EMPTY' },
      { line: 3, field: 'date_of_birth', code: 'DOB_FORMAT' },
      { line: 3, field: 'ssn', code: 'SSN_INVALID_AREA' },
      { line: 3, field: 'license_state', code: 'LICENSE_STATE_UNKNOWN' },
    ]);
  });

  it.each([
    [{ employee_id: '' }, 'employee_id', 'VALUE_REQUIRED'],
    [{ employee_id: 'E 1' }, 'employee_id', 'EMPLOYEE_ID_FORMAT'],
    [{ last_name: '李' }, 'last_name', 'NAME_UNFOLDABLE_LETTER'],
    [{ middle_name: 'J4' }, 'middle_name', 'NAME_DIGIT'],
    [{ suffix: 'Esq.' }, 'suffix', 'SUFFIX_UNKNOWN'],
    [{ date_of_birth: '1984-02-30' }, 'date_of_birth', 'DOB_INVALID_DATE'],
    [{ date_of_birth: '2015-01-01' }, 'date_of_birth', 'DOB_OUT_OF_RANGE'],
    [{ ssn: '12-345-6789' }, 'ssn', 'SSN_FORMAT'],
    [{ license_number: '' }, 'license_number', 'LICENSE_NUMBER_FORMAT'],
    [
      { date_of_birth: '', ssn: '', license_state: '', license_number: '' },
      'date_of_birth',
      'IDENTITY_NO_KEYS',
    ],
    [{ former_names: 'Lopez;;Diaz' }, 'former_names', 'FORMER_NAMES_FORMAT'],
    [{ former_names: 'A:B:C' }, 'former_names', 'FORMER_NAMES_FORMAT'],
    [{ former_names: 'a;b;c;d;e;f;g;h;i' }, 'former_names', 'FORMER_NAMES_TOO_MANY'],
    [{ former_names: 'Lopez; Maria:L0pez' }, 'former_names', 'NAME_DIGIT'],
    [{ hire_date: '5/1/2008' }, 'hire_date', 'DATE_FORMAT'],
    [{ hire_date: '2008-13-01' }, 'hire_date', 'DATE_INVALID'],
    [{ hire_date: '2025-06-02' }, 'hire_date', 'DATE_IN_FUTURE'],
    [{ hire_date: '1980-01-01' }, 'hire_date', 'DATE_ORDER'],
    [{ separation_date: '2001-01-01' }, 'separation_date', 'DATE_ORDER'],
  ])('rejects %j as %s %s', async (over, field, code) => {
    await expectRejected(csv([good({ employee_id: 'E-1' }), good(over)]), [
      { line: 3, field, code },
    ]);
  });

  it('rejects an employee id repeated in the file, at the repetition', async () => {
    await expectRejected(csv([good(), good({ employee_id: 'E-2' }), good()]), [
      { line: 4, field: 'employee_id', code: 'EMPLOYEE_ID_DUPLICATE' },
    ]);
  });

  it('names missing required columns, unknown columns and repeated columns on the header line', async () => {
    const header = ['employee_id', 'badge', 'first_name', 'DOB', 'date_of_birth'];
    await expectRejected(toCsv(header, [['E-1', '7', 'Ann', '1980-01-01', '1980-01-01']]), [
      { line: 1, field: 'last_name', code: 'COLUMN_MISSING' },
      { line: 1, field: 'date_of_birth', code: 'COLUMN_DUPLICATE' },
      { line: 1, field: '(column 2)', code: 'COLUMN_UNKNOWN' },
    ]);
  });

  it('reports a file without its header row once, as HEADER_MISSING, echoing no value', async () => {
    const values = ['E-7', 'Garcia', 'Maria', '', '', '1984-07-02', '123-45-6789', 'NM', '12345'];
    const headerless = toCsv(values, [values]); // the first officer's row stands where the header should
    const result = await run(headerless);
    expect(issuesOf(result)).toEqual([{ line: 1, field: null, code: 'HEADER_MISSING' }]);
    const text = JSON.stringify(result);
    for (const value of values.filter((v) => v.length > 2)) expect(text).not.toContain(value);
    expect(await officersRepository(handle.db).count()).toBe(0);
  });

  it('names an unknown column by its position, never by the cell as written', async () => {
    const header = [...HEADER, 'Garcia Maria 1984-07-02'];
    const result = await run(toCsv(header, [header.map(() => 'x')]));
    expect(issuesOf(result)).toEqual([
      { line: 1, field: `(column ${header.length})`, code: 'COLUMN_UNKNOWN' },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/Garcia|1984/);
  });

  it('rejects a file that is not UTF-8, naming the first bad line', async () => {
    const text = csv([good(), good({ employee_id: 'E-2', last_name: 'GarcXa' })]);
    // "García" as ISO-8859-1 writes it (0xED), as old exports do.
    const bytes = new TextEncoder().encode(text).map((b) => (b === 0x58 ? 0xed : b));
    await expectRejected(bytes, [{ line: 3, field: null, code: 'FILE_NOT_UTF8' }]);
  });

  it('rejects a UTF-16 file (NUL bytes) as not UTF-8', async () => {
    const utf16 = new Uint8Array([...'employee_id\n'].flatMap((c) => [c.charCodeAt(0), 0]));
    await expectRejected(utf16, [{ line: 1, field: null, code: 'FILE_NOT_UTF8' }]);
  });

  it.each([
    ['an empty file', '', 'FILE_EMPTY'],
    ['a file of blank lines', '\n \r\n,,,\n', 'FILE_EMPTY'],
    ['a header without rows', `${HEADER.join(',')}\n\n`, 'FILE_NO_ROWS'],
  ])('rejects %s', async (_name, input, code) => {
    await expectRejected(input, [{ line: null, field: null, code }]);
  });

  it('rejects a file over the size bound and one with more rows than allowed', async () => {
    const input = csv([
      good({ employee_id: 'E-1' }),
      good({ employee_id: 'E-2' }),
      good({ employee_id: 'E-3' }),
    ]);
    await expectRejected(input, [{ line: null, field: null, code: 'FILE_TOO_LARGE' }], {
      limits: { maxFileBytes: input.length - 1 },
    });
    await expectRejected(input, [{ line: null, field: null, code: 'TOO_MANY_ROWS' }], {
      limits: { maxRows: 2 },
    });
  });

  it('rejects a row over the length bound, naming its line', async () => {
    const input = csv([good(), good({ employee_id: 'E-2', middle_name: 'x'.repeat(300) })]);
    await expectRejected(input, [{ line: 3, field: null, code: 'ROW_TOO_LARGE' }], {
      limits: { maxRowChars: 256 },
    });
  });

  it('rejects broken CSV quoting, naming the line where the row starts', async () => {
    const input = `${csv([good()])}E-2,"Lee\n`;
    await expectRejected(input, [{ line: 3, field: null, code: 'CSV_MALFORMED' }]);
  });

  it('counts lines of quoted multi-line cells and CRLF line ends, and reports short rows', async () => {
    const input =
      `${HEADER.join(',')}\r\n` +
      'E-1,"Ibáñez\r\nOrtega",Ann,,,1980-01-01,,,,,,\r\n' +
      'E-2,Lee\r\n' +
      'E-3,L3e,Ann,,,1980-01-01,,,,,,\r\n';
    await expectRejected(input, [
      { line: 4, field: null, code: 'ROW_FIELD_COUNT' },
      { line: 5, field: 'last_name', code: 'NAME_DIGIT' },
    ]);
  });

  it('lists at most maxIssues issues and counts them all', async () => {
    const rows = Array.from({ length: 5 }, (_, i) =>
      good({ employee_id: `E-${i}`, ssn: '000-00-0000' }),
    );
    const result = await run(csv(rows), { limits: { maxIssues: 2 } });
    expect(result.ok === false && [result.issues.length, result.issueCount]).toEqual([2, 5]);
  });
});

describe('a large file', () => {
  it('gives the event loop back while it is read and checked, slice by slice', async () => {
    // ~2.6 MB: several byte slices to decode and parse, several row slices to check.
    const rows = Array.from({ length: 36_000 }, (_, i) =>
      good({
        employee_id: `E-${i}`,
        license_state: '',
        license_number: '',
        former_names: 'Smith;Jones',
      }),
    );
    const bytes = new TextEncoder().encode(csv(rows));
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    // Counts the turns of the event loop another task gets while the import runs: a health
    // request, a timer, another client.
    let turns = 0;
    let running = true;
    const other = (async () => {
      while (running) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
      }
    })();
    const turnsAt: Record<string, number[]> = { validate: [], write: [] };
    const result = await run(bytes, {
      dryRun: true,
      onProgress: (p) => turnsAt[p.phase]!.push(turns),
    });
    running = false;
    await other;
    if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
    expect(result).toMatchObject({ ok: true, summary: { rows: 36_000, inserted: 36_000 } });
    const validating = turnsAt['validate']!;
    // While the bytes were decoded and parsed, before the first row was checked…
    expect(validating[0]).toBeGreaterThanOrEqual(4);
    // …and between the first and the last row checked (36 slices of 1,000 rows).
    expect(validating.at(-1)! - validating[0]!).toBeGreaterThanOrEqual(30);
  }, 60_000);
});
