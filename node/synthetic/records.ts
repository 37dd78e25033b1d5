/**
 * Synthetic rows in exactly the import formats (docs/csv-formats.md): every value is the cell
 * as written, '' for an empty cell. The CSV writers take the column order from the importer's
 * own format definitions, so the two cannot drift apart.
 */
import { OFFICER_COLUMNS, OUTCOME_COLUMNS } from '../import/columns.js';
import { toCsv } from './csv-text.js';

export interface SyntheticOfficer {
  readonly employeeId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly middleName: string;
  readonly suffix: string;
  readonly dateOfBirth: string;
  readonly ssn: string;
  readonly licenseState: string;
  readonly licenseNumber: string;
  /** `LAST` or `FIRST:LAST` entries joined by `; `. */
  readonly formerNames: string;
  readonly hireDate: string;
  readonly separationDate: string;
}

export interface SyntheticOutcome {
  readonly employeeId: string;
  readonly caseNumber: string;
  readonly category: string;
  readonly useOfForce: string;
  readonly eventDate: string;
  readonly outcomeDate: string;
  readonly status: string;
  readonly statusDate: string;
  readonly officerNotified: string;
  readonly disputedSince: string;
}

/** column name → property, e.g. date_of_birth → dateOfBirth. */
function property(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function write<T extends object>(columns: readonly { name: string }[], rows: readonly T[]): string {
  const header = columns.map((c) => c.name);
  return toCsv(
    header,
    rows.map((r) => header.map((h) => String((r as Record<string, unknown>)[property(h)] ?? ''))),
  );
}

export function officersCsv(officers: readonly SyntheticOfficer[]): string {
  return write(OFFICER_COLUMNS, officers);
}

export function outcomesCsv(outcomes: readonly SyntheticOutcome[]): string {
  return write(OUTCOME_COLUMNS, outcomes);
}
