/** Uniform choices from an injected byte source (an `rng` parameter, never Math.random). */
import type { Rng } from './seeded-rng.js';

const DAY_MS = 86_400_000;

export class Random {
  constructor(private readonly rng: Rng) {}

  /** Uniform integer in [0, n), by rejection sampling so no value is favoured. */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError('int: bad n');
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const b = this.rng(4);
      const x = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty list');
    return items[this.int(items.length)]!;
  }

  /** True with probability p (to 1/10 000). */
  chance(p: number): boolean {
    return this.int(10_000) < Math.round(p * 10_000);
  }

  /** Digits, e.g. digits(4) → "0427". */
  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String(this.int(10));
    return s;
  }

  /** A uniform date in [from, to] (YYYY-MM-DD, inclusive). */
  date(from: string, to: string): string {
    const a = Date.parse(`${from}T00:00:00Z`) / DAY_MS;
    const b = Date.parse(`${to}T00:00:00Z`) / DAY_MS;
    if (!(b >= a)) throw new RangeError(`date: empty range ${from}..${to}`);
    return new Date(this.between(a, b) * DAY_MS).toISOString().slice(0, 10);
  }
}

/** `date` moved by whole days (negative: earlier). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by whole years, 29 February becoming 28 February in common years. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}
