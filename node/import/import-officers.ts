/**
 * Importing the officers file (docs/csv-formats.md): every row is checked before anything is
 * written, and either the whole file is applied in one transaction or nothing is. Re-importing
 * the same file changes nothing; a changed row updates its officer, and when the change
 * alters the officer's match keys, every outcome of the officer is marked for a new
 * attestation (its tokens change). Officers absent from the file are left alone: an export
 * may be partial, and removal is never inferred.
 */
import type { NodeDatabase } from '../store/database.js';
import {
  officersRepository,
  type Officer,
  type OfficerFields,
} from '../store/officers.repository.js';
import { outcomesRepository } from '../store/outcomes.repository.js';
import { OFFICER_COLUMNS } from './columns.js';
import { readCsvFile } from './csv-file.js';
import { resolveLimits, utcDate, type ImportOptions, type ImportResult } from './import-result.js';
import { progressReporter, rejected, runImportWork } from './import-run.js';
import { IssueList } from './issues.js';
import { LOOKUP_SLICE, SLICE_ROWS, yieldToEventLoop } from './slices.js';
import { keyStringsOf, validateOfficerRow } from './officer-row.js';

interface ValidOfficer {
  readonly fields: OfficerFields;
  readonly keyStrings: readonly string[];
}

const SCALAR_FIELDS = [
  'employeeId',
  'firstName',
  'middleName',
  'lastName',
  'suffix',
  'dateOfBirth',
  'ssn',
  'licenseState',
  'licenseNumber',
  'hireDate',
  'separationDate',
] as const satisfies readonly (keyof OfficerFields)[];

function sameOfficer(stored: Officer, fields: OfficerFields): boolean {
  return (
    SCALAR_FIELDS.every((f) => stored[f] === fields[f]) &&
    stored.aliases.length === fields.aliases.length &&
    stored.aliases.every(
      (a, i) =>
        a.firstName === fields.aliases[i]!.firstName && a.lastName === fields.aliases[i]!.lastName,
    )
  );
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);
}

/**
 * Imports an officers file. Pass the file's bytes: a string has already been decoded, so a file
 * that is not UTF-8 can no longer be told apart. Problems with the data are returned as
 * issues, never thrown; a NodeError escapes only when another import writes the same rows at
 * the same time (a unique violation inside the transaction, which is then rolled back).
 */
export async function importOfficers(
  db: NodeDatabase,
  input: Uint8Array | string,
  options: ImportOptions,
): Promise<ImportResult> {
  const limits = resolveLimits(options.limits);
  const dryRun = options.dryRun ?? false;
  const now = options.now();
  const today = utcDate(now);
  const issues = new IssueList(limits.maxIssues);
  const yieldControl = options.yieldControl ?? yieldToEventLoop;
  const file = await readCsvFile(input, OFFICER_COLUMNS, limits, issues, yieldControl);
  if (file === undefined) return rejected(issues, OFFICER_COLUMNS, dryRun);

  const validated = progressReporter(options.onProgress, 'validate', file.rows.length);
  const valid: ValidOfficer[] = [];
  const firstLine = new Map<string, number>();
  for (const [i, row] of file.rows.entries()) {
    if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
    const result = validateOfficerRow(row, today);
    if (result.ok) valid.push(result);
    else issues.addAll(result.issues);
    const id = row.values['employee_id']!;
    const first = firstLine.get(id);
    if (id !== '' && first !== undefined) {
      issues.add(row.line, 'employee_id', 'EMPLOYEE_ID_DUPLICATE', `also on line ${first}`);
    } else if (id !== '') {
      firstLine.set(id, row.line);
    }
    validated(i + 1);
  }
  if (issues.count > 0) return rejected(issues, OFFICER_COLUMNS, dryRun);

  return runImportWork(db, dryRun, async (tx) => {
    const officers = officersRepository(tx);
    const existing = new Map<string, Officer>();
    for (let i = 0; i < valid.length; i += LOOKUP_SLICE) {
      const ids = valid.slice(i, i + LOOKUP_SLICE).map((r) => r.fields.employeeId);
      for (const [id, officer] of await officers.findByEmployeeIds(ids)) existing.set(id, officer);
      await yieldControl();
    }
    const inserts: OfficerFields[] = [];
    const updates: { id: number; fields: OfficerFields; keysChanged: boolean }[] = [];
    for (const [i, { fields, keyStrings }] of valid.entries()) {
      if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
      const stored = existing.get(fields.employeeId);
      if (stored === undefined) inserts.push(fields);
      else if (!sameOfficer(stored, fields)) {
        const keysChanged = !sameKeys(keyStringsOf(stored, today), keyStrings);
        updates.push({ id: stored.id, fields, keysChanged });
      }
    }
    const rekeyed = updates.filter((u) => u.keysChanged).map((u) => u.id);
    const summary = {
      rows: file.rowCount,
      inserted: inserts.length,
      updated: updates.length,
      unchanged: valid.length - inserts.length - updates.length,
    };
    if (dryRun) {
      const affected = await outcomesRepository(tx).findByOfficers(rekeyed);
      return { ok: true, dryRun, summary: { ...summary, outcomesToAttest: affected.size } };
    }

    const written = progressReporter(options.onProgress, 'write', inserts.length + updates.length);
    let done = 0;
    for (let i = 0; i < inserts.length; i += 500) {
      const part = inserts.slice(i, i + 500);
      await officers.insertMany(part, now);
      done += part.length;
      written(done);
      await yieldControl();
    }
    let outcomesToAttest = 0;
    for (const [i, u] of updates.entries()) {
      if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
      await officers.update(u.id, u.fields, now);
      if (u.keysChanged) outcomesToAttest += await officers.markOutcomesForReattestation(u.id, now);
      written(++done);
    }
    return { ok: true, dryRun, summary: { ...summary, outcomesToAttest } };
  });
}
