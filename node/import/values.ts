/**
 * Cell parsers shared by both formats. Each takes a trimmed cell, reports its problem on the
 * row (by column name) and returns the value, or `undefined` when the cell is bad — so a row
 * reports every bad cell at once and cross-field rules run only on good values.
 */
import { IsoDateSchema } from '../../protocol/common.js';
import type { ImportIssueCode } from '../errors.js';
import type { ImportIssue } from './issues.js';

/** The issues of one row. */
export class RowIssues {
  readonly items: ImportIssue[] = [];
  constructor(readonly line: number) {}

  add(field: string | null, code: ImportIssueCode, message: string): void {
    this.items.push({ line: this.line, field, code, message });
  }
}

/** Letters, digits and . _ : / # - ; what HR systems use for staff numbers (E-10234, 004512). */
const EMPLOYEE_ID = /^[A-Za-z0-9._:/#-]{1,64}$/;

export function employeeId(value: string, field: string, row: RowIssues): string | undefined {
  if (value === '') {
    row.add(field, 'VALUE_REQUIRED', `${field} is required`);
    return undefined;
  }
  if (!EMPLOYEE_ID.test(value)) {
    row.add(
      field,
      'EMPLOYEE_ID_FORMAT',
      `${field} must be 1-64 characters: letters, digits and . _ : / # -`,
    );
    return undefined;
  }
  return value;
}

export function required(value: string, field: string, row: RowIssues): string | undefined {
  if (value === '') {
    row.add(field, 'VALUE_REQUIRED', `${field} is required`);
    return undefined;
  }
  return value;
}

const ISO_DATE_FORM = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * A calendar date `YYYY-MM-DD` (ISO 8601 only: 02/03/2020 means different days in different
 * systems), a real date from 1900 on (the protocol's IsoDate), not after `today`.
 * '' gives null; a bad date gives undefined.
 */
export function optionalDate(
  value: string,
  field: string,
  today: string,
  row: RowIssues,
): string | null | undefined {
  if (value === '') return null;
  if (!ISO_DATE_FORM.test(value)) {
    row.add(field, 'DATE_FORMAT', `${field} must be a date YYYY-MM-DD`);
    return undefined;
  }
  if (!IsoDateSchema.safeParse(value).success) {
    row.add(field, 'DATE_INVALID', `${field} is not a real date from 1900-01-01 on`);
    return undefined;
  }
  if (value > today) {
    row.add(field, 'DATE_IN_FUTURE', `${field} is after today`);
    return undefined;
  }
  return value;
}

export function requiredDate(
  value: string,
  field: string,
  today: string,
  row: RowIssues,
): string | undefined {
  if (required(value, field, row) === undefined) return undefined;
  return optionalDate(value, field, today, row) ?? undefined;
}

const TRUE_VALUES = new Set(['true', 'yes', 'y', '1']);
const FALSE_VALUES = new Set(['false', 'no', 'n', '0']);

/** true/false, yes/no, y/n, 1/0, in any case. */
export function yesNo(value: string, field: string, row: RowIssues): boolean | undefined {
  if (required(value, field, row) === undefined) return undefined;
  const folded = value.toLowerCase();
  if (TRUE_VALUES.has(folded)) return true;
  if (FALSE_VALUES.has(folded)) return false;
  row.add(field, 'BOOLEAN_FORMAT', `${field} must be yes or no (also true/false, y/n, 1/0)`);
  return undefined;
}

/** Reports `laterField` when both dates are known and `later` precedes `earlier`. */
export function notBefore(
  later: string | null | undefined,
  earlier: string | null | undefined,
  laterField: string,
  earlierField: string,
  row: RowIssues,
): void {
  if (typeof later === 'string' && typeof earlier === 'string' && later < earlier) {
    row.add(laterField, 'DATE_ORDER', `${laterField} is before ${earlierField}`);
  }
}
