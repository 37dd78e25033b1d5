import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextPeriodStart,
  parseStatisticsPeriod,
  periodDuration,
  periodStart,
  releaseWindow,
  settleMs,
  type StatisticsPeriod,
} from './statistics-period.js';

const utc = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('statistics periods', () => {
  it('starts months on the 1st, ISO weeks on Monday, days and hours on the UTC boundary', () => {
    const t = utc('2026-05-03T17:42:09.123Z'); // a Sunday
    expect(iso(periodStart('month', t))).toBe('2026-05-01T00:00:00.000Z');
    expect(iso(periodStart('week', t))).toBe('2026-04-27T00:00:00.000Z');
    expect(iso(periodStart('day', t))).toBe('2026-05-03T00:00:00.000Z');
    expect(iso(periodStart('hour', t))).toBe('2026-05-03T17:00:00.000Z');
    expect(iso(periodStart(30, t))).toBe('2026-05-03T17:42:00.000Z');
    expect(iso(periodStart('week', utc('2026-05-04T00:00:00Z')))).toBe('2026-05-04T00:00:00.000Z');
    expect(iso(periodStart('week', utc('2026-05-03T23:59:59.999Z')))).toBe(
      '2026-04-27T00:00:00.000Z',
    );
  });

  it('steps to the next period across months and years of different lengths', () => {
    expect(iso(nextPeriodStart('month', utc('2026-12-01T00:00:00Z')))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(iso(nextPeriodStart('month', utc('2028-02-01T00:00:00Z')))).toBe(
      '2028-03-01T00:00:00.000Z',
    );
    expect(iso(nextPeriodStart('week', utc('2026-12-28T00:00:00Z')))).toBe(
      '2027-01-04T00:00:00.000Z',
    );
    expect(iso(nextPeriodStart(5, utc('2026-05-01T00:00:05Z')))).toBe('2026-05-01T00:00:10.000Z');
  });

  it('puts every instant in exactly one period', () => {
    const periods: StatisticsPeriod[] = ['month', 'week', 'day', 'hour', 1, 7, 3600, 86_400 * 9];
    fc.assert(
      fc.property(
        fc.constantFrom(...periods),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (period, ms) => {
          const t = new Date(ms);
          const start = periodStart(period, t);
          const next = nextPeriodStart(period, start);
          expect(start.getTime()).toBeLessThanOrEqual(ms);
          expect(next.getTime()).toBeGreaterThan(ms);
          expect(periodStart(period, start)).toEqual(start);
          expect(periodStart(period, next)).toEqual(next);
          expect(periodStart(period, new Date(next.getTime() - 1))).toEqual(start);
        },
      ),
    );
  });

  it('keeps serving the previous cutoff until the settling time has passed', () => {
    expect(settleMs('month')).toBe(60_000);
    expect(settleMs(5)).toBe(500);
    expect(settleMs(3600)).toBe(60_000);
    const justAfter = releaseWindow('day', utc('2026-05-02T00:00:59Z'));
    expect(iso(justAfter.cutoff)).toBe('2026-05-01T00:00:00.000Z');
    expect(iso(justAfter.replacedAt)).toBe('2026-05-02T00:01:00.000Z');
    const settled = releaseWindow('day', utc('2026-05-02T00:01:00Z'));
    expect(iso(settled.cutoff)).toBe('2026-05-02T00:00:00.000Z');
    expect(iso(settled.nextCutoff)).toBe('2026-05-03T00:00:00.000Z');
  });

  it('parses the configured forms and nothing else, and states them as ISO 8601 durations', () => {
    expect(['month', 'week', 'day', 'hour', '1', '86400'].map(parseStatisticsPeriod)).toEqual([
      'month',
      'week',
      'day',
      'hour',
      1,
      86_400,
    ]);
    for (const bad of ['', '0', 'Month', 'monthly', ' day', '1.0', '+5', '-1', '31622401']) {
      expect(parseStatisticsPeriod(bad), bad).toBeUndefined();
    }
    expect((['month', 'week', 'day', 'hour', 30] as const).map(periodDuration)).toEqual([
      'P1M',
      'P1W',
      'P1D',
      'PT1H',
      'PT30S',
    ]);
  });
});
