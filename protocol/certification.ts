/**
 * Period certifications (docs/protocol.md §5.15): once per reporting period every agency signs a
 * certification (compact JWS, typ `spx-certification+jws`) stating its sworn headcount and how
 * many statements it issued in the period — a zero report when it issued none.
 *
 *   { "v": 1, "id": "<UUIDv7>", "issuer": "<ORI>", "period": "2026-Q2",
 *     "sworn": 412, "statements": 3, "zeroReport": false,
 *     "supersedes": null | "<UUIDv7>", "issuedAt": "2026-07-03T15:04:05Z" }
 *
 * Periods are spelled by their length: a quarter `YYYY-Qn`, a month `YYYY-MM`, a year `YYYY`.
 * A hub accepts one period length (SPX_HUB_CERTIFICATION_PERIOD, quarter by default).
 * `statements` counts every attestation statement the agency issued (by `issuedAt`, UTC) in the
 * period, superseding ones included: the one number both the node and the hub can count.
 * `zeroReport` is true exactly when `statements` is 0. A correction is a new certification that
 * supersedes the earlier one of the same period (as attestations do, §5.5.3).
 *
 * Pure: the clock comes in as data.
 */
import { z } from 'zod';
import {
  addIssue,
  CompactJwsSchema,
  OriSchema,
  StatementIdSchema,
  timestampDate,
  TimestampSchema,
  whenFieldsValid,
} from './common.js';
import { ProtocolVersionSchema } from './version.js';

export const PERIOD_LENGTHS = ['month', 'quarter', 'year'] as const;
export type PeriodLength = (typeof PERIOD_LENGTHS)[number];

/**
 * The largest sworn headcount accepted: the largest US agency (NYPD) has about 36 000 sworn
 * officers; 100 000 leaves room and still refuses a typo of a few extra digits.
 */
export const MAX_SWORN = 100_000;
/** The most statements one agency could issue in one period (a year at a very large agency). */
export const MAX_PERIOD_STATEMENTS = 1_000_000;

const PERIOD_PATTERN = /^(?:[0-9]{4}-Q[1-4]|[0-9]{4}-(?:0[1-9]|1[0-2])|[0-9]{4})$/;

export const PeriodSchema = z
  .string()
  .max(7)
  .regex(PERIOD_PATTERN)
  .refine((p) => p.slice(0, 4) >= '1900', {
    message: 'period must not be before 1900',
    params: { code: 'invalid_value' },
  });
export type Period = z.infer<typeof PeriodSchema>;

export interface PeriodBounds {
  readonly period: Period;
  readonly length: PeriodLength;
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly end: string;
}

/** The length a period's spelling names. */
export function periodLength(period: Period): PeriodLength {
  if (period.length === 4) return 'year';
  return period[5] === 'Q' ? 'quarter' : 'month';
}

function isoDay(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** First and last day of a period (a well-formed one: PeriodSchema). */
export function periodBounds(period: Period): PeriodBounds {
  const year = Number(period.slice(0, 4));
  const length = periodLength(period);
  const [first, months] =
    length === 'year'
      ? [1, 12]
      : length === 'quarter'
        ? [(Number(period[6]) - 1) * 3 + 1, 3]
        : [Number(period.slice(5, 7)), 1];
  return {
    period,
    length,
    start: isoDay(year, first, 1),
    end: isoDay(year, first + months, 0),
  };
}

/** The period of `length` that contains the date `day` (`YYYY-MM-DD`). */
export function periodOf(day: string, length: PeriodLength): Period {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  if (length === 'year') return year;
  if (length === 'month') return day.slice(0, 7);
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The period just before `period`, of the same length. */
export function previousPeriod(period: Period): Period {
  const { start, length } = periodBounds(period);
  const dayBefore = new Date(Date.parse(`${start}T00:00:00Z`) - 86_400_000);
  return periodOf(dayBefore.toISOString().slice(0, 10), length);
}

/** The latest period of `length` that has ended before the UTC date of `now`. */
export function lastClosedPeriod(now: Date, length: PeriodLength): Period {
  return previousPeriod(periodOf(now.toISOString().slice(0, 10), length));
}

/** Whether `period` has ended before the UTC date of `now` (the last day counts as open). */
export function isClosedPeriod(period: Period, now: Date): boolean {
  return periodBounds(period).end < now.toISOString().slice(0, 10);
}

export const CertificationPayloadSchema = z
  .strictObject({
    v: ProtocolVersionSchema,
    id: StatementIdSchema,
    issuer: OriSchema,
    period: PeriodSchema,
    sworn: z.int().min(0).max(MAX_SWORN),
    statements: z.int().min(0).max(MAX_PERIOD_STATEMENTS),
    zeroReport: z.boolean(),
    supersedes: StatementIdSchema.nullable(),
    issuedAt: TimestampSchema,
  })
  .superRefine((c, ctx) => {
    if (c.zeroReport !== (c.statements === 0)) {
      addIssue(
        ctx,
        'mismatch',
        ['zeroReport'],
        c.zeroReport ? 'a zero report states 0 statements' : '0 statements is a zero report',
      );
    }
    if (c.sworn === 0 && c.statements > 0) {
      addIssue(ctx, 'not_allowed', ['sworn'], 'an agency with statements has sworn officers');
    }
    if (c.supersedes === c.id) {
      addIssue(ctx, 'not_allowed', ['supersedes'], 'a statement cannot supersede itself');
    }
    if (periodBounds(c.period).end >= timestampDate(c.issuedAt)) {
      addIssue(ctx, 'not_allowed', ['period'], 'a period is certified after it has ended');
    }
  }, whenFieldsValid);
export type CertificationPayload = z.infer<typeof CertificationPayloadSchema>;

/** POST /v1/certifications: one signed certification. */
export const CertificationSubmissionSchema = z.strictObject({
  certification: CompactJwsSchema,
});
export type CertificationSubmission = z.infer<typeof CertificationSubmissionSchema>;
