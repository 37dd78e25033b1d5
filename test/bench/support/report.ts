/**
 * What every benchmark prints: the machine it ran on (CPU model, cores, Node.js, load average
 * at start — the figures mean little without them), and small aligned tables. Also the flag
 * parser and the statistics (percentiles) the scripts share.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly memoryGiB: string;
  /** 1, 5 and 15 minute load averages when the script started. */
  readonly loadAtStart: readonly number[];
  readonly startedAt: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    memoryGiB: `${(freemem() / 2 ** 30).toFixed(1)} free of ${(totalmem() / 2 ** 30).toFixed(1)}`,
    loadAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: new Date().toISOString(),
  };
}

export function printMachine(title: string, m: Machine): void {
  console.log(`\n# ${title}\n`);
  printTable(
    ['machine', ''],
    [
      ['CPU', m.cpu],
      ['cores', String(m.cores)],
      ['memory (GiB)', m.memoryGiB],
      ['Node.js', m.node],
      ['load average at start (1/5/15 min)', m.loadAtStart.join(' / ')],
      ['started', m.startedAt],
    ],
  );
}

/** A Markdown table (so output pastes into docs/performance.md), columns padded. */
export function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  console.log('');
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '—');
export const rate = (v: number): string =>
  Number.isFinite(v) ? (v >= 100 ? Math.round(v).toString() : v.toFixed(1)) : '—';
export const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** Mean milliseconds per call of `fn`, run `count` times one after another. */
export async function meanMs(count: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  return (performance.now() - start) / count;
}

/**
 * Median milliseconds per call of `fn`, run `count` times one after another after `warmUp`
 * untimed calls (with i = count … count + warmUp − 1): on a shared machine a few calls stall
 * behind other work, and the median ignores them where a mean would not.
 */
export async function medianMs(
  count: number,
  fn: (i: number) => unknown,
  warmUp = 0,
): Promise<number> {
  for (let i = 0; i < warmUp; i++) await fn(count + i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return percentile(times, 50);
}

export type DbChoice = 'pglite' | 'postgres';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Parses `--db pglite|postgres|both` plus the script's own options. With `both` (the
 * default) a PostgreSQL server that cannot be reached is skipped with a note; asked for by
 * name, it is an error.
 */
export function parseBenchArgs(options: NonNullable<ParseArgsConfig['options']>, usage: string) {
  const { values } = parseArgs({
    options: { ...options, db: { type: 'string', default: 'both' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values['help'] === true) {
    console.log(usage);
    process.exit(0);
  }
  const db = values['db'];
  if (db !== 'pglite' && db !== 'postgres' && db !== 'both') {
    throw new Error(`--db must be pglite, postgres or both (got ${String(db)})`);
  }
  const databases: DbChoice[] = db === 'both' ? ['pglite', 'postgres'] : [db];
  return {
    values: values as Record<string, string | boolean | undefined>,
    databases,
    explicitDb: db !== 'both',
    postgresUrl: process.env['SPX_BENCH_DATABASE_URL'] || DEFAULT_POSTGRES_URL,
  };
}

/** A positive whole number from a flag's string value. */
export function positiveInt(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer`);
  return n;
}

export function fraction(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--${flag} must be between 0 and 1`);
  return n;
}
