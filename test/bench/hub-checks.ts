/**
 * Hub check throughput and latency against a raw-identity baseline (issue 3, "Benchmark";
 * docs/performance.md).
 *
 *   npx tsx test/bench/hub-checks.ts [--db pglite|postgres|both] [--n 100000] [--requests 1500]
 *
 * Loads N real signed attestations into a fresh hub database (support/hub-setup.ts), serves the
 * real hub app and the baseline app (support/baseline.ts: the same records keyed by raw
 * identifiers) on 127.0.0.1, and drives both from a separate client process over keep-alive
 * HTTP with bounded concurrency. Rounds alternate hub and baseline so that a change in the
 * machine's load hits both alike. Then times each step of a check on its own
 * (support/check-breakdown.ts). Prints figures; asserts nothing about speed.
 */
import { hubTables } from '../../hub/index.js';
import { HUB_AUDIENCE } from '../../hub/app.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import {
  createBaselineApp,
  createBaselineTables,
  loadBaseline,
  type BaselineDb,
} from './support/baseline.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import { checkBreakdown, verifyAnswer } from './support/check-breakdown.js';
import { merge, printCheckResults, type DbResult } from './support/check-report.js';
import {
  buildCorpus,
  checkRequestFor,
  officerKeys,
  shownOfficers,
  signedHeaders,
  type Corpus,
} from './support/hub-corpus.js';
import { createBenchHub, loadCorpus, type BenchHub } from './support/hub-setup.js';
import { fillBaseline, fillLog, fillStatements } from './support/bulk-filler.js';
import {
  expectStatuses,
  LoadClient,
  serveApp,
  type LoadResult,
  type PreparedRequest,
} from './support/load-client.js';
import {
  fraction,
  machine,
  ms,
  parseBenchArgs,
  positiveInt,
  printMachine,
  rate,
  type DbChoice,
} from './support/report.js';

const USAGE = `npx tsx test/bench/hub-checks.ts [options]
  --db pglite|postgres|both   databases to run on (default both; PostgreSQL at
                              SPX_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
  --n N                       signed attestations loaded (default 100000)
  --fill F                    filler attestations written first by bulk SQL, a power of two
                              (support/bulk-filler.ts; default 0): --fill 1048576 --n 50000
                              holds ~1.1M attestations
  --requests R                checks per timed round, per system (default 1500)
  --rounds K                  alternating hub/baseline rounds (default 2)
  --concurrency C             requests in flight (default 8)
  --hit-rate F                share of checks about an officer in the corpus (default 0.2)
  --serial S                  checks at 1 in flight, per system (default 500)
  --breakdown I               iterations of each step in the breakdown (default 200; 0 skips)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    n: { type: 'string', default: '100000' },
    fill: { type: 'string', default: '0' },
    requests: { type: 'string', default: '1500' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
    'hit-rate': { type: 'string', default: '0.2' },
    serial: { type: 'string', default: '500' },
    breakdown: { type: 'string', default: '200' },
  },
  USAGE,
);
const n = positiveInt(values.n, 'n');
const fill = values.fill === '0' ? 0 : positiveInt(values.fill, 'fill');
const perRound = positiveInt(values.requests, 'requests');
const rounds = positiveInt(values.rounds, 'rounds');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const hitRate = fraction(values['hit-rate'], 'hit-rate');
const breakdownIterations = Number(values.breakdown);
const WARMUP = 200;
const SERIAL = positiveInt(values.serial, 'serial');
const STORE_BATCH = 1000;

const m = machine();
printMachine('hub checks vs raw-identity baseline', m);
console.log(
  `N = ${n} signed attestations${fill > 0 ? ` + ${fill} filler (${n + fill} in all)` : ''}, ${perRound} checks × ${rounds} rounds per system, concurrency ${concurrency}, hit rate ${hitRate}\n`,
);

let candidateCounter = 0;
/** Officers a check about whom is a hit (support/hub-corpus.ts shownOfficers): set below. */
let shown: number[] = [];
/** Officer key sets for `count` checks: a `hitRate` share from the corpus, the rest new people. */
function candidates(corpus: Corpus, count: number) {
  return Array.from({ length: count }, () => {
    const c = candidateCounter++;
    const hit = (c * 0.6180339887) % 1 < hitRate;
    const keys = hit
      ? corpus.officers[shown[(c * 104_729) % shown.length]!]!
      : officerKeys(c, 'candidate');
    return { keys, tag: hit ? 'hit' : 'miss', c };
  });
}

type Candidate = ReturnType<typeof candidates>[number];

async function hubRequest(hub: BenchHub, { keys, tag, c }: Candidate): Promise<PreparedRequest> {
  const body = JSON.stringify(checkRequestFor(keys, c));
  const headers = await signedHeaders(hub.checker, HUB_AUDIENCE, '/v1/checks', body, new Date());
  return { method: 'POST', path: '/v1/checks', headers, body, tag };
}

async function hubRequests(
  hub: BenchHub,
  corpus: Corpus,
  count: number,
): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  for (const candidate of candidates(corpus, count)) out.push(await hubRequest(hub, candidate));
  return out;
}

function baselineRequests(corpus: Corpus, count: number): PreparedRequest[] {
  return candidates(corpus, count).map(({ keys, tag }) => ({
    method: 'POST',
    path: '/v1/lookup',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifiers: keys.map((k) => k.keyString) }),
    tag,
  }));
}

async function runOn(kind: DbChoice, corpus: Corpus, client: LoadClient): Promise<DbResult> {
  const bdb = await openBenchDatabase(kind, {
    migrationsFolder: HUB_MIGRATIONS,
    tables: hubTables,
    postgresUrl,
  });
  const servers: { close(): Promise<void> }[] = [];
  try {
    const db = bdb.handle.db;
    const fillProgress = (step: string) => process.stderr.write(`  ${kind}: filler: ${step}\n`);
    const filledLog = fill > 0 ? await fillLog(db, fill, fillProgress) : { steps: [] };
    const hub = await createBenchHub(db, corpus);
    const filledRows =
      fill > 0
        ? await fillStatements(
            db,
            corpus.reporters.map((r) => ({ ori: r.ori, kid: r.key.kid })),
            fill,
            fillProgress,
          )
        : { steps: [] };
    const filled = { steps: [...filledRows.steps, ...filledLog.steps] };
    const progress = (d: number) =>
      process.stderr.write(`\r  ${kind}: ${d}/${n} attestations stored`);
    const load = await loadCorpus(db, hub, corpus, {
      viaIntake: 500,
      batch: STORE_BATCH,
      progress,
    });
    process.stderr.write('\n');
    const baseDb = db as unknown as BaselineDb;
    await createBaselineTables(baseDb);
    const baseFillSeconds = fill > 0 ? await fillBaseline(baseDb, fill) : 0;
    const baseStart = performance.now();
    await loadBaseline(baseDb, corpus, STORE_BATCH);
    const baseSeconds = (performance.now() - baseStart) / 1000;
    const setup = [
      ...filled.steps.map(([step, seconds]) => [
        `${kind}: filler ${step}`,
        `${seconds.toFixed(1)} s`,
        '',
      ]),
      ...(fill > 0
        ? [
            [
              `${kind}: filler, baseline: ${fill} records + ${fill * 3} identifiers`,
              `${baseFillSeconds.toFixed(1)} s`,
              '',
            ],
          ]
        : []),
      [
        `${kind}: ${load.viaIntake} statements through intake (in process)`,
        `${load.intakeSeconds.toFixed(1)} s`,
        `${rate(load.viaIntake / load.intakeSeconds)} /s`,
      ],
      [
        `${kind}: ${n - load.viaIntake} statements through storeBatch (${STORE_BATCH} per transaction)`,
        `${load.storeSeconds.toFixed(1)} s`,
        `${rate((n - load.viaIntake) / load.storeSeconds)} /s`,
      ],
      [
        `${kind}: hub matching query (a miss), before → after ANALYZE`,
        `${ms(load.beforeAnalyzeMs)} → ${ms(load.afterAnalyzeMs)} ms`,
        '',
      ],
      [
        `${kind}: baseline, ${n} records + ${n * 3} raw identifiers`,
        `${baseSeconds.toFixed(1)} s`,
        `${rate(n / baseSeconds)} /s`,
      ],
    ];

    const hubServer = await serveApp(hub.app);
    servers.push(hubServer);
    const baseApp = createBaselineApp(baseDb);
    const baseServer = await serveApp(baseApp);
    servers.push(baseServer);

    // The answers the timed runs will get: a hit finds its officer, signed by the hub.
    const last = corpus.officers[shown[shown.length - 1]!]!;
    const hit = await hubRequest(hub, { keys: last, tag: 'hit', c: 999_998 });
    const miss = await hubRequest(hub, {
      keys: officerKeys(-1, 'candidate'),
      tag: 'miss',
      c: 999_999,
    });
    for (const r of [hit, miss]) {
      const res = await fetch(hubServer.url + r.path, {
        method: 'POST',
        headers: r.headers,
        body: r.body!,
      });
      const matches = await verifyAnswer(hub, await res.text());
      if ((r.tag === 'hit') !== matches > 0) throw new Error(`${r.tag} check: ${matches} matches`);
    }
    for (const [keys, expected] of [
      [last, 3],
      [officerKeys(-1, 'candidate'), 0],
    ] as const) {
      const res = await fetch(`${baseServer.url}/v1/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifiers: keys.map((k) => k.keyString) }),
      });
      const found = ((await res.json()) as { matches: unknown[] }).matches.length;
      if (found !== expected) throw new Error(`baseline found ${found} rows, not ${expected}`);
    }

    const run = async (requests: PreparedRequest[], url: string, c: number, what: string) => {
      const result = await client.run(url, requests, c);
      expectStatuses(result, 200, what);
      return result;
    };
    await run(await hubRequests(hub, corpus, WARMUP), hubServer.url, concurrency, 'hub warm-up');
    await run(baselineRequests(corpus, WARMUP), baseServer.url, concurrency, 'baseline warm-up');
    const hubResults: LoadResult[] = [];
    const baseResults: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      process.stderr.write(`  ${kind}: round ${r + 1}/${rounds}\n`);
      hubResults.push(
        await run(await hubRequests(hub, corpus, perRound), hubServer.url, concurrency, 'hub'),
      );
      baseResults.push(
        await run(baselineRequests(corpus, perRound), baseServer.url, concurrency, 'baseline'),
      );
    }
    const serialHub = await run(
      await hubRequests(hub, corpus, SERIAL),
      hubServer.url,
      1,
      'hub serial',
    );
    const serialBase = await run(
      baselineRequests(corpus, SERIAL),
      baseServer.url,
      1,
      'baseline serial',
    );
    const breakdown =
      breakdownIterations > 0
        ? await checkBreakdown(db, hub, corpus, baseApp, breakdownIterations)
        : [];
    return {
      kind,
      label: bdb.label,
      setup,
      hub: merge(hubResults),
      base: merge(baseResults),
      serialHub: serialHub.all,
      serialBase: serialBase.all,
      breakdown,
    };
  } finally {
    for (const s of servers) await s.close();
    await bdb.close();
  }
}

const corpusStart = performance.now();
const corpus = await buildCorpus(n, 50, (d) =>
  process.stderr.write(`\r  signing attestations: ${d}/${n}`),
);
process.stderr.write('\n');
const corpusSeconds = (performance.now() - corpusStart) / 1000;
shown = shownOfficers(corpus);
if (shown.length === 0) throw new Error('every corpus statement is past its retention period');

const client = new LoadClient();
const results: DbResult[] = [];
try {
  for (const kind of databases) {
    if (kind === 'postgres' && !explicitDb && !(await postgresReachable(postgresUrl))) {
      console.log(
        `PostgreSQL not reachable at SPX_BENCH_DATABASE_URL: skipped (--db postgres to insist)\n`,
      );
      continue;
    }
    results.push(await runOn(kind, corpus, client));
  }
} finally {
  client.close();
}

printCheckResults(results, { n, corpusSeconds });
