/**
 * The cost of building a statistics release (docs/performance.md, "Statistics"), and what it
 * does to the checks the hub answers meanwhile.
 *
 * For each size N, in a child process of its own (so one size's memory does not colour the
 * next's): a hub database holding N attestations — a small corpus of real signed statements
 * loaded the way hub-checks.ts loads them, which the checks look up, and the rest written
 * in SQL (metadata and three hub indexes each, spread over 3,000 agencies of every level in
 * every state, 70 % final, chains of supersessions) — and a hub served over HTTP as
 * `spx hub serve` serves it. Then, in the same process:
 *
 * 1. checks alone: R checks (half hits) from a separate client process — the baseline;
 * 2. the first GET /v1/statistics of a release (the hub's build: counted in SQL, suppressed in
 *    a worker thread, stored, rendered), alone, then while the same checks run;
 * 3. with --reference, the former build (every row read into memory, suppression on the event
 *    loop: hub/statistics/release-reference.test-support.ts), while the same checks run, and
 *    its bytes compared with the stored release.
 *
 * Officers and agencies (issue 12): `--agencies A` spreads the bulk over A agencies (default 3,000;
 * 18,000 for the size), `--records-per-officer K` gives K consecutive bulk statements one
 * SSN hub index, so the distinct-officer query (statistics.repository.ts `officerCounts`, a
 * self-join on shared strong indexes) has officers to link (default 1: none shared). The count
 * alone and the count with the officers are timed apart. `--build-only` skips the checks: the
 * build alone, its time and peak RSS.
 *
 * Reported: build time; peak RSS of the process (sampled every 10 ms by a thread of its own,
 * so a blocked event loop does not hide it) and the main heap's peak over its level before
 * (sampled on the event loop); the longest event-loop delay; check p50 / p99 / max during the
 * build, and their ratios to the checks alone.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql, type SQL } from 'drizzle-orm';
import { hubTables } from '../../hub/index.js';
import { createHubApp, HUB_AUDIENCE } from '../../hub/app.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import { CATEGORIES } from '../../protocol/categories.js';
import { US_JURISDICTION_CODES } from '../../crypto/us-jurisdictions.js';
import type { HubDatabase } from '../../hub/database.js';
import { releaseDocument } from '../../hub/statistics/release-document.js';
import {
  DEFAULT_STATISTICS_PERIOD,
  releaseWindow,
} from '../../hub/statistics/statistics-period.js';
import { prepareGroupedTable } from '../../hub/statistics/disclosure/index.js';
import { statisticsRepository } from '../../hub/statistics/statistics.repository.js';
import { publishedYears } from '../../hub/statistics/statistics.service.js';
import { suppressInThread } from '../../hub/statistics/suppression-thread.js';
import { encodeBody } from '../../hub/statistics/release-bodies.js';
import { referenceBuild } from '../../hub/statistics/release-reference.test-support.js';
import { statisticsSnapshots } from '../../hub/statistics/statistics.table.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import type { Coverage } from '../../protocol/statistics-coverage.js';

/** A full-tier coverage for the former build's rendering (what the hub renders counts with). */
const BENCH_COVERAGE: Coverage = {
  period: '2026-Q1',
  certifiedSworn: 1,
  knownSworn: 1,
  percent: 100,
  agencies: 1,
  certifiedAgencies: 1,
  unknownHeadcount: 0,
};
import {
  buildCorpus,
  checkRequestFor,
  officerKeys,
  rng,
  signedHeaders,
  type Corpus,
} from './support/hub-corpus.js';
import { createBenchHub, HUB_CONFIG, loadCorpus, type BenchHub } from './support/hub-setup.js';
import {
  expectStatuses,
  LoadClient,
  serveApp,
  type LoadResult,
  type PreparedRequest,
} from './support/load-client.js';
import {
  machine,
  ms,
  parseBenchArgs,
  percentile,
  positiveInt,
  printMachine,
  printTable,
  ratio,
  type DbChoice,
} from './support/report.js';

const USAGE = `npx tsx test/bench/statistics-release.ts [options]
  --db pglite|postgres|both   databases (default both; PostgreSQL at SPX_BENCH_DATABASE_URL,
                              default postgres://postgres@127.0.0.1:5432/test; a fresh schema)
  --sizes N,N,...             attestations (default 100000,1000000), each in its own process
  --corpus C                  real signed statements among them, which checks find (default 2000)
  --concurrency K             checks in flight (default 4)
  --reference                 also run the former in-memory build (slow, ~1 GB at 1M)
  --explain                   print the count query's plan (EXPLAIN ANALYZE) to standard error
  --agencies A                reporting agencies the bulk is spread over (default 3000)
  --records-per-officer K     bulk statements sharing one SSN hub index (default 1)
  --build-only                no checks: the build alone (time, peak RSS)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    sizes: { type: 'string', default: '100000,1000000' },
    size: { type: 'string' },
    corpus: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    reference: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    agencies: { type: 'string', default: '3000' },
    'records-per-officer': { type: 'string', default: '1' },
    'build-only': { type: 'boolean', default: false },
  },
  USAGE,
);
const corpusSize = positiveInt(values.corpus, 'corpus');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const BULK_AGENCIES = positiveInt(values.agencies, 'agencies');
const PER_OFFICER = positiveInt(values['records-per-officer'], 'records-per-officer');
const BUILD_ONLY = values['build-only'] === true;
const MIN_CELL = HUB_CONFIG.statsMinCell;

// ---------------------------------------------------------------------------------------------
// The parent: one child process per size, in turn.

if (values.size === undefined) {
  printMachine('statistics release build', machine());
  const sizes = String(values.sizes)
    .split(',')
    .map((s) => positiveInt(s, 'sizes'));
  for (const size of sizes) {
    const args = process.argv
      .slice(2)
      .filter((a, i, all) => !a.startsWith('--sizes') && all[i - 1] !== '--sizes');
    const child = fork(new URL(import.meta.url), [...args, '--size', String(size)], {
      execArgv: process.execArgv,
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    if (code !== 0) throw new Error(`size ${size}: exited ${code}`);
  }
  process.exit(0);
}

const n = positiveInt(values.size, 'size');
if (n <= corpusSize) throw new Error('--size must exceed --corpus');

// ---------------------------------------------------------------------------------------------
// Memory: process RSS from a thread of its own; the main heap from the event loop.

const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
parentPort.on('message', (m) => {
  if (m === 'reset') peak = process.memoryUsage.rss();
  else parentPort.postMessage(peak);
});`;
const sampler = new Worker(SAMPLER, { eval: true });
sampler.unref();
const rssPeak = () =>
  new Promise<number>((resolve) => {
    sampler.once('message', resolve);
    sampler.postMessage('read');
  });

interface Measured {
  seconds: number;
  rssBefore: number;
  rssPeak: number;
  heapBefore: number;
  heapPeak: number;
  maxLoopDelayMs: number;
}

async function measure(work: () => Promise<unknown>): Promise<Measured> {
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  sampler.postMessage('reset');
  let heapPeak = heapBefore;
  const heapTimer = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 25);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  clearInterval(heapTimer);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  return {
    seconds,
    rssBefore,
    rssPeak: await rssPeak(),
    heapBefore,
    heapPeak,
    maxLoopDelayMs: delay.max / 1e6,
  };
}

// ---------------------------------------------------------------------------------------------
// The data: the real corpus, then the bulk in SQL.

async function fillBulk(db: HubDatabase, from: number, to: number): Promise<void> {
  const codes = sql.join(
    US_JURISDICTION_CODES.map((c) => sql`${c}`),
    sql`, `,
  );
  const categories = sql.join(
    CATEGORIES.map((c) => sql`${c}`),
    sql`, `,
  );
  await db.execute(sql`
    insert into agencies (ori, name, jurisdiction, state, roles, contact_name, contact_email,
                          contact_phone, status, enrolled_at, updated_at)
    select 'BK' || lpad(g::text, 7, '0'), 'Bench agency ' || g,
           (array['local', 'local', 'local', 'local', 'state', 'federal', 'tribal',
                  'territorial'])[1 + g % 8],
           case when g % 8 in (5, 6) and g % 3 = 0 then null
                -- a skewed spread over states: low codes much more often, as populations are
                else (array[${codes}]::text[])[1 + ((g * g) % 3571) % 56 * ((g % 7) + 1) / 7] end,
           array['reporter'], 'Records Unit', 'records@example.gov', '+12135550100', 'active',
           now(), now()
      from generate_series(0, ${BULK_AGENCIES - 1}::int) g`);
  const STEP = 100_000;
  for (let lo = from; lo < to; lo += STEP) {
    const hi = Math.min(to, lo + STEP) - 1;
    // h1..h3: independent pseudo-random integers per row, from md5.
    await db.execute(sql`
      insert into attestations (id, issuer, kid, epoch, category_list, category, use_of_force,
                                event_date, outcome_date, status, status_date, supersedes,
                                superseded_by, live, issued_at, received_at, jws)
      select 'bk' || md5(g::text), 'BK' || lpad((g % ${BULK_AGENCIES})::text, 7, '0'), 'bench',
             1, 1,
             (array[${categories}]::text[])[1 + (h1 % 1000) * (h1 % 1000) * ${CATEGORIES.length} / 1000000],
             h2 % 4 = 0,
             d, d,
             case when h3 % 10 < 7 then 'final'
                  else (array['notice_sent', 'pending_appeal', 'overturned', 'retracted',
                              'expired'])[1 + h3 % 5] end,
             d,
             case when g % 10 = 9 and g - ${BULK_AGENCIES} >= ${from}
                  then 'bk' || md5((g - ${BULK_AGENCIES})::text) end,
             case when (g + ${BULK_AGENCIES}) % 10 = 9 and g + ${BULK_AGENCIES} < ${to}
                  then 'bk' || md5((g + ${BULK_AGENCIES})::text) end,
             not ((g + ${BULK_AGENCIES}) % 10 = 9 and g + ${BULK_AGENCIES} < ${to}),
             '2025-01-01T00:00:00Z', now() - interval '90 days', 'bench'
        from (select g,
                     ('x' || substr(md5(g::text), 1, 7))::bit(28)::int as h1,
                     ('x' || substr(md5(g::text), 8, 7))::bit(28)::int as h2,
                     ('x' || substr(md5(g::text), 15, 7))::bit(28)::int as h3,
                     to_char(date '2016-01-01'
                             + (('x' || substr(md5(g::text), 22, 7))::bit(28)::int % 3650),
                             'YYYY-MM-DD') as d
                from generate_series(${lo}::int, ${hi}::int) g) r`);
    // The SSN index is the officer's: K consecutive statements share it (K = 1: none shared).
    await db.execute(sql`
      insert into attestation_keys (attestation_id, hub_index, kind)
      select 'bk' || md5(g::text),
             translate(encode(decode(md5(o || k) || md5(k || o), 'hex'), 'base64'), '+/=', '-_'),
             k
        from generate_series(${lo}::int, ${hi}::int) g,
             unnest(array['ssn', 'name_dob', 'last_dob']) k,
             lateral (select case when k = 'ssn' then 'o' || (g / ${PER_OFFICER})::text
                                  else g::text end as o) off`);
    process.stderr.write(`\r  ${hi + 1 - from + corpusSize}/${n} attestations stored`);
  }
  process.stderr.write('\n');
  await db.execute(sql`analyze`);
}

/** The count query's plan, captured from the repository's own statement. */
async function explainCount(db: HubDatabase, cutoff: Date, years: number[]): Promise<void> {
  const explaining = new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') {
        return (fn: (tx: HubDatabase) => Promise<unknown>) =>
          fn(
            new Proxy(target, {
              get(t, k) {
                if (k !== 'execute') return Reflect.get(t, k) as unknown;
                return async (query: SQL) => {
                  const text = (
                    t as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string } } }
                  ).dialect.sqlToQuery(query).sql;
                  if (!text.includes('group by')) return t.execute(query);
                  const plan: unknown = await t.execute(sql`explain (analyze, buffers) ${query}`);
                  const rows = Array.isArray(plan) ? plan : (plan as { rows: unknown[] }).rows;
                  process.stderr.write(
                    rows.map((r) => Object.values(r as object)[0]).join('\n') + '\n',
                  );
                  return t.execute(query);
                };
              },
            }),
          );
      }
      return Reflect.get(target, key) as unknown;
    },
  });
  await statisticsRepository(explaining).releaseCounts(cutoff, years);
}

// ---------------------------------------------------------------------------------------------
// Checks.

let counter = 0;
async function checks(hub: BenchHub, corpus: Corpus, count: number): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const c = counter++;
    const hit = c % 2 === 0;
    const keys = hit ? corpus.officers[c % corpus.officers.length]! : officerKeys(-1 - c, 'miss');
    const body = JSON.stringify(checkRequestFor(keys, c));
    const headers = await signedHeaders(hub.checker, HUB_AUDIENCE, '/v1/checks', body, new Date());
    out.push({ method: 'POST', path: '/v1/checks', headers, body, tag: hit ? 'hit' : 'miss' });
  }
  return out;
}

const summary = (r: LoadResult) => ({
  p50: percentile(r.all, 50),
  p99: percentile(r.all, 99),
  max: Math.max(...r.all),
  rate: r.requests / r.wallSeconds,
});

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;

async function runOn(kind: DbChoice, corpus: Corpus, client: LoadClient): Promise<void> {
  const bdb = await openBenchDatabase(kind, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
    postgresUrl,
  });
  const servers: { close(): Promise<void> }[] = [];
  try {
    const db = bdb.handle.db;
    const hub = await createBenchHub(db, corpus);
    await loadCorpus(db, hub, corpus, { viaIntake: 200, batch: 1000 });
    const fillStart = performance.now();
    await fillBulk(db, corpusSize, n);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const hubServer = await serveApp(hub.app);
    servers.push(hubServer);

    // A fresh hub app per build (same database, same process): its statistics service has no
    // release in memory, so its first GET builds one.
    const freshStatistics = async () => {
      await db.delete(statisticsSnapshots);
      const app = createHubApp({
        db,
        signingKey: hub.hubKey,
        config: HUB_CONFIG,
        now: () => new Date(),
        rng,
        log: () => undefined,
      });
      const server = await serveApp(app);
      servers.push(server);
      return async () => {
        const res = await fetch(`${server.url}/v1/statistics`, {
          headers: { 'accept-encoding': 'gzip' },
        });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`statistics: ${res.status}`);
        return body.byteLength;
      };
    };

    const run = async (count: number, what: string) => {
      const result = await client.run(hubServer.url, await checks(hub, corpus, count), concurrency);
      expectStatuses(result, 200, what);
      return result;
    };
    const noChecks = { p50: NaN, p99: NaN, max: NaN, rate: NaN };
    if (!BUILD_ONLY) await run(300, 'warm-up');
    const baseline = BUILD_ONLY ? noChecks : summary(await run(1500, 'checks alone'));
    const rssUnderChecks = process.memoryUsage.rss();

    // The build's two heavy steps on their own: the count in the database, the suppression in
    // its thread (the rest — assembling, storing, rendering — is the difference to the whole).
    const cutoff = releaseWindow(DEFAULT_STATISTICS_PERIOD, new Date()).cutoff;
    const years = publishedYears(new Date(cutoff.getTime() - 1));
    let started = performance.now();
    const groups = await statisticsRepository(db).releaseCounts(cutoff, years);
    const countSeconds = (performance.now() - started) / 1000;
    const { prepared, counts } = prepareGroupedTable(groups, {
      now: cutoff,
      minCell: MIN_CELL,
      years,
    });
    started = performance.now();
    await suppressInThread(prepared.shape, counts, MIN_CELL);
    const suppressSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const withOfficers = await statisticsRepository(db).releaseCountsAndOfficers(cutoff, years);
    const bothSeconds = (performance.now() - started) / 1000;
    if (values.explain === true) await explainCount(db, cutoff, years);

    const alone = await measure(async () => (await freshStatistics())());
    // Enough checks to outlast a build under load.
    const during = async (build: () => Promise<unknown>, what: string) => {
      const count = Math.ceil(baseline.rate * (alone.seconds * 3 + 2));
      const requests = await checks(hub, corpus, count);
      const load = client.run(hubServer.url, requests, concurrency);
      await new Promise((r) => setTimeout(r, 500));
      const built = await measure(build);
      const result = await load;
      expectStatuses(result, 200, what);
      return { built, checks: summary(result), count };
    };
    const underLoad = BUILD_ONLY ? undefined : await during(await freshStatistics(), 'checks');

    const rows: string[][] = [];
    const row = (what: string, m: Measured, c?: ReturnType<typeof summary>) =>
      rows.push([
        what,
        m.seconds.toFixed(2),
        mb(m.rssBefore),
        mb(m.rssPeak),
        mb(m.rssPeak - m.rssBefore),
        mb(m.heapPeak - m.heapBefore),
        ms(m.maxLoopDelayMs),
        c ? `${ms(c.p50)} / ${ms(c.p99)} / ${ms(c.max)}` : '',
        c
          ? `${ratio(c.p50 / baseline.p50)} / ${ratio(c.p99 / baseline.p99)} / ${ratio(c.max / baseline.max)}`
          : '',
      ]);
    row('hub build, alone', alone);
    if (underLoad) row('hub build, under checks', underLoad.built, underLoad.checks);

    let identical = '';
    if (values.reference === true) {
      let referenceJson = '';
      const ref = await during(async () => {
        const table = await referenceBuild(db, cutoff, MIN_CELL);
        // The rest of the former first request: store the table, render and encode the body.
        referenceJson = JSON.stringify(table);
        await encodeBody(
          JSON.stringify(
            releaseDocument({
              period: 'month',
              window: releaseWindow('month', new Date()),
              table,
              facts: { version: 1, coverage: BENCH_COVERAGE, tier: 'full' },
            }),
          ),
        );
      }, 'checks during the reference build');
      row('former build (in memory), under checks', ref.built, ref.checks);
      const [stored] = await db
        .select({ tableJson: statisticsSnapshots.tableJson })
        .from(statisticsSnapshots);
      identical = stored?.tableJson === referenceJson ? 'identical' : 'DIFFERENT';
    }

    console.log(`\n## ${n.toLocaleString('en-US')} attestations, ${bdb.label}\n`);
    console.log(
      `${corpusSize} real signed statements + ${n - corpusSize} written in SQL (${fillSeconds.toFixed(0)} s); ` +
        `checks: ${concurrency} in flight, half hits; RSS under checks alone ${mb(rssUnderChecks)} MB; ` +
        `${BULK_AGENCIES} agencies, ${PER_OFFICER} bulk statements per SSN index; ` +
        `steps alone: count in SQL ${countSeconds.toFixed(2)} s (${groups.length} groups), ` +
        `count + distinct officers ${bothSeconds.toFixed(2)} s (${withOfficers.officers.length} officer groups), ` +
        `suppression in its thread ${suppressSeconds.toFixed(2)} s; ` +
        `load average now ${(await import('node:os'))
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' / ')}\n`,
    );
    printTable(
      [
        '',
        'build (s)',
        'RSS before (MB)',
        'RSS peak (MB)',
        'RSS Δ (MB)',
        'heap Δ (MB)',
        'max loop delay (ms)',
        'checks p50 / p99 / max (ms)',
        '× checks alone',
      ],
      [
        ...(BUILD_ONLY
          ? []
          : [
              [
                'checks alone',
                '',
                '',
                '',
                '',
                '',
                '',
                `${ms(baseline.p50)} / ${ms(baseline.p99)} / ${ms(baseline.max)}`,
                `${baseline.rate.toFixed(0)} checks/s`,
              ],
            ]),
        ...rows,
      ],
    );
    if (identical) console.log(`Stored release vs former build's table: ${identical}.\n`);
  } finally {
    for (const s of servers) await s.close();
    await bdb.close();
  }
}

const corpus = await buildCorpus(corpusSize, 50);
const client = new LoadClient();
try {
  for (const kind of databases) {
    if (kind === 'postgres' && !explicitDb && !(await postgresReachable(postgresUrl))) {
      console.log('PostgreSQL not reachable at SPX_BENCH_DATABASE_URL: skipped\n');
      continue;
    }
    await runOn(kind, corpus, client);
  }
} finally {
  client.close();
}
process.exit(0);
