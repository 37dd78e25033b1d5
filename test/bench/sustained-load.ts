/**
 * Sustained mixed load with a PostgreSQL restart in the middle (issue 10 §3; docs/performance.md,
 * "Sustained load"; docs/hub.md, "When the database restarts").
 *
 *   npm run build && npx tsx test/bench/sustained-load.ts [--minutes 10] [--officers 20000] …
 *
 * The real `spx hub serve` (dist/, so build first) runs on a PostgreSQL cluster of this run's own
 * (initdb + pg_ctl into a temporary folder, on a port the OS hands out; as root, the cluster runs
 * as the `postgres` system user: test/support/private-postgres.ts), over a stored corpus of
 * signed attestations. For `--minutes`, paced clients send checks (half hits), intake batches of
 * new statements (sent again after a 503, as a node's outbox would) and transparency-log reads
 * (checkpoint, entries, inclusion and consistency proofs); half-way through, `pg_ctl restart -m
 * fast` restarts the cluster under the load. At the end every statement the hub acknowledged is
 * looked up in the database, with its log leaf.
 *
 * Prints: requests by kind and status; answers other than 200 inside the restart window (from
 * the restart to `--grace` seconds after PostgreSQL was back) and outside it, and whether each
 * 503 came as promised (problem+json UNAVAILABLE with Retry-After); latency p50/p99 of the
 * successful requests per kind per minute; the hub's RSS per minute; what the hub logged; the
 * ledger check. Exits 1 when a statement the hub acknowledged is missing, an answer outside the
 * window was not a 200, an answer inside it was neither a 200 nor a clean 503, or the hub died.
 */
import { parseArgs } from 'node:util';
import {
  fraction,
  machine,
  ms,
  percentile,
  positiveInt,
  printMachine,
  printTable,
  rate,
} from './support/report.js';
import { runSustained, type SustainedResult } from './support/sustained-run.js';
import type { Kind, Sample } from './support/mixed-load.js';

const USAGE = `npm run build && npx tsx test/bench/sustained-load.ts [options]
  --minutes M          duration of the load (default 10; 1 for a quick run)
  --officers N         attestations stored before the load (default 20000)
  --check-rate R       checks per second (default 40)
  --intake-rate R      intake batches per second (default 2)
  --batch B            statements per intake batch (default 50)
  --log-rate R         log reads per second (default 20)
  --restart-at F       when to restart PostgreSQL, as a share of the run (default 0.5)
  --no-restart         no restart (a baseline run)
  --grace S            seconds after PostgreSQL is back still counted as the restart (default 5)`;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    officers: { type: 'string', default: '20000' },
    'check-rate': { type: 'string', default: '40' },
    'intake-rate': { type: 'string', default: '2' },
    batch: { type: 'string', default: '50' },
    'log-rate': { type: 'string', default: '20' },
    'restart-at': { type: 'string', default: '0.5' },
    'no-restart': { type: 'boolean', default: false },
    grace: { type: 'string', default: '5' },
    help: { type: 'boolean' },
  },
  strict: true,
});
if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes must be positive');
const rates: Record<Kind, number> = {
  check: positiveInt(values['check-rate'], 'check-rate'),
  intake: positiveInt(values['intake-rate'], 'intake-rate'),
  log: positiveInt(values['log-rate'], 'log-rate'),
};
const graceMs = positiveInt(values.grace, 'grace') * 1000;
const KINDS: readonly Kind[] = ['check', 'intake', 'log'];

printMachine('sustained mixed load with a PostgreSQL restart', machine());
const result = await runSustained({
  durationMs: minutes * 60_000,
  officers: positiveInt(values.officers, 'officers'),
  reporters: 8,
  rates,
  // Enough lanes that one slow answer does not hold a kind's rate back.
  lanes: { check: 4, intake: 2, log: 2 },
  batchSize: positiveInt(values.batch, 'batch'),
  restartAt: values['no-restart'] ? undefined : fraction(values['restart-at'], 'restart-at'),
  progress: (line) => process.stderr.write(`  ${line}\n`),
});
report(result);

function report(r: SustainedResult): void {
  const window = r.restart && { from: r.restart.from, to: r.restart.to + graceMs };
  const inWindow = (s: Sample) =>
    window !== undefined && s.start <= window.to && s.start + s.ms >= window.from;

  printTable(
    ['setup', ''],
    [
      ['PostgreSQL', `${r.postgresVersion} (private cluster, restarted with pg_ctl -m fast)`],
      ['corpus', `${values.officers} attestations (signed ${r.setupSeconds.sign.toFixed(1)} s, stored ${r.setupSeconds.store.toFixed(1)} s)`],
      ['load', `${minutes} min: ${rates.check} checks/s, ${rates.intake} batches/s of ${values.batch}, ${rates.log} log reads/s`],
      [
        'restart',
        r.restart
          ? `at ${(r.restart.from / 1000).toFixed(1)} s; PostgreSQL back after ${((r.restart.to - r.restart.from) / 1000).toFixed(2)} s; window ends ${graceMs / 1000} s later`
          : 'none',
      ],
    ],
  ); // prettier-ignore

  const statuses = [...new Set(r.samples.map((s) => s.status))].sort();
  printTable(
    ['requests', ...statuses, 'total', 'rate /s'],
    KINDS.map((kind) => {
      const of = r.samples.filter((s) => s.kind === kind);
      return [
        kind,
        ...statuses.map((st) => String(of.filter((s) => s.status === st).length)),
        String(of.length),
        rate(of.length / minutes / 60),
      ];
    }),
  );

  const failures = r.samples.filter((s) => s.status !== '200');
  const outside = failures.filter((s) => !inWindow(s));
  const during = failures.filter(inWindow);
  const unclean = during.filter((s) => s.status !== '503' || s.clean503 !== true);
  const describe = (list: readonly Sample[]) => {
    const counts = new Map<string, number>();
    for (const s of list) {
      const key = `${s.kind} ${s.status}${s.status === '503' ? (s.clean503 ? ' (clean)' : ' (NOT clean)') : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => `${n}× ${k}`).join(', ') || '0';
  };
  const recovery = KINDS.map((kind) => {
    if (!r.restart) return `${kind} —`;
    const first = r.samples.find(
      (s) => s.kind === kind && s.status === '200' && s.start >= r.restart!.to,
    );
    return `${kind} ${first ? `+${((first.start + first.ms - r.restart.to) / 1000).toFixed(2)} s` : 'never'}`;
  });
  printTable(
    ['answers other than 200', ''],
    [
      ['outside the restart window', describe(outside)],
      ['during the restart window', describe(during)],
      ['  of which not a clean 503 (500, timeout, no Retry-After, …)', String(unclean.length)],
      ['first 200 after PostgreSQL was back', recovery.join('; ')],
      ['intake batches sent again after a failure', String(r.resent)],
    ],
  );

  if (r.examples.size > 0) {
    printTable(
      ['first answer of each kind other than 200', 'body'],
      [...r.examples].map(([k, body]) => [k, body.replace(/\s+/g, ' ')]),
    );
  }

  const lastMinute = Math.ceil((minutes * 60_000) / 60_000);
  const rows: string[][] = [];
  for (let m = 0; m < lastMinute; m++) {
    const inMinute = (s: Sample) => s.status === '200' && Math.floor(s.start / 60_000) === m;
    const rss = r.rss.filter((x) => Math.floor(x.t / 60_000) === m).map((x) => x.mib);
    rows.push([
      String(m + 1),
      ...KINDS.flatMap((kind) => {
        const times = r.samples.filter((s) => s.kind === kind && inMinute(s)).map((s) => s.ms);
        return [String(times.length), ms(percentile(times, 50)), ms(percentile(times, 99))];
      }),
      rss.length > 0 ? Math.round(Math.max(...rss)).toString() : '—',
    ]);
  }
  printTable(
    [
      'minute',
      ...KINDS.flatMap((k) => [`${k} n`, `${k} p50 ms`, `${k} p99 ms`]),
      'hub RSS max MiB',
    ],
    rows,
  );

  printTable(
    ['hub log (level event [status])', 'lines'],
    [...r.hubLog]
      .filter(([k]) => !k.startsWith('info request 200'))
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => [k, String(n)]),
  );

  const v = r.verification;
  const lost = v.acknowledged - Math.min(v.stored, v.logged);
  printTable(
    ['acknowledged statements', ''],
    [
      ['acknowledged by the hub (accepted or duplicate receipts)', String(v.acknowledged)],
      ['stored (attestations row)', String(v.stored)],
      [`logged below the latest checkpoint (size ${v.checkpointSize})`, String(v.logged)],
      ['leaf at another index than the receipt said', String(v.misplaced)],
      ['lost', String(lost)],
      ['sent but never acknowledged (not counted as lost)', String(r.unacknowledged)],
    ],
  );

  const hubOk = !r.hubDied && r.hubExitCode === 0;
  console.log(
    `hub: ${r.hubDied ? 'DIED during the load' : `stopped cleanly (exit ${r.hubExitCode})`}; ` +
      `RSS start ${Math.round(r.rss[0]?.mib ?? NaN)} MiB, end ${Math.round(r.rss.at(-1)?.mib ?? NaN)} MiB`,
  );
  console.log(`load average at end (1/5/15 min): ${machine().loadAtStart.join(' / ')}`);
  const ok =
    hubOk && lost === 0 && v.misplaced === 0 && outside.length === 0 && unclean.length === 0;
  console.log(ok ? '\nverdict: PASS' : '\nverdict: FAIL');
  if (!ok) process.exitCode = 1;
}
