/**
 * Social Security number normalization (docs/protocol.md §2.4). The structural rules are
 * the SSA's: no area 000, 666 or 900–999 (the 9xx range holds ITINs and advertising
 * numbers), no group 00, no serial 0000. Randomized assignment (since 2011-06-25) left
 * no other structure, so nothing further is checked.
 */
import { CryptoError, type NormalizationErrorCode } from '../errors.js';
import { trimWhitespace } from './character-classes.js';

// Nine ASCII digits, or 3-2-4 groups joined by single hyphens or by single spaces (not mixed).
const SSN_FORMS = [
  /^([0-9]{3})([0-9]{2})([0-9]{4})$/,
  /^([0-9]{3})-([0-9]{2})-([0-9]{4})$/,
  /^([0-9]{3}) ([0-9]{2}) ([0-9]{4})$/,
];

function fail(code: NormalizationErrorCode, field: string, message: string): never {
  throw new CryptoError(code, message, { field });
}

/** Returns the nine digits without separators. */
export function normalizeSsn(value: string, field = 'ssn'): string {
  if (typeof value !== 'string') fail('SSN_FORMAT', field, 'SSN is not a string');
  const text = trimWhitespace(value);
  let parts: RegExpExecArray | null = null;
  for (const form of SSN_FORMS) parts ??= form.exec(text);
  if (parts === null)
    fail('SSN_FORMAT', field, 'SSN must be NNN-NN-NNNN, NNN NN NNNN or NNNNNNNNN');
  const [, area, group, serial] = parts as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9')) {
    fail('SSN_INVALID_AREA', field, 'SSN area number is never assigned (000, 666, 900-999)');
  }
  if (group === '00') fail('SSN_INVALID_GROUP', field, 'SSN group number 00 is never assigned');
  if (serial === '0000')
    fail('SSN_INVALID_SERIAL', field, 'SSN serial number 0000 is never assigned');
  return area + group + serial;
}
