/**
 * Peace-officer licence / certification number normalization (docs/protocol.md §2.5): the
 * issuing state's or territory's USPS code plus the number as issued, with the separators
 * that records systems insert (spaces, hyphens, periods, slashes) removed. Leading zeros and
 * letters are significant. The kind covers the number issued by a state's POST (peace officer
 * standards and training) body; a driver's licence number is a different identifier and must
 * not be entered here, or two people's numbers could meet in one key.
 */
import { CryptoError, type NormalizationErrorCode } from '../errors.js';
import { isUsJurisdictionCode, type UsJurisdictionCode } from '../us-jurisdictions.js';
import {
  HYPHENS,
  INVISIBLE,
  SLASHES,
  WHITESPACE,
  codePointLength,
  hasLoneSurrogate,
  trimWhitespace,
} from './character-classes.js';

/** Longest normalized number, in characters A–Z0–9. */
export const LICENSE_NUMBER_MAX_LENGTH = 32;
/** Longest accepted raw input, in code points. */
export const LICENSE_NUMBER_MAX_INPUT_CODE_POINTS = 256;

export interface LicenseInput {
  readonly state: string;
  readonly number: string;
}

export interface NormalizedLicense {
  readonly state: UsJurisdictionCode;
  readonly number: string;
}

function fail(code: NormalizationErrorCode, field: string, message: string): never {
  throw new CryptoError(code, message, { field });
}

/** A USPS code of a state, DC or an inhabited territory; ASCII letters in either case. */
export function normalizeLicenseState(value: string, field = 'license.state'): UsJurisdictionCode {
  if (typeof value !== 'string') fail('LICENSE_STATE_UNKNOWN', field, 'state is not a string');
  const text = trimWhitespace(value);
  const upper = /^[A-Za-z]{2}$/.test(text) ? text.toUpperCase() : '';
  if (!isUsJurisdictionCode(upper)) {
    fail('LICENSE_STATE_UNKNOWN', field, 'state must be a USPS state or territory code');
  }
  return upper;
}

/** 1–32 characters A–Z0–9 after NFKD, separator removal and ASCII upper-casing. */
export function normalizeLicenseNumber(value: string, field = 'license.number'): string {
  if (typeof value !== 'string') fail('LICENSE_NUMBER_FORMAT', field, 'number is not a string');
  if (codePointLength(value) > LICENSE_NUMBER_MAX_INPUT_CODE_POINTS || hasLoneSurrogate(value)) {
    fail('LICENSE_NUMBER_FORMAT', field, 'number is too long or not valid Unicode');
  }
  let out = '';
  for (const ch of value.normalize('NFKD')) {
    const cp = ch.codePointAt(0)!;
    const separator =
      WHITESPACE.has(cp) || INVISIBLE.has(cp) || HYPHENS.has(cp) || SLASHES.has(cp) || cp === 0x2e;
    if (!separator) out += ch;
  }
  // toUpperCase is applied only once the text is known to be ASCII, so no locale rule applies.
  if (!/^[A-Za-z0-9]+$/.test(out)) {
    fail('LICENSE_NUMBER_FORMAT', field, 'number must contain only letters A-Z and digits 0-9');
  }
  if (out.length > LICENSE_NUMBER_MAX_LENGTH) {
    fail('LICENSE_NUMBER_FORMAT', field, `number exceeds ${LICENSE_NUMBER_MAX_LENGTH} characters`);
  }
  return out.toUpperCase();
}

/** Both parts; throws the state's error first. Use the two functions to collect both errors. */
export function normalizeLicense(value: LicenseInput, field = 'license'): NormalizedLicense {
  return {
    state: normalizeLicenseState(value.state, `${field}.state`),
    number: normalizeLicenseNumber(value.number, `${field}.number`),
  };
}
