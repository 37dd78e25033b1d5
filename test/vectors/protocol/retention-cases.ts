/**
 * Retention vectors (docs/protocol.md §5.13): a statement's category, status and statusDate,
 * the reporting agency's jurisdiction level and state, and a date, with the due date and
 * whether the record is due written here by hand from the spec, under retention table 1.
 */
import type { AttestationStatus, Category, JurisdictionLevel } from '../../../protocol/index.js';

export interface RetentionCase {
  readonly name: string;
  readonly statement: {
    readonly category: Category;
    readonly status: AttestationStatus;
    readonly statusDate: string;
  };
  readonly reporter: { readonly jurisdiction: JurisdictionLevel; readonly state: string | null };
  /** The UTC date of the clock. */
  readonly today: string;
  readonly expect: { readonly dueDate: string | null; readonly due: boolean };
}

const final = (category: Category, statusDate: string) => ({
  category,
  status: 'final' as const,
  statusDate,
});
const local = (state: string) => ({ jurisdiction: 'local' as const, state });

export function buildRetentionCases(): RetentionCase[] {
  const c = (
    name: string,
    statement: RetentionCase['statement'],
    reporter: RetentionCase['reporter'],
    today: string,
    dueDate: string | null,
    due: boolean,
  ): RetentionCase => ({ name, statement, reporter, today, expect: { dueDate, due } });
  return [
    c(
      'final termination: due seven years after the final decision, on that day',
      final('termination', '2018-05-10'),
      local('TX'),
      '2025-05-10',
      '2025-05-10',
      true,
    ),
    c(
      'final termination: not due the day before',
      final('termination', '2018-05-10'),
      local('TX'),
      '2025-05-09',
      '2025-05-10',
      false,
    ),
    c(
      'a decision of 29 February is due from the 1 March seven years later',
      final('suspension', '2024-02-29'),
      local('NM'),
      '2031-02-28',
      '2031-02-29',
      false,
    ),
    c(
      'a decision of 29 February is due on 1 March',
      final('suspension', '2024-02-29'),
      local('NM'),
      '2031-03-01',
      '2031-02-29',
      true,
    ),
    c(
      'an overturned record runs the clock from the overturning',
      { category: 'termination', status: 'overturned', statusDate: '2015-01-02' },
      local('TX'),
      '2022-01-02',
      '2022-01-02',
      true,
    ),
    c(
      'a pending appeal has no final decision: its clock does not run',
      { category: 'termination', status: 'pending_appeal', statusDate: '2001-01-01' },
      local('TX'),
      '2025-01-01',
      null,
      false,
    ),
    c(
      'notice sent: no clock',
      { category: 'suspension', status: 'notice_sent', statusDate: '2001-01-01' },
      local('TX'),
      '2025-01-01',
      null,
      false,
    ),
    c(
      'an expired record has nothing left to expire',
      { category: 'termination', status: 'expired', statusDate: '2001-01-01' },
      local('TX'),
      '2025-01-01',
      null,
      false,
    ),
    c(
      'a decertification has no time limit under the national rule',
      final('decertification', '2001-01-01'),
      { jurisdiction: 'state', state: 'TX' },
      '2040-01-01',
      null,
      false,
    ),
    c(
      "California's rule for decertification: no time limit",
      final('decertification', '2001-01-01'),
      { jurisdiction: 'state', state: 'CA' },
      '2040-01-01',
      null,
      false,
    ),
    c(
      'a California termination follows the default',
      final('termination', '2017-06-30'),
      local('CA'),
      '2024-06-30',
      '2024-06-30',
      true,
    ),
    c(
      'a federal agency uses the national rule',
      final('criminal_conviction_on_duty', '2016-03-03'),
      { jurisdiction: 'federal', state: null },
      '2023-03-03',
      '2023-03-03',
      true,
    ),
    c(
      'a federal field office in California uses the national rule, not the state rule',
      final('sustained_serious_misconduct', '2016-03-03'),
      { jurisdiction: 'federal', state: 'CA' },
      '2023-03-02',
      '2023-03-03',
      false,
    ),
    c(
      'a tribal agency uses the national rule',
      final('termination', '2016-03-03'),
      { jurisdiction: 'tribal', state: 'AZ' },
      '2023-03-03',
      '2023-03-03',
      true,
    ),
    c(
      'a territorial agency uses its territory rule (here the default)',
      final('resignation_under_investigation', '2019-12-31'),
      { jurisdiction: 'territorial', state: 'PR' },
      '2026-12-31',
      '2026-12-31',
      true,
    ),
    c(
      'a decision in year 9995 would be due after 9999: never',
      final('termination', '9995-01-01'),
      local('TX'),
      '9999-12-31',
      null,
      false,
    ),
  ];
}
