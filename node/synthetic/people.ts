/**
 * Synthetic people, and the records agencies keep about them. A *person* is the truth; a
 * *record* is how one agency's export writes that person (spelling, which identifiers it has).
 * `recordAt` is how the same person appears at several agencies — the wandering officer.
 *
 * Identifiers are visibly fake: every SSN has area number 899, which the SSA never issued
 * under the geographic scheme (areas 773–899 were unassigned until randomization in June
 * 2011). It is structurally valid, so it passes normalization (docs/protocol.md §2.4); since
 * 2011 it is no longer guaranteed unassigned, so synthetic data must never enter a real
 * federation. Licence numbers are random digits in an invented format.
 */
import { foldLetter } from '../../crypto/normalize/letter-folding.js';
import type { SyntheticAgency } from './agencies.js';
import { FAMILY_NAMES, GIVEN_NAMES, SYNTHETIC_SUFFIXES } from './names.js';
import { addDays, addYears, type Random } from './random.js';
import type { SyntheticOfficer } from './records.js';

export const SYNTHETIC_SSN_AREA = '899';

export interface SyntheticName {
  /** Absent: the person's own first name (a maiden name usually keeps it). */
  readonly firstName?: string;
  readonly lastName: string;
}

export interface SyntheticPerson {
  readonly firstName: string;
  readonly middleName: string;
  readonly lastName: string;
  readonly suffix: string;
  readonly dateOfBirth: string;
  readonly ssn: string;
  readonly license: { readonly state: string; readonly number: string } | null;
  readonly formerNames: readonly SyntheticName[];
}

/** 899-GG-SSSS with group 01–99 and serial 0001–9999 (never 00 / 0000, §2.4). */
export function syntheticSsn(random: Random): string {
  const group = String(random.between(1, 99)).padStart(2, '0');
  const serial = String(random.between(1, 9999)).padStart(4, '0');
  return `${SYNTHETIC_SSN_AREA}-${group}-${serial}`;
}

/** Six digits, written with or without a hyphen as exports do (the key ignores it, §2.5). */
export function syntheticLicenseNumber(random: Random): string {
  const n = random.digits(6);
  return random.chance(0.5) ? `${n.slice(0, 2)}-${n.slice(2)}` : n;
}

/** `familyNames`: the list to draw the family name from (default: every origin). */
export function randomPerson(
  random: Random,
  asOf: string,
  licenseState: string,
  familyNames: readonly string[] = FAMILY_NAMES,
): SyntheticPerson {
  const formerNames: SyntheticName[] = [];
  if (random.chance(0.15)) formerNames.push({ lastName: random.pick(FAMILY_NAMES) });
  return {
    firstName: random.pick(GIVEN_NAMES),
    middleName: random.chance(0.6) ? random.pick(GIVEN_NAMES) : '',
    lastName: random.pick(familyNames),
    suffix: random.chance(0.06) ? random.pick(SYNTHETIC_SUFFIXES) : '',
    dateOfBirth: random.date(addYears(asOf, -60), addYears(asOf, -22)),
    ssn: syntheticSsn(random),
    license: { state: licenseState, number: syntheticLicenseNumber(random) },
    formerNames,
  };
}

/** How a legacy system writes a name: upper-case ASCII, letters folded as §2.2 folds them. */
export function asciiUpper(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFKD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += /[\x20-\x7e]/.test(ch) ? ch : (foldLetter(ch.codePointAt(0)!) ?? ch);
  }
  return out.toUpperCase();
}

export interface RecordOptions {
  readonly employeeId: string;
  readonly asOf: string;
  /** Whether the export carries the SSN / the licence (default: the agency's rates). */
  readonly withSsn?: boolean;
  readonly withLicense?: boolean;
  readonly withFormerNames?: boolean;
  /** Write the suffix inside last_name ("Ibáñez Jr.") instead of the suffix column. */
  readonly suffixInLastName?: boolean;
  /** The name this agency knew the person by (e.g. before a marriage). */
  readonly knownAs?: SyntheticName;
  readonly hireDate?: string;
  readonly separationDate?: string;
}

function formatFormerNames(names: readonly SyntheticName[], write: (s: string) => string): string {
  return names
    .map((n) => (n.firstName ? `${write(n.firstName)}:${write(n.lastName)}` : write(n.lastName)))
    .join('; ');
}

/** One agency's record of a person, in the officers import format. */
export function recordAt(
  person: SyntheticPerson,
  agency: SyntheticAgency,
  random: Random,
  options: RecordOptions,
): SyntheticOfficer {
  const write = agency.asciiUpperNames ? asciiUpper : (s: string) => s;
  const withSsn = options.withSsn ?? random.chance(agency.ssnRate);
  const withLicense = (options.withLicense ?? random.chance(agency.licenseRate)) && person.license;
  const withFormer = options.withFormerNames ?? true;
  const lastName = options.knownAs?.lastName ?? person.lastName;
  const suffixInLast = options.suffixInLastName ?? false;
  const earliestHire = addYears(person.dateOfBirth, 21);
  const latestHire = addDays(options.asOf, -30);
  const hireDate =
    options.hireDate ??
    random.date(
      earliestHire > addYears(options.asOf, -30) ? earliestHire : addYears(options.asOf, -30),
      latestHire,
    );
  return {
    employeeId: options.employeeId,
    lastName: write(suffixInLast && person.suffix ? `${lastName} ${person.suffix}` : lastName),
    firstName: write(options.knownAs?.firstName ?? person.firstName),
    middleName: write(person.middleName),
    suffix: suffixInLast ? '' : write(person.suffix),
    dateOfBirth: person.dateOfBirth,
    ssn: withSsn ? person.ssn : '',
    licenseState: withLicense ? person.license!.state : '',
    licenseNumber: withLicense ? person.license!.number : '',
    formerNames: withFormer && !options.knownAs ? formatFormerNames(person.formerNames, write) : '',
    hireDate,
    separationDate: options.separationDate ?? '',
  };
}
