/**
 * Date-of-birth normalization (docs/protocol.md §2.3). Only the ISO 8601 extended calendar
 * date YYYY-MM-DD is accepted: a date such as 02/03/1985 means different days in different
 * records systems, and guessing would link the wrong people. The plausible range rejects
 * the placeholder dates that record systems fill in (0001-01-01, 1800-01-01, today).
 * The reference date is a parameter: this layer never reads the clock.
 */
import { CryptoError, type NormalizationErrorCode } from '../errors.js';
import { trimWhitespace } from './character-classes.js';

/** The earliest accepted date of birth. */
export const DOB_EARLIEST = '1900-01-01';
/** A date of birth must be at least this many whole years before `asOf`. */
export const DOB_MIN_AGE_YEARS = 16;

export interface DobOptions {
  /** The reference date: a `YYYY-MM-DD` string, or a Date whose UTC calendar date is used. */
  readonly asOf: Date | string;
}

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Proleptic Gregorian leap-year rule (ISO 8601 §4.3.2.1). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseIsoDate(text: string): CalendarDate | 'format' | 'invalid' {
  const m = ISO_DATE.exec(text);
  if (m === null) return 'format';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'invalid';
  return { year, month, day };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Programmer errors (a bad `asOf`) are TypeErrors: they are not data errors of a record. */
export function parseAsOf(asOf: Date | string): CalendarDate {
  if (asOf instanceof Date) {
    if (Number.isNaN(asOf.getTime())) throw new TypeError('asOf is an invalid Date');
    return { year: asOf.getUTCFullYear(), month: asOf.getUTCMonth() + 1, day: asOf.getUTCDate() };
  }
  const parsed = typeof asOf === 'string' ? parseIsoDate(asOf) : 'format';
  if (typeof parsed === 'string') throw new TypeError('asOf must be a YYYY-MM-DD date or a Date');
  return parsed;
}

function fail(code: NormalizationErrorCode, field: string, message: string): never {
  throw new CryptoError(code, message, { field });
}

/**
 * Returns the date as `YYYY-MM-DD`. Leading and trailing white space is ignored; nothing
 * else is. Range: DOB_EARLIEST ≤ dob ≤ (asOf's year − 16, asOf's month, asOf's day),
 * compared field by field, so a person born on 29 February is handled without adjustment.
 */
export function normalizeDob(value: string, options: DobOptions, field = 'dob'): string {
  const asOf = parseAsOf(options.asOf);
  if (typeof value !== 'string') fail('DOB_FORMAT', field, 'date of birth is not a string');
  const text = trimWhitespace(value);
  const parsed = parseIsoDate(text);
  if (parsed === 'format') fail('DOB_FORMAT', field, 'date of birth must be YYYY-MM-DD');
  if (parsed === 'invalid') fail('DOB_INVALID_DATE', field, 'date of birth is not a real date');
  const earliest = parseIsoDate(DOB_EARLIEST) as CalendarDate;
  const latest = { year: asOf.year - DOB_MIN_AGE_YEARS, month: asOf.month, day: asOf.day };
  if (compare(parsed, earliest) < 0 || compare(parsed, latest) > 0) {
    fail(
      'DOB_OUT_OF_RANGE',
      field,
      `date of birth must be from ${DOB_EARLIEST} to ${DOB_MIN_AGE_YEARS} years before asOf`,
    );
  }
  return text;
}
