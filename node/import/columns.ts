/**
 * The two import formats' columns (docs/csv-formats.md). A header cell matches a column when
 * its *folded* form — trimmed, lower-cased, runs of spaces, hyphens and periods turned into
 * one underscore — equals the column's name or one of its documented aliases. So "Employee
 * ID", "employee-id" and "EMPLOYEE_ID" all name employee_id, and "DOB" names date_of_birth.
 * Nothing else is guessed: an unknown header is an error, because a silently ignored column
 * is how a mis-mapped export (a middle name in the last-name column) goes unnoticed.
 */

export interface ColumnSpec {
  readonly name: string;
  /** The header must have this column (its cells may still be optional, see the docs). */
  readonly required: boolean;
  /** Other folded header spellings accepted for this column. */
  readonly aliases: readonly string[];
}

const EMPLOYEE_ID: ColumnSpec = {
  name: 'employee_id',
  required: true,
  aliases: ['employee_number', 'employee_no', 'emp_id'],
};

export const OFFICER_COLUMNS: readonly ColumnSpec[] = [
  EMPLOYEE_ID,
  { name: 'last_name', required: true, aliases: ['surname', 'family_name'] },
  { name: 'first_name', required: true, aliases: ['given_name'] },
  { name: 'middle_name', required: false, aliases: ['middle_names'] },
  { name: 'suffix', required: false, aliases: ['name_suffix'] },
  { name: 'date_of_birth', required: true, aliases: ['dob', 'birth_date'] },
  { name: 'ssn', required: false, aliases: ['social_security_number'] },
  { name: 'license_state', required: false, aliases: ['licence_state', 'certification_state'] },
  {
    name: 'license_number',
    required: false,
    aliases: ['licence_number', 'certification_number'],
  },
  { name: 'former_names', required: false, aliases: ['other_names', 'aliases'] },
  { name: 'hire_date', required: false, aliases: ['date_of_hire'] },
  { name: 'separation_date', required: false, aliases: ['date_of_separation'] },
];

export const OUTCOME_COLUMNS: readonly ColumnSpec[] = [
  EMPLOYEE_ID,
  { name: 'case_number', required: true, aliases: ['case_no', 'case_id'] },
  { name: 'category', required: true, aliases: ['outcome_category'] },
  { name: 'use_of_force', required: true, aliases: ['uof'] },
  { name: 'event_date', required: true, aliases: ['incident_date'] },
  { name: 'outcome_date', required: true, aliases: ['decision_date', 'disposition_date'] },
  { name: 'status', required: true, aliases: ['outcome_status'] },
  { name: 'status_date', required: true, aliases: [] },
  { name: 'officer_notified', required: true, aliases: ['notified'] },
  { name: 'disputed_since', required: false, aliases: ['dispute_date'] },
];

export function foldHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s.\-_]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Folded spelling → column name, for one format. */
export function headerLookup(columns: readonly ColumnSpec[]): ReadonlyMap<string, string> {
  const lookup = new Map<string, string>();
  for (const c of columns) {
    for (const spelling of [c.name, ...c.aliases]) lookup.set(spelling, c.name);
  }
  return lookup;
}
