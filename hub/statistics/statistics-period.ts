/**
 * The release schedule of the public statistics (docs/statistics.md, "Releases"): a table
 * counts the statements received before a **cutoff**, the start of a period in UTC, and
 * changes only when the next period starts. A table rebuilt after every statement would let a
 * reader subtract two consecutive tables and read off the newest record.
 *
 * Periods: calendar months (the default), ISO 8601 weeks (Monday 00:00 UTC), days and hours in
 * UTC, or a whole number of seconds aligned to the Unix epoch (demos and tests: a short period
 * publishes almost every statement on its own, which is the leak again).
 */

export type CalendarPeriod = 'month' | 'week' | 'day' | 'hour';
/** A calendar period, or a number of seconds. */
export type StatisticsPeriod = CalendarPeriod | number;

export const DEFAULT_STATISTICS_PERIOD: StatisticsPeriod = 'month';
export const CALENDAR_PERIODS: readonly CalendarPeriod[] = ['month', 'week', 'day', 'hour'];
/** Bounds on a period in seconds: one second to a leap year. */
export const PERIOD_SECONDS_RANGE = { min: 1, max: 366 * 86_400 } as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How long after a cutoff the hub keeps serving the previous table: an intake batch stamps its
 * statements with the time it started (whole seconds) and commits up to a few seconds later, so
 * a table built the instant a period starts could miss statements received just before it.
 * A tenth of the period, at most a minute.
 */
export const MAX_SETTLE_MS = 60_000;

/** `month`, `week`, `day`, `hour` or decimal seconds; undefined for anything else. */
export function parseStatisticsPeriod(text: string): StatisticsPeriod | undefined {
  if ((CALENDAR_PERIODS as readonly string[]).includes(text)) return text as CalendarPeriod;
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds >= PERIOD_SECONDS_RANGE.min && seconds <= PERIOD_SECONDS_RANGE.max
    ? seconds
    : undefined;
}

/** The period as an ISO 8601 duration, as releases state it: P1M, P1W, P1D, PT1H, PT30S. */
export function periodDuration(period: StatisticsPeriod): string {
  switch (period) {
    case 'month':
      return 'P1M';
    case 'week':
      return 'P1W';
    case 'day':
      return 'P1D';
    case 'hour':
      return 'PT1H';
    default:
      return `PT${period}S`;
  }
}

/** The start of the period that contains `t` (the latest cutoff at or before it). */
export function periodStart(period: StatisticsPeriod, t: Date): Date {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const d = t.getUTCDate();
  switch (period) {
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'week':
      // getUTCDay: 0 is Sunday; ISO 8601 weeks start on Monday.
      return new Date(Date.UTC(y, m, d - ((t.getUTCDay() + 6) % 7)));
    case 'day':
      return new Date(Date.UTC(y, m, d));
    case 'hour':
      return new Date(Math.floor(t.getTime() / HOUR_MS) * HOUR_MS);
    default:
      return new Date(Math.floor(t.getTime() / (period * 1000)) * period * 1000);
  }
}

/** The cutoff after `cutoff` (which must be a period start). */
export function nextPeriodStart(period: StatisticsPeriod, cutoff: Date): Date {
  switch (period) {
    case 'month':
      return new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 1));
    case 'week':
      return new Date(cutoff.getTime() + 7 * DAY_MS);
    case 'day':
      return new Date(cutoff.getTime() + DAY_MS);
    case 'hour':
      return new Date(cutoff.getTime() + HOUR_MS);
    default:
      return new Date(cutoff.getTime() + period * 1000);
  }
}

/** See MAX_SETTLE_MS: every calendar period is long enough for the full minute. */
export function settleMs(period: StatisticsPeriod): number {
  return typeof period === 'number' ? Math.min(MAX_SETTLE_MS, period * 100) : MAX_SETTLE_MS;
}

export interface ReleaseWindow {
  /** Statements received before this instant are counted. */
  readonly cutoff: Date;
  /** The next cutoff; its table is served from `nextCutoff + settleMs(period)`. */
  readonly nextCutoff: Date;
  /** When the table served now will be replaced. */
  readonly replacedAt: Date;
}

/** The cutoff whose table is served at `now`, and when the next one takes over. */
export function releaseWindow(period: StatisticsPeriod, now: Date): ReleaseWindow {
  const settle = settleMs(period);
  const cutoff = periodStart(period, new Date(now.getTime() - settle));
  const nextCutoff = nextPeriodStart(period, cutoff);
  return { cutoff, nextCutoff, replacedAt: new Date(nextCutoff.getTime() + settle) };
}
