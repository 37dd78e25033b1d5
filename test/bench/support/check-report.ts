/** The printed result of hub-checks.ts: setup times, hub vs baseline, the breakdown. */
import type { BreakdownRow } from './check-breakdown.js';
import type { LoadResult } from './load-client.js';
import { machine, ms, percentile, printTable, rate, ratio, type DbChoice } from './report.js';

export type Merged = ReturnType<typeof merge>;

/** The rounds of one system together: requests over summed wall time, all latencies. */
export function merge(results: readonly LoadResult[]) {
  const pick = (tag?: string) => results.flatMap((r) => (tag ? (r.latencies[tag] ?? []) : r.all));
  const seconds = results.reduce((s, r) => s + r.wallSeconds, 0);
  const count = results.reduce((s, r) => s + r.requests, 0);
  return { rps: count / seconds, count, all: pick(), hit: pick('hit'), miss: pick('miss') };
}

export interface DbResult {
  readonly kind: DbChoice;
  readonly label: string;
  readonly setup: string[][];
  readonly hub: Merged;
  readonly base: Merged;
  /** Latencies (ms) of a run at concurrency 1. */
  readonly serialHub: readonly number[];
  readonly serialBase: readonly number[];
  readonly breakdown: readonly BreakdownRow[];
}

const p = (samples: readonly number[], q: number) => ms(percentile(samples, q));

function systemRow(name: string, s: Merged, serial: readonly number[]): string[] {
  return [
    name,
    String(s.count),
    rate(s.rps),
    p(s.all, 50),
    p(s.all, 99),
    p(s.hit, 50),
    p(s.hit, 99),
    p(s.miss, 50),
    p(s.miss, 99),
    p(serial, 50),
    p(serial, 99),
  ];
}

export function printCheckResults(
  results: readonly DbResult[],
  corpus: { n: number; corpusSeconds: number },
): void {
  const { n, corpusSeconds } = corpus;
  printTable(
    ['setup', 'time', 'rate'],
    [
      [
        `sign ${n} attestations (Ed25519, JCS, 50 agencies) + derive ${n * 3} hub indexes`,
        `${corpusSeconds.toFixed(1)} s`,
        `${rate(n / corpusSeconds)} /s`,
      ],
      ...results.flatMap((r) => r.setup),
    ],
  );
  for (const r of results) {
    console.log(`## ${r.label}\n`);
    printTable(
      [
        'system',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'hit p50',
        'hit p99',
        'miss p50',
        'miss p99',
        'p50 at c=1',
        'p99 at c=1',
      ],
      [
        systemRow('hub POST /v1/checks', r.hub, r.serialHub),
        systemRow('baseline POST /v1/lookup', r.base, r.serialBase),
      ],
    );
    const latency = (q: number) => percentile(r.hub.all, q) / percentile(r.base.all, q);
    printTable(
      ['hub vs baseline', 'ratio'],
      [
        ['throughput (hub req/s ÷ baseline req/s; target ≥ 0.5)', ratio(r.hub.rps / r.base.rps)],
        ['throughput (baseline req/s ÷ hub req/s)', ratio(r.base.rps / r.hub.rps)],
        ['p50 latency (hub ÷ baseline)', ratio(latency(50))],
        ['p99 latency (hub ÷ baseline)', ratio(latency(99))],
        [
          'p50 latency at concurrency 1 (hub ÷ baseline)',
          ratio(percentile(r.serialHub, 50) / percentile(r.serialBase, 50)),
        ],
        [
          'p99 latency at concurrency 1 (hub ÷ baseline)',
          ratio(percentile(r.serialHub, 99) / percentile(r.serialBase, 99)),
        ],
      ],
    );
    if (r.breakdown.length > 0) {
      printTable(
        ['step (in process, one at a time, median)', 'hit ms', 'miss ms'],
        r.breakdown.map((b) => [b.step, ms(b.hitMs), ms(b.missMs)]),
      );
    }
  }
  console.log(`load average at end (1/5/15 min): ${machine().loadAtStart.join(' / ')}`);
}
