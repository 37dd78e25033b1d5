/**
 * One row of the officers format (docs/csv-formats.md §Officers). Identifier cells are checked
 * by the protocol's own normalizers (crypto/match-keys, docs/protocol.md §2), so a row that
 * imports is a row that yields match keys, and its errors carry the normalizers' codes.
 * Values are kept as given (trimmed); the normalized forms are recomputed when needed.
 */
import { normalizeFirstName } from '../../crypto/normalize/name.js';
import { isCryptoError } from '../../crypto/errors.js';
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import type { OfficerAlias, OfficerFields } from '../store/officers.repository.js';
import type { CsvRow } from './csv-file.js';
import type { ImportIssue } from './issues.js';
import { employeeId, notBefore, optionalDate, RowIssues } from './values.js';

/** More would not fit an attestation's 32 keys (§5.5): 2 strong + 2 per name. */
export const MAX_FORMER_NAMES = 8;

/** Generational suffixes accepted in the suffix column, with or without a period. */
export const SUFFIXES = ['JR', 'SR', 'II', 'III', 'IV', 'V'] as const;

export type OfficerRowResult =
  | { readonly ok: true; readonly fields: OfficerFields; readonly keyStrings: readonly string[] }
  | { readonly ok: false; readonly issues: readonly ImportIssue[] };

/** The normalizer's field names (crypto/match-keys/identity.ts) → this format's columns. */
const COLUMN_OF_FIELD: Readonly<Record<string, string>> = {
  firstName: 'first_name',
  lastName: 'last_name',
  dob: 'date_of_birth',
  ssn: 'ssn',
  'license.state': 'license_state',
  'license.number': 'license_number',
};

function columnOf(field: string | undefined): string {
  if (field === undefined) return 'date_of_birth'; // IDENTITY_NO_KEYS: a DOB is what is missing
  if (field.startsWith('aliases[')) return 'former_names';
  return COLUMN_OF_FIELD[field] ?? field;
}

const orNull = (value: string): string | null => (value === '' ? null : value);

/** The identity the normalizers see for an officer's stored or imported values. */
export function identityOf(fields: OfficerFields): Identity {
  const hasLicense = fields.licenseState !== null || fields.licenseNumber !== null;
  return {
    firstName: fields.firstName,
    middleName: fields.middleName,
    lastName: fields.lastName,
    dob: fields.dateOfBirth,
    ssn: fields.ssn,
    license: hasLicense
      ? { state: fields.licenseState ?? '', number: fields.licenseNumber ?? '' }
      : null,
    aliases: fields.aliases,
  };
}

/** The officer's match-key strings (in memory only), or undefined if the values do not normalize. */
export function keyStringsOf(fields: OfficerFields, asOf: string): string[] | undefined {
  const result = tryDeriveMatchKeys(identityOf(fields), { asOf });
  return result.ok ? result.keys.map((k) => k.keyString) : undefined;
}

/** `Lopez; Maria:Nguyen` → two aliases; entries are `LAST` or `FIRST:LAST`. */
function formerNames(value: string, row: RowIssues): OfficerAlias[] | undefined {
  if (value === '') return [];
  const entries = value.split(';').map((e) => e.trim());
  if (entries.length > MAX_FORMER_NAMES) {
    row.add('former_names', 'FORMER_NAMES_TOO_MANY', `at most ${MAX_FORMER_NAMES} former names`);
    return undefined;
  }
  const aliases: OfficerAlias[] = [];
  for (const entry of entries) {
    const parts = entry.split(':').map((p) => p.trim());
    if (entry === '' || parts.length > 2) {
      row.add('former_names', 'FORMER_NAMES_FORMAT', 'entries are LAST or FIRST:LAST, split by ;');
      return undefined;
    }
    aliases.push(
      parts.length === 2
        ? { firstName: orNull(parts[0]!), lastName: parts[1]! }
        : { firstName: null, lastName: parts[0]! },
    );
  }
  return aliases;
}

function suffix(value: string, row: RowIssues): string | null | undefined {
  if (value === '') return null;
  const bare = value.toUpperCase().replace(/\.$/, '');
  if (!(SUFFIXES as readonly string[]).includes(bare)) {
    row.add('suffix', 'SUFFIX_UNKNOWN', `suffix must be one of ${SUFFIXES.join(', ')}`);
    return undefined;
  }
  return value;
}

function middleName(value: string, row: RowIssues): string | null | undefined {
  if (value === '') return null;
  try {
    // No v1 key uses it, but a future one may: refuse now what would not normalize then.
    normalizeFirstName(value, 'middle_name');
    return value;
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    row.add('middle_name', e.code as ImportIssue['code'], e.message);
    return undefined;
  }
}

/** Checks one row; `today` (YYYY-MM-DD) is the reference date of every date rule. */
export function validateOfficerRow({ line, values: v }: CsvRow, today: string): OfficerRowResult {
  const row = new RowIssues(line);
  const id = employeeId(v['employee_id']!, 'employee_id', row);
  const middle = middleName(v['middle_name']!, row);
  const suffixValue = suffix(v['suffix']!, row);
  const aliases = formerNames(v['former_names']!, row);
  const fields = {
    employeeId: id ?? '',
    firstName: v['first_name']!,
    middleName: middle ?? null,
    lastName: v['last_name']!,
    suffix: suffixValue ?? null,
    dateOfBirth: orNull(v['date_of_birth']!),
    ssn: orNull(v['ssn']!),
    licenseState: orNull(v['license_state']!),
    licenseNumber: orNull(v['license_number']!),
    aliases: aliases ?? [],
  };
  const derived = tryDeriveMatchKeys(
    identityOf({ ...fields, hireDate: null, separationDate: null }),
    {
      asOf: today,
    },
  );
  // The normalizer lists identity errors in column order (first name … licence, aliases).
  const identityIssues = derived.ok ? [] : derived.errors;
  for (const e of identityIssues) row.add(columnOf(e.field), e.code, e.message);

  const hireDate = optionalDate(v['hire_date']!, 'hire_date', today, row);
  const separationDate = optionalDate(v['separation_date']!, 'separation_date', today, row);
  if (derived.ok) notBefore(hireDate, fields.dateOfBirth, 'hire_date', 'date_of_birth', row);
  notBefore(separationDate, hireDate, 'separation_date', 'hire_date', row);

  if (row.items.length > 0 || !derived.ok) return { ok: false, issues: row.items };
  return {
    ok: true,
    fields: { ...fields, hireDate: hireDate ?? null, separationDate: separationDate ?? null },
    keyStrings: derived.keys.map((k) => k.keyString),
  };
}
