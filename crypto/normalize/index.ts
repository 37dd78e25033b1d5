/** Identifier normalization (docs/protocol.md §2): names, date of birth, SSN, licence. */
export {
  GENERATIONAL_SUFFIXES,
  NAME_MAX_INPUT_CODE_POINTS,
  NAME_MAX_LENGTH,
  normalizeFirstName,
  normalizeLastName,
} from './name.js';
export { LETTER_FOLDING_TABLE, foldLetter, type FoldingEntry } from './letter-folding.js';
export {
  DOB_EARLIEST,
  DOB_MIN_AGE_YEARS,
  isLeapYear,
  normalizeDob,
  parseAsOf,
  type CalendarDate,
  type DobOptions,
} from './date-of-birth.js';
export { normalizeSsn } from './ssn.js';
export {
  LICENSE_NUMBER_MAX_INPUT_CODE_POINTS,
  LICENSE_NUMBER_MAX_LENGTH,
  normalizeLicense,
  normalizeLicenseNumber,
  normalizeLicenseState,
  type LicenseInput,
  type NormalizedLicense,
} from './license.js';
export {
  APOSTROPHES,
  COMMA,
  HYPHENS,
  INVISIBLE,
  PERIODS,
  SLASHES,
  WHITESPACE,
} from './character-classes.js';
