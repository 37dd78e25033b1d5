/**
 * Importing the outcomes file (docs/csv-formats.md): one row per officer and case number.
 * Officers must have been imported first. All or nothing, like the officers import; a new
 * outcome, or a changed one, is marked as needing an attestation (revision + 1). A change may
 * not break the lifecycle the hub already knows: the new status must be an allowed successor
 * (docs/protocol.md §5.5.3) of the status last attested. A case the node expired under its
 * retention rule (docs/node.md "Retention") stays expired, or retired, whatever the file says.
 */
import { isAllowedTransition } from '../../protocol/attestation-lifecycle.js';
import type { NodeDatabase } from '../store/database.js';
import { identifierInReference, REFERENCE_IDENTIFIER_LABELS } from '../reference-guard.js';
import { officersRepository, type Officer } from '../store/officers.repository.js';
import { caseDigest, retentionRepository } from '../store/retention.repository.js';
import {
  caseKey,
  outcomesRepository,
  type NewOutcome,
  type Outcome,
  type OutcomeFields,
} from '../store/outcomes.repository.js';
import { OUTCOME_COLUMNS } from './columns.js';
import { readCsvFile } from './csv-file.js';
import { resolveLimits, utcDate, type ImportOptions, type ImportResult } from './import-result.js';
import { progressReporter, rejected, runImportWork } from './import-run.js';
import { IssueList } from './issues.js';
import { LOOKUP_SLICE, SLICE_ROWS, yieldToEventLoop } from './slices.js';
import { validateOutcomeRow, type OutcomeRow } from './outcome-row.js';

const FIELDS = [
  'localRef',
  'category',
  'categoryList',
  'useOfForce',
  'eventDate',
  'outcomeDate',
  'status',
  'statusDate',
  'notified',
  'disputedSince',
] as const satisfies readonly (keyof OutcomeFields)[];

function sameOutcome(stored: Outcome, fields: OutcomeFields): boolean {
  return FIELDS.every((f) => stored[f] === fields[f]);
}

/** The case number travels to the hub as localRef: it must not carry the officer's identifiers. */
function checkCaseNumber(row: OutcomeRow, officer: Officer, issues: IssueList): boolean {
  const found = identifierInReference(row.fields.localRef, {
    lastName: officer.lastName,
    dob: officer.dateOfBirth,
    ssn: officer.ssn,
    license: officer.licenseNumber === null ? null : { number: officer.licenseNumber },
    aliases: officer.aliases,
  });
  if (found === undefined) return true;
  issues.add(
    row.line,
    'case_number',
    'REFERENCE_CONTAINS_IDENTIFIER',
    `case_number contains the officer's ${REFERENCE_IDENTIFIER_LABELS[found]}; it is sent to the hub as localRef`,
  );
  return false;
}

/**
 * Imports an outcomes file. Pass the file's bytes: a string has already been decoded, so a file
 * that is not UTF-8 can no longer be told apart. Problems with the data are returned as
 * issues, never thrown; a NodeError escapes only when another import writes the same rows at
 * the same time (a unique violation inside the transaction, which is then rolled back).
 */
export async function importOutcomes(
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
  const file = await readCsvFile(input, OUTCOME_COLUMNS, limits, issues, yieldControl);
  if (file === undefined) return rejected(issues, OUTCOME_COLUMNS, dryRun);

  const validated = progressReporter(options.onProgress, 'validate', file.rows.length);
  const valid: OutcomeRow[] = [];
  /** Every row's usable employee id, to report unknown officers on bad rows too. */
  const employeeOf = new Map<number, string>();
  const firstLine = new Map<string, number>();
  for (const [i, row] of file.rows.entries()) {
    if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
    const result = validateOutcomeRow(row, today);
    if (result.ok) {
      valid.push(result.row);
      employeeOf.set(row.line, result.row.employeeId);
    } else {
      issues.addAll(result.issues);
      if (result.employeeId !== undefined) employeeOf.set(row.line, result.employeeId);
    }
    const { employee_id: id, case_number: ref } = row.values;
    if (id && ref) {
      const key = `${id}\u0000${ref}`;
      const first = firstLine.get(key);
      if (first !== undefined) {
        issues.add(
          row.line,
          'case_number',
          'OUTCOME_DUPLICATE',
          `same officer and case as line ${first}`,
        );
      } else {
        firstLine.set(key, row.line);
      }
    }
    validated(i + 1);
  }

  return runImportWork(db, dryRun, async (tx) => {
    const officers = new Map<string, Officer>();
    const ids = [...new Set(employeeOf.values())];
    for (let i = 0; i < ids.length; i += LOOKUP_SLICE) {
      const found = await officersRepository(tx).findByEmployeeIds(ids.slice(i, i + LOOKUP_SLICE));
      for (const [id, officer] of found) officers.set(id, officer);
      await yieldControl();
    }
    for (const [line, id] of employeeOf) {
      if (!officers.has(id)) {
        issues.add(
          line,
          'employee_id',
          'OFFICER_UNKNOWN',
          'no officer with this employee_id (import officers first)',
        );
      }
    }
    const repo = outcomesRepository(tx);
    const existing = await repo.findByOfficers([...officers.values()].map((o) => o.id));
    // Cases the node expired under its retention rule and then archived or deleted
    // (docs/node.md "Retention"): the records system may still list them; they stay retired.
    const retired = await retentionRepository(tx).retiredAmong(
      valid.map((r) => caseDigest(r.employeeId, r.fields.localRef)),
    );
    const inserts: NewOutcome[] = [];
    const updates: { id: number; fields: OutcomeFields }[] = [];
    let unchanged = 0;
    for (const [i, row] of valid.entries()) {
      if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
      const officer = officers.get(row.employeeId);
      if (officer === undefined || !checkCaseNumber(row, officer, issues)) continue;
      const stored = existing.get(caseKey(officer.id, row.fields.localRef));
      if (stored === undefined) {
        if (retired.has(caseDigest(row.employeeId, row.fields.localRef))) unchanged++;
        else inserts.push({ officerId: officer.id, ...row.fields });
      } else if (sameOutcome(stored, row.fields)) unchanged++;
      // Expired is terminal (§5.5.2): a records system that still lists the case as it was
      // before the node expired it changes nothing.
      else if (stored.status === 'expired') unchanged++;
      else if (
        stored.attestedStatus !== null &&
        !isAllowedTransition(stored.attestedStatus, row.fields.status)
      ) {
        issues.add(
          row.line,
          'status',
          'STATUS_TRANSITION',
          `the hub holds this outcome as ${stored.attestedStatus}; it cannot become ${row.fields.status}`,
        );
      } else updates.push({ id: stored.id, fields: row.fields });
    }
    if (issues.count > 0) return rejected(issues, OUTCOME_COLUMNS, dryRun);

    const summary = {
      rows: file.rowCount,
      inserted: inserts.length,
      updated: updates.length,
      unchanged,
      outcomesToAttest: inserts.length + updates.length,
    };
    if (dryRun) return { ok: true, dryRun, summary };

    const written = progressReporter(options.onProgress, 'write', inserts.length + updates.length);
    let done = 0;
    for (let i = 0; i < inserts.length; i += 500) {
      const part = inserts.slice(i, i + 500);
      await repo.insertMany(part, now);
      done += part.length;
      written(done);
      await yieldControl();
    }
    for (const [i, u] of updates.entries()) {
      if (i > 0 && i % SLICE_ROWS === 0) await yieldControl();
      await repo.update(u.id, u.fields, now);
      written(++done);
    }
    return { ok: true, dryRun, summary };
  });
}
