/**
 * Hub intake rate (issue 3, "Benchmark"; docs/performance.md).
 *
 *   npx tsx test/bench/hub-intake.ts [--db pglite|postgres|both] [--statements 3000]
 *
 * Real signed attestations (support/hub-corpus.ts) are sent in batches of 100 and of 500 to the
 * real hub app (POST /v1/attestations, each batch from one reporting agency with its own
 * request token) served on 127.0.0.1, from a separate client process, one batch at a time and
 * four at once. Every statement is new, so each one is verified (Ed25519 signature against the
 * registered key, schema, issuer, epoch, clock) and stored in the batch's one transaction.
 * Then, in process, the two halves of that work are timed apart. Prints figures; asserts
 * nothing about speed.
 *
 * Baseline (issue 10 §3: intake ≥ 0.6× the rate at which this machine verifies Ed25519 in
 * node:crypto): right before each database's runs, the same statements' signatures verified
 * with node:crypto alone, one after another on one thread (support/ed25519-baseline.ts; the rate
 * of all cores through WebCrypto is printed beside it). Each run's rate is given as a ratio to it.
 *
 * Monitoring variant (issue 11 §3; `--monitors`, default 1000, 0 to skip): after the runs above,
 * `--monitors` agencies are registered, each enrolls `--roster` indexes no statement holds (the
 * size of a roster the intake must look through), and a `--matched` share of the statements not
 * sent yet has its first index enrolled by one of them (round robin) — so those statements each
 * bring a `monitoring` notice, signed and queued in the intake transaction
 * (hub/monitoring/notices.ts). The same runs are then repeated on those statements in the same
 * process and database, and each rate is given as a ratio to the run without enrollments. The
 * database holds twice the statements by then: the ratio includes that growth.
 */
import { HUB_AUDIENCE } from '../../hub/app.js';
import type { HubDatabase } from '../../hub/database.js';
import { monitoringRepository } from '../../hub/monitoring/monitoring.repository.js';
import { hubTables } from '../../hub/index.js';
import { verifyAttestation } from '../../hub/intake/attestation-verification.js';
import { intakeRepository } from '../../hub/intake/intake.repository.js';
import { attestationEntry } from '../../hub/tlog/entries.js';
import { transparencyLog } from '../../hub/tlog/tlog.service.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import { registryService } from '../../hub/registry/registry.service.js';
import { HUB_MIGRATIONS } from '../../hub/server.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import {
  buildCorpus,
  rng,
  signedHeaders,
  type Corpus,
  type CorpusStatement,
} from './support/hub-corpus.js';
import { ed25519Baseline, type Ed25519Baseline } from './support/ed25519-baseline.js';
import { createBenchHub, HUB_CONFIG } from './support/hub-setup.js';
import { count } from 'drizzle-orm';
import {
  expectStatuses,
  LoadClient,
  serveApp,
  type PreparedRequest,
} from './support/load-client.js';
import {
  machine,
  fraction,
  meanMs,
  ms,
  parseBenchArgs,
  percentile,
  positiveInt,
  printMachine,
  printTable,
  rate,
  ratio,
} from './support/report.js';

const USAGE = `npx tsx test/bench/hub-intake.ts [options]
  --db pglite|postgres|both   databases to run on (default both)
  --statements S              statements per measurement (default 3000)
  --monitors M                agencies enrolled for monitoring in the variant (default 1000; 0: skip)
  --roster R                  unrelated indexes each of them enrolls (default 100)
  --matched F                 share of the variant's statements with an enrolled index (default 0.25)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    statements: { type: 'string', default: '3000' },
    monitors: { type: 'string', default: '1000' },
    roster: { type: 'string', default: '100' },
    matched: { type: 'string', default: '0.25' },
  },
  USAGE,
);
const perRun = positiveInt(values.statements, 'statements');
const monitors = values.monitors === '0' ? 0 : positiveInt(values.monitors, 'monitors');
const roster = positiveInt(values.roster, 'roster');
const matched = fraction(values.matched, 'matched');
const BATCHES = [100, 500];
const CONCURRENCY = [1, 4];
const REPORTERS = 8;
const BREAKDOWN = 1000;

const m = machine();
printMachine('hub intake', m);
const runs = BATCHES.flatMap((batch) => CONCURRENCY.map((c) => ({ batch, c })));
// Slack: every agency may be one full batch ahead of the even share.
const total =
  perRun * runs.length * (monitors > 0 ? 2 : 1) + BREAKDOWN + REPORTERS * Math.max(...BATCHES);
console.log(`${perRun} statements per measurement, ${REPORTERS} reporting agencies\n`);

const started = performance.now();
// One corpus for every database: each database starts empty, so the same statements are new
// to each. (Officers are distinct; an intake does not look at other statements' indexes.)
const corpus = await buildCorpus(total, REPORTERS, (d) =>
  process.stderr.write(`\r  signing attestations: ${d}/${total}`),
);
process.stderr.write('\n');
const signSeconds = (performance.now() - started) / 1000;

/**
 * A database's view of the corpus: per agency, the statements it has not sent yet. Batches
 * take turns over the agencies (as several nodes publishing at once would), each batch `size`
 * statements of one agency with its own request token.
 */
function statementQueues() {
  const queues = corpus.reporters.map((r) =>
    corpus.statements.filter((s) => s.payload.issuer === r.ori),
  );
  let turn = 0;
  const rest = () => queues.flat();
  const next = async (count: number, size: number): Promise<PreparedRequest[]> => {
    const out: PreparedRequest[] = [];
    for (let sent = 0; sent < count; sent += size) {
      const a = turn++ % queues.length;
      const part = queues[a]!.splice(0, size);
      if (part.length < size) throw new Error('corpus too small for this run');
      const body = JSON.stringify({ attestations: part.map((s) => s.jws) });
      const agency = corpus.reporters[a]!;
      const headers = await signedHeaders(
        agency,
        HUB_AUDIENCE,
        '/v1/attestations',
        body,
        new Date(),
      );
      out.push({ method: 'POST', path: '/v1/attestations', headers, body, tag: String(size) });
    }
    return out;
  };
  return { next, rest };
}

/** The `monitor`-th monitoring agency's ORI (a 9-character ORI no bench reporter uses). */
const monitorOri = (i: number) => `MT${String(i).padStart(7, '0')}`;

/**
 * Registers `monitors` agencies and their enrollments: `roster` unrelated indexes each, and
 * the first index of a `matched` share of `upcoming`, round robin. Returns the statements
 * enrolled.
 */
async function enrollMonitors(
  db: HubDatabase,
  upcoming: readonly CorpusStatement[],
): Promise<number> {
  const at = new Date();
  const rows = Array.from({ length: monitors }, (_, i) => ({
    ori: monitorOri(i),
    name: `Bench Monitoring Department ${monitorOri(i)}`,
    jurisdiction: 'local',
    state: 'MT',
    roles: ['checker'],
    contactName: 'Records Unit',
    contactEmail: 'records@example.gov',
    contactPhone: '+14065550100',
    enrolledAt: at,
    updatedAt: at,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(hubTables.agencies).values(rows.slice(i, i + 1000));
  }
  const expires = new Date(at.getTime() + 90 * 86_400_000);
  const every = Math.max(1, Math.round(1 / Math.max(matched, 1e-9)));
  const perAgency = new Map<number, { kind: 'ssn'; index: string }[]>();
  let enrolled = 0;
  upcoming.forEach((s, i) => {
    if (matched === 0 || i % every !== 0) return;
    const key = s.payload.tokens.keys[0]!;
    const list = perAgency.get(enrolled % monitors) ?? [];
    list.push({ kind: key.kind as 'ssn', index: key.index });
    perAgency.set(enrolled % monitors, list);
    enrolled++;
  });
  const repo = monitoringRepository(db);
  for (let i = 0; i < monitors; i++) {
    const unrelated = Array.from({ length: roster }, () => ({
      kind: 'ssn' as const,
      index: Buffer.from(rng(32)).toString('base64url'),
    }));
    await repo.upsert(monitorOri(i), [...unrelated, ...(perAgency.get(i) ?? [])], 1, at, expires);
  }
  return enrolled;
}

async function breakdown(
  db: Parameters<typeof registryService>[0],
  sample: readonly CorpusStatement[],
  hubKey: SigningKey,
) {
  const registry = await registryService(db).findMany(corpus.reporters.map((r) => r.ori));
  // As intake verifies a batch: every statement of it at once (hub/intake/intake.service.ts), so
  // the signatures overlap on WebCrypto's threads. One at a time, each would also pay the
  // thread hop's latency (~0.2 ms more per statement here), which intake does not.
  const verifyBatch = 100;
  const verifyMs =
    (await meanMs(sample.length / verifyBatch, (i) =>
      Promise.all(
        sample
          .slice(i * verifyBatch, (i + 1) * verifyBatch)
          .map((s, j) => verifyAttestation(s.jws, `attestations[${String(j)}]`, registry)),
      ),
    )) / verifyBatch;
  const repo = intakeRepository(db);
  const log = transparencyLog(db, { origin: HUB_CONFIG.logOrigin, signingKey: hubKey });
  const batch = 250;
  const storeMs =
    (await meanMs(sample.length / batch, (i) => {
      const part = sample.slice(i * batch, (i + 1) * batch);
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      // As intake stores a batch: statements, hub indexes, the log append and its checkpoint.
      return repo.storeBatch(part, at, (tx) =>
        log.appendAndCheckpoint(
          tx,
          part.map((s) => attestationEntry(s.payload.id, s.jws, rng)),
          at,
        ),
      );
    })) / batch;
  return { verifyMs, storeMs };
}

async function messageCount(db: HubDatabase): Promise<number> {
  const [row] = await db.select({ n: count() }).from(hubTables.mailboxMessages);
  return Number(row?.n ?? 0);
}

const client = new LoadClient();
const monitoringRows: string[][] = [];
const monitoringSetup: string[][] = [];
const rows: string[][] = [];
const parts: string[][] = [];
const baselines: string[][] = [];
const baselineSample = corpus.statements.slice(0, Math.min(3000, corpus.statements.length));
try {
  for (const kind of databases) {
    if (kind === 'postgres' && !explicitDb && !(await postgresReachable(postgresUrl))) {
      console.log('PostgreSQL not reachable at SPX_BENCH_DATABASE_URL: skipped\n');
      continue;
    }
    const bdb = await openBenchDatabase(kind, {
      migrationsFolder: HUB_MIGRATIONS,
      tables: hubTables,
      postgresUrl,
    });
    const label = bdb.label.split(' (')[0]!;
    try {
      const hub = await createBenchHub(bdb.handle.db, corpus as Corpus);
      const queues = statementQueues();
      const server = await serveApp(hub.app);
      process.stderr.write(`  ${kind}: node:crypto baseline\n`);
      const base: Ed25519Baseline = await ed25519Baseline(corpus, baselineSample);
      baselines.push([
        label,
        String(base.statements),
        rate(base.sync),
        rate(base.parallel),
        rate(0.6 * base.sync),
      ]);
      try {
        const without: number[] = [];
        for (const { batch, c } of runs) {
          process.stderr.write(`  ${kind}: batches of ${batch}, ${c} at once\n`);
          const requests = await queues.next(perRun, batch);
          const result = await client.run(server.url, requests, c);
          expectStatuses(result, 200, `intake of batches of ${batch}`);
          without.push(perRun / result.wallSeconds);
          rows.push([
            label,
            String(batch),
            String(c),
            String(requests.length),
            String(perRun),
            rate(perRun / result.wallSeconds),
            ratio(perRun / result.wallSeconds / base.sync),
            ms(percentile(result.all, 50)),
            ms(percentile(result.all, 99)),
          ]);
        }
        if (monitors > 0) {
          process.stderr.write(`  ${kind}: enrolling ${monitors} monitoring agencies\n`);
          const enrolledStatements = await enrollMonitors(bdb.handle.db, queues.rest());
          const before = await messageCount(bdb.handle.db);
          for (const [i, { batch, c }] of runs.entries()) {
            process.stderr.write(`  ${kind}: with monitoring, batches of ${batch}, ${c} at once\n`);
            const requests = await queues.next(perRun, batch);
            const result = await client.run(server.url, requests, c);
            expectStatuses(result, 200, `intake with monitoring, batches of ${batch}`);
            const r = perRun / result.wallSeconds;
            monitoringRows.push([
              label,
              String(batch),
              String(c),
              rate(without[i]!),
              rate(r),
              ratio(r / without[i]!),
              ms(percentile(result.all, 50)),
              ms(percentile(result.all, 99)),
            ]);
          }
          const notices = (await messageCount(bdb.handle.db)) - before;
          monitoringSetup.push([
            label,
            String(monitors),
            String(monitors * roster + enrolledStatements),
            String(enrolledStatements),
            String(notices),
          ]);
        }
      } finally {
        await server.close();
      }
      const sample = queues.rest().slice(0, BREAKDOWN);
      const { verifyMs, storeMs } = await breakdown(bdb.handle.db, sample, hub.hubKey);
      parts.push([label, ms(verifyMs), ms(storeMs), rate(1000 / (verifyMs + storeMs))]);
    } finally {
      await bdb.close();
    }
  }
} finally {
  client.close();
}
printTable(
  ['setup', 'time', 'rate'],
  [
    [
      `sign ${total} attestations (client side, untimed)`,
      `${signSeconds.toFixed(1)} s`,
      `${rate(total / signSeconds)} /s`,
    ],
  ],
);
printTable(
  [
    'baseline before the runs on',
    'signatures',
    'node:crypto verify/s (1 thread)',
    'WebCrypto verify/s (all at once)',
    'target 0.6× (1 thread)',
  ],
  baselines,
);
printTable(
  [
    'database',
    'batch',
    'in flight',
    'requests',
    'statements',
    'statements/s',
    '× baseline (1 thread)',
    'p50 ms/batch',
    'p99 ms/batch',
  ],
  rows,
);
printTable(
  [
    'database',
    'verify ms/statement (Ed25519 + schema, batches of 100)',
    'store ms/statement (batches of 250)',
    'sum → statements/s',
  ],
  parts,
);
if (monitors > 0) {
  printTable(
    [
      'database',
      'monitoring agencies',
      'enrollments',
      'statements with an enrolled index (not all sent)',
      'monitoring notices queued by the runs',
    ],
    monitoringSetup,
  );
  printTable(
    [
      'database',
      'batch',
      'in flight',
      'statements/s without enrollments',
      'statements/s with',
      'with / without',
      'p50 ms/batch (with)',
      'p99 ms/batch (with)',
    ],
    monitoringRows,
  );
}
console.log(`load average at end (1/5/15 min): ${machine().loadAtStart.join(' / ')}`);
