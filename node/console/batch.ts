/**
 * A batch check from a CSV of applicants (docs/node.md "Console", "Batch check"): the file read
 * by the importers' reader (node/import/csv-file.ts: bounds, UTF-8, RFC 4180, folded headers),
 * each row turned into the candidate form's values and validated by the same schema and the
 * same screening as one check (check-form.ts, node/check/screen-candidate.ts). Every row is
 * checked before any is run: a file with one bad row runs nothing and lists each bad row with
 * its column — never its values.
 *
 * Jobs run one check at a time in the node process and are held in memory (the last
 * MAX_BATCHES): their checks are stored as any check is, so a restart loses only the batch's
 * page, not a check.
 */
import type { ColumnSpec } from '../import/columns.js';
import { readCsvFile } from '../import/csv-file.js';
import { IssueList } from '../import/issues.js';
import { yieldToEventLoop } from '../import/slices.js';
import type { CheckBody } from '../api/check.js';
import { screenCandidate } from '../check/index.js';
import { formFieldOf, parseCheckForm, type CheckFormValues } from './check-form.js';

/** Applicants per file, and the file's size: a background unit's intake, not a roster. */
export const MAX_BATCH_ROWS = 200;
export const MAX_BATCH_BYTES = 256 * 1024;
/** Batches whose pages are kept (the oldest finished one goes first). */
export const MAX_BATCHES = 20;

export const APPLICANT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'last_name', required: true, aliases: ['surname', 'family_name'] },
  { name: 'first_name', required: true, aliases: ['given_name'] },
  { name: 'middle_name', required: false, aliases: ['middle_names'] },
  { name: 'date_of_birth', required: false, aliases: ['dob', 'birth_date'] },
  { name: 'ssn', required: false, aliases: ['social_security_number'] },
  { name: 'license_state', required: false, aliases: ['licence_state', 'certification_state'] },
  {
    name: 'license_number',
    required: false,
    aliases: ['licence_number', 'certification_number'],
  },
  { name: 'consent_ref', required: true, aliases: ['consent', 'consent_reference'] },
  { name: 'case_ref', required: false, aliases: ['candidate_ref', 'case_file'] },
  { name: 'purpose', required: false, aliases: [] },
];

/** Form field → the column it comes from, to name a row's error by its column. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  firstName: 'first_name',
  middleName: 'middle_name',
  lastName: 'last_name',
  dob: 'date_of_birth',
  ssn: 'ssn',
  licenseState: 'license_state',
  licenseNumber: 'license_number',
  consentRef: 'consent_ref',
  candidateRef: 'case_ref',
  purpose: 'purpose',
};

export interface BatchIssue {
  readonly line: number | null;
  readonly column: string | null;
  readonly message: string;
}

export interface BatchRow {
  readonly line: number;
  readonly body: CheckBody;
}

export type BatchFile =
  | { readonly ok: true; readonly rows: readonly BatchRow[] }
  | { readonly ok: false; readonly issues: readonly BatchIssue[] };

function rowValues(v: Readonly<Record<string, string>>): CheckFormValues {
  return {
    firstName: v['first_name'] ?? '',
    middleName: v['middle_name'] ?? '',
    lastName: v['last_name'] ?? '',
    dob: v['date_of_birth'] ?? '',
    ssn: v['ssn'] ?? '',
    licenseState: v['license_state'] ?? '',
    licenseNumber: v['license_number'] ?? '',
    consentRef: v['consent_ref'] ?? '',
    candidateRef: v['case_ref'] ?? '',
    purpose: v['purpose'] ?? '',
  };
}

export async function readBatchFile(
  bytes: Uint8Array,
  requestedBy: string,
  now: Date,
): Promise<BatchFile> {
  const issues = new IssueList(100);
  const limits = {
    maxFileBytes: MAX_BATCH_BYTES,
    maxRows: MAX_BATCH_ROWS,
    maxRowChars: 4096,
    maxIssues: 100,
  };
  const file = await readCsvFile(bytes, APPLICANT_COLUMNS, limits, issues, yieldToEventLoop);
  const out: BatchIssue[] = issues.items.map((i) => ({
    line: i.line,
    column: i.field,
    message: i.message,
  }));
  if (file === undefined) return { ok: false, issues: out };
  const rows: BatchRow[] = [];
  for (const row of file.rows) {
    const parsed = parseCheckForm(rowValues(row.values), requestedBy);
    if (!parsed.ok) {
      for (const [field, message] of Object.entries(parsed.errors)) {
        out.push({ line: row.line, column: COLUMN_OF[field] ?? null, message });
      }
      continue;
    }
    const screening = screenCandidate(parsed.body.candidate, parsed.body.consentRef, now);
    if (!screening.ok) {
      for (const e of screening.refusal.errors) {
        const field = formFieldOf(e.field);
        out.push({ line: row.line, column: COLUMN_OF[field] ?? null, message: e.message });
      }
      continue;
    }
    rows.push({ line: row.line, body: parsed.body });
  }
  return out.length > 0 ? { ok: false, issues: out.slice(0, 100) } : { ok: true, rows };
}

export interface BatchResult {
  readonly line: number;
  readonly caseRef: string | null;
  readonly state: 'waiting' | 'done' | 'refused' | 'failed';
  readonly checkId?: string;
  readonly verdict?: string;
  readonly matches?: number;
  readonly code?: string;
}

export interface BatchJob {
  readonly id: string;
  readonly owner: string;
  readonly createdAt: Date;
  readonly results: BatchResult[];
  done: number;
  finished: boolean;
}

/** The batches of this process, bounded. */
export function batchStore() {
  const jobs = new Map<string, BatchJob>();
  return {
    add(job: BatchJob): void {
      if (jobs.size >= MAX_BATCHES) {
        const oldest = [...jobs.values()].find((j) => j.finished);
        if (oldest) jobs.delete(oldest.id);
      }
      jobs.set(job.id, job);
    },
    get: (id: string) => jobs.get(id),
    /** Whether `owner` has a batch still running (one at a time per user). */
    running: (owner: string) => [...jobs.values()].some((j) => j.owner === owner && !j.finished),
    full: () => jobs.size >= MAX_BATCHES && [...jobs.values()].every((j) => !j.finished),
  };
}
export type BatchStore = ReturnType<typeof batchStore>;
