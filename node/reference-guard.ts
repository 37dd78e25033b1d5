/**
 * Free-text references that leave the node — a check's `consentRef` (stored in the hub's
 * audit) and an outcome's case number (an attestation's `localRef`) — must not carry the
 * person's identifiers. The protocol's `opaqueRef` rule (§5.1: small alphabet, not SSN-shaped)
 * is all the hub can check; the node knows the person, so it can refuse a reference that
 * contains their identifiers in any spelling that survives the reference alphabet.
 *
 * The reference is compared in its compact form: ASCII letters and digits only, upper-cased,
 * so `GARCIA-2026`, `garcia_2026` and `G/A/R/C/I/A` all contain `GARCIA`. It contains
 *  - a last name (current or former) when it contains the normalized name (docs/protocol.md
 *    §2.2) of 3 letters or more, or a part of a compound name of 4 letters or more (`LOPEZ` of
 *    `García-López`);
 *  - the date of birth when it contains its 8 digits as YYYYMMDD or MMDDYYYY (so also the
 *    date as written, `1984-07-02`);
 *  - the SSN when it contains its 9 digits;
 *  - the licence number when it contains the normalized number (§2.5) of 5 characters or more.
 * Shorter identifiers match too much ordinary text to be refused on sight. Pure: no I/O.
 */
import { normalizeLastName, normalizeLicenseNumber } from '../crypto/normalize/index.js';

export type ReferenceIdentifierKind = 'last_name' | 'date_of_birth' | 'ssn' | 'license_number';

/** The person's identifiers as recorded (raw); blank or malformed values are skipped. */
export interface ReferencePerson {
  readonly lastName: string;
  readonly dob?: string | null | undefined;
  readonly ssn?: string | null | undefined;
  readonly license?: { readonly number: string } | null | undefined;
  readonly aliases?: readonly { readonly lastName: string }[] | null | undefined;
}

const MIN_NAME_LETTERS = 3;
const MIN_NAME_PART_LETTERS = 4;
const MIN_LICENSE_CHARACTERS = 5;

/** What a message may say about the match: the kind, never the value. */
export const REFERENCE_IDENTIFIER_LABELS: Readonly<Record<ReferenceIdentifierKind, string>> = {
  last_name: 'last name',
  date_of_birth: 'date of birth',
  ssn: 'Social Security number',
  license_number: 'licence number',
};

function compact(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The normalized name and its long parts (split where the raw name has separators). */
function nameForms(raw: string): string[] {
  const whole = attempt(() => normalizeLastName(raw));
  if (whole === undefined) return [];
  const forms = whole.length >= MIN_NAME_LETTERS ? [whole] : [];
  for (const part of raw.split(/[^\p{L}\p{M}]+/u)) {
    const letters = part === '' ? undefined : attempt(() => normalizeLastName(part));
    if (letters !== undefined && letters.length >= MIN_NAME_PART_LETTERS) forms.push(letters);
  }
  return forms;
}

function dobForms(raw: string | null | undefined): string[] {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(raw ?? '');
  return m === null ? [] : [`${m[1]}${m[2]}${m[3]}`, `${m[2]}${m[3]}${m[1]}`];
}

function ssnDigits(raw: string | null | undefined): string | undefined {
  const digits = (raw ?? '').replace(/\D/g, '');
  return digits.length === 9 ? digits : undefined;
}

/** The first kind of the person's identifiers that `reference` contains, or undefined. */
export function identifierInReference(
  reference: string,
  person: ReferencePerson,
): ReferenceIdentifierKind | undefined {
  const ref = compact(reference);
  if (ref === '') return undefined;
  const lastNames = [person.lastName, ...(person.aliases ?? []).map((a) => a.lastName)];
  if (lastNames.some((name) => nameForms(name).some((form) => ref.includes(form)))) {
    return 'last_name';
  }
  if (dobForms(person.dob).some((form) => ref.includes(form))) return 'date_of_birth';
  const ssn = ssnDigits(person.ssn);
  if (ssn !== undefined && ref.includes(ssn)) return 'ssn';
  const licence = person.license
    ? attempt(() => normalizeLicenseNumber(person.license!.number))
    : undefined;
  if (licence !== undefined && licence.length >= MIN_LICENSE_CHARACTERS && ref.includes(licence)) {
    return 'license_number';
  }
  return undefined;
}
