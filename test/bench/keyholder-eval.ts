/**
 * Keyholder evaluations per second (issue 3 "Benchmark", issue 10 §3; docs/performance.md).
 *
 *   npx tsx test/bench/keyholder-eval.ts [--db pglite|postgres|both] [--elements 1536]
 *                                        [--concurrency 4] [--workers N] [--http-sizes 1,32,256]
 *
 * 1. The pure evaluation (crypto/oprf evaluateBatch: RFC 9497 BlindEvaluate in modeVOPRF with
 *    one batch DLEQ proof) at batch sizes 1, 32 and 256, once per ristretto255 backend —
 *    noble (the baseline) and libsodium — in this one thread. Rates are given per wall second
 *    and per CPU-second of this process (what one core does, however loaded the machine); the
 *    ratio is against noble in the same run. Then what a batch of 256 costs inside (the
 *    scalar multiplications of the evaluation, the composite's multi-scalar multiplication,
 *    the fixed key check), the worker pool in process, and the node's side (blind; verify the
 *    proof and finalize, always noble).
 * 2. The keyholder app (createKeyholderApp over its migrated database: request-token
 *    authentication, replay table, quota statement, key lookup) served on 127.0.0.1 and driven
 *    over HTTP from a separate client process, three ways: noble on the event loop (the
 *    baseline, as before this change), libsodium on the event loop, and libsodium in a pool of
 *    worker threads (one per core by default). Rates per wall second and per CPU-second of the
 *    server process (all its threads; with PGlite that includes the database, which runs in
 *    process). While each runs, this process probes GET /v1/health one request at a time: how
 *    long the event loop keeps others waiting.
 *
 * The agency directory is a fixed in-memory registry entry (in production the hub's registry,
 * cached: no per-request cost either way). Each measurement evaluates the same number of
 * elements (--elements), so small batches make many requests and large batches few. Prints
 * figures; asserts nothing about speed.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  assertKeyPair,
  blindBatch,
  decodeElementWith,
  decodeEvaluationResponse,
  deriveKeyPair,
  evaluateBatch,
  finalizeBatch,
  loadGroup,
  nobleGroup,
  type EvaluationResponseJson,
  type Ristretto255Group,
} from '../../crypto/oprf/index.js';
import {
  createKeyholderApp,
  keyholderTables,
  keyRepository,
  KEYHOLDER_MIGRATIONS,
} from '../../keyholder/index.js';
import { startEvaluationPool, type EvaluationPool } from '../../keyholder/evaluation-pool.js';
import { inlineEvaluator, type BatchEvaluator } from '../../keyholder/evaluator.js';
import { admissionsRepository } from '../../keyholder/admissions.repository.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import { benchAgency, signedHeaders } from './support/hub-corpus.js';
import {
  expectStatuses,
  LoadClient,
  serveApp,
  type PreparedRequest,
  type RunningServer,
} from './support/load-client.js';
import {
  machine,
  ms,
  parseBenchArgs,
  percentile,
  positiveInt,
  printMachine,
  printTable,
  rate,
  ratio,
} from './support/report.js';

const USAGE = `npx tsx test/bench/keyholder-eval.ts [options]
  --db pglite|postgres|both   keyholder database for the HTTP runs (default both)
  --elements E                elements evaluated per measurement (default 1536)
  --concurrency C             HTTP requests in flight (default 4)
  --workers N                 worker threads of the pool (default: one per core)
  --http-sizes L              batch sizes over HTTP, comma-separated (default 1,32,256)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  {
    elements: { type: 'string', default: '1536' },
    concurrency: { type: 'string', default: '4' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'http-sizes': { type: 'string', default: '1,32,256' },
  },
  USAGE,
);
const elements = positiveInt(values.elements, 'elements');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const workers = positiveInt(values.workers, 'workers');
const httpSizes = String(values['http-sizes'])
  .split(',')
  .map((s) => positiveInt(s, 'http-sizes'));
const SIZES = [1, 32, 256];
const EPOCH = 1;
const rng = (n: number) => new Uint8Array(randomBytes(n));
const key = deriveKeyPair(sha256(utf8('spx bench keyholder seed')), EPOCH);
const publicKey = { epoch: EPOCH, shareIndex: 1, publicKey: key.publicKey };
const libsodium = await loadGroup('libsodium').then(
  (l) => l.group,
  (e: unknown) => {
    console.log(`libsodium did not load (${String(e)}): only noble is measured\n`);
    return undefined;
  },
);
const groups: Ristretto255Group[] = libsodium ? [nobleGroup, libsodium] : [nobleGroup];
const cores = availableParallelism();

const m = machine();
printMachine('keyholder evaluations', m);
console.log(
  `${elements} elements per measurement; HTTP concurrency ${concurrency}; pool of ${workers} workers on ${cores} cores\n`,
);

let inputCounter = 0;
function blinded(size: number) {
  const inputs = Array.from({ length: size }, () =>
    utf8(`SPX1|ssn|${String(inputCounter++).padStart(9, '0')}`),
  );
  return blindBatch(EPOCH, inputs, rng);
}
const batchesOf = (size: number) => Math.max(1, Math.round(elements / size));
const seconds = (t0: number) => (performance.now() - t0) / 1000;
/**
 * CPU seconds this process (every thread: the event loop and the workers) spent since `start`.
 * On a shared machine wall time stretches with other processes' load; elements per CPU-second
 * is what one core evaluates, whatever else runs.
 */
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

// 1. Pure crypto, in this thread: elements per second per core, by backend.
const pureRows: string[][] = [];
const nobleRate = new Map<number, number>();
for (const size of SIZES) {
  const prepared = Array.from({ length: batchesOf(size) }, () => blinded(size));
  const total = prepared.length * size;
  for (const group of groups) {
    evaluateBatch(key, prepared[0]!.request, rng, group); // warm-up
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const responses = prepared.map((p) => evaluateBatch(key, p.request, rng, group));
    const evalSeconds = seconds(t0);
    const evalCpu = cpuSeconds(c0);
    // The node (noble) accepts every proof this backend produced.
    prepared.forEach((p, i) => finalizeBatch(p.state, responses[i]!, publicKey));
    const perCpuSecond = total / evalCpu;
    if (group.name === 'noble') nobleRate.set(size, perCpuSecond);
    pureRows.push([
      group.name,
      String(size),
      String(total),
      rate(total / evalSeconds),
      rate(perCpuSecond),
      ms((evalCpu * 1000) / prepared.length),
      ratio(perCpuSecond / nobleRate.get(size)!),
    ]);
  }
}
printTable(
  [
    'backend',
    'batch',
    'elements',
    'el/s (wall)',
    'el/s per CPU-second',
    'CPU ms per batch',
    'vs noble',
  ],
  pureRows,
);

// Inside a batch of 256: the evaluation's scalar multiplications (k·C_i, constant time), the
// composite M = Σ d_i·C_i (noble: a variable-time wNAF multi-scalar multiplication; libsodium
// has none: one scalar multiplication and one addition per element), and the key check.
function inside<E>(group: Ristretto255Group<E>): string[] {
  const batch = blinded(256).request.blindedElements;
  const points = batch.map((b, i) => decodeElementWith(group, b, `e${i}`));
  const scalars = batch.map((_, i) => sha256(utf8(`weight ${i}`)).fill(0, 31)); // < ℓ
  let c0 = process.cpuUsage();
  for (const p of points) group.multiply(p, key.secretKey);
  const multiplyUs = (cpuSeconds(c0) * 1e6) / points.length;
  c0 = process.cpuUsage();
  group.msmPublic(points, scalars);
  const msmUs = (cpuSeconds(c0) * 1e6) / points.length;
  const checks = 50;
  c0 = process.cpuUsage();
  for (let i = 0; i < checks; i++) assertKeyPair(key, group);
  const checkMs = (cpuSeconds(c0) * 1000) / checks;
  return [group.name, rate(multiplyUs), rate(msmUs), ms(checkMs)];
}
printTable(
  [
    'backend (CPU time)',
    'k·C µs per element',
    'composite µs per element',
    'key check ms per batch',
  ],
  groups.map((g) => inside(g)),
);

// The pool in process: all workers busy, no HTTP.
let poolRate = Number.NaN;
let poolElements = 0;
let poolPerCpu = Number.NaN;
if (libsodium) {
  const pool = await startEvaluationPool({
    workers,
    maxQueuedElements: 1 << 20,
    backend: 'libsodium',
    rng,
    log: () => undefined,
  });
  try {
    const prepared = Array.from({ length: Math.max(workers * 2, batchesOf(256)) }, () =>
      blinded(256),
    );
    // Warm-up: three batches per worker (each worker's JIT starts cold).
    for (let i = 0; i < 3; i++) {
      await Promise.all(
        prepared.slice(0, workers).map((p) => pool.reserve(256).evaluate(key, p.request)),
      );
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await Promise.all(prepared.map((p) => pool.reserve(256).evaluate(key, p.request)));
    poolRate = (prepared.length * 256) / seconds(t0);
    poolPerCpu = (prepared.length * 256) / cpuSeconds(c0);
    poolElements = prepared.length * 256;
  } finally {
    await pool.close();
  }
  printTable(
    [
      'pool (libsodium), batch 256',
      'elements',
      'el/s (wall)',
      'vs one thread (wall)',
      'el/s per CPU-second',
    ],
    [
      [
        `${workers} workers`,
        String(poolElements),
        rate(poolRate),
        ratio(poolRate / Number(pureRows.find((r) => r[0] === 'libsodium' && r[1] === '256')?.[3])),
        rate(poolPerCpu),
      ],
    ],
  );
}

const nodeRows: string[][] = [];
for (const size of SIZES) {
  const batches = batchesOf(size);
  const t0 = performance.now();
  const prepared = Array.from({ length: batches }, () => blinded(size));
  const blindSeconds = seconds(t0);
  const responses = prepared.map((p) =>
    evaluateBatch(key, p.request, rng, libsodium ?? nobleGroup),
  );
  const t1 = performance.now();
  prepared.forEach((p, i) => finalizeBatch(p.state, responses[i]!, publicKey));
  const total = batches * size;
  nodeRows.push([String(size), rate(total / blindSeconds), rate(total / seconds(t1))]);
}
printTable(['batch', 'node blind el/s', 'node verify+finalize el/s'], nodeRows);

// 2. Through the keyholder app over HTTP.
/** Any audience the app is told is its own (docs/protocol.md §7.2.1). */
const BENCH_AUDIENCE = 'http://keyholder.bench';
const agency = await benchAgency(0);
const entry = {
  ori: agency.ori,
  name: 'Bench Police Department',
  jurisdiction: 'local',
  state: agency.ori.slice(0, 2),
  roles: ['reporter', 'checker'],
  keys: [{ kid: agency.key.kid, status: 'active', jwk: agency.key.publicJwk }],
  contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
  status: 'active',
} as RegistryEntry;

async function evaluateRequest(size: number): Promise<PreparedRequest> {
  const { request } = blinded(size);
  const body = JSON.stringify({
    epoch: EPOCH,
    blindedElements: request.blindedElements.map(toBase64url),
  });
  const headers = await signedHeaders(agency, BENCH_AUDIENCE, '/v1/evaluate', body, new Date());
  return { method: 'POST', path: '/v1/evaluate', headers, body, tag: String(size) };
}

async function requestsFor(size: number): Promise<PreparedRequest[]> {
  const out: PreparedRequest[] = [];
  for (let i = 0; i < batchesOf(size); i++) out.push(await evaluateRequest(size));
  return out;
}

/** One GET on a fresh connection (no keep-alive: an idle socket the server closes meanwhile
 * would fail the next probe); resolves with its milliseconds. */
function probeOnce(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      })
      .on('error', reject);
  });
}

/**
 * GET /v1/health from this (the server's) process, one at a time and 20 ms apart, until `done`
 * settles: how long the server's event loop keeps a request waiting.
 */
async function probeHealth(server: RunningServer, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    latencies.push(await probeOnce(`${server.url}/v1/health`));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

interface Mode {
  readonly label: string;
  open(): Promise<BatchEvaluator>;
}
const modes: Mode[] = [
  { label: 'noble, event loop', open: async () => inlineEvaluator(nobleGroup, rng) },
  ...(libsodium
    ? [
        {
          label: 'libsodium, event loop',
          open: async () => inlineEvaluator(libsodium, rng),
        },
        {
          label: `libsodium, ${workers} workers`,
          open: (): Promise<EvaluationPool> =>
            startEvaluationPool({
              workers,
              maxQueuedElements: 1 << 20,
              backend: 'libsodium',
              rng,
              log: () => undefined,
            }),
        },
      ]
    : []),
];

const client = new LoadClient();
const httpRows: string[][] = [];
try {
  for (const kind of databases) {
    if (kind === 'postgres' && !explicitDb && !(await postgresReachable(postgresUrl))) {
      console.log('PostgreSQL not reachable at SPX_BENCH_DATABASE_URL: skipped\n');
      continue;
    }
    const bdb = await openBenchDatabase(kind, {
      migrationsFolder: KEYHOLDER_MIGRATIONS,
      tables: keyholderTables,
      postgresUrl,
    });
    try {
      const db = bdb.handle.db;
      await keyRepository(db, { rng }).add(
        { key, threshold: 1, groupPublicKey: key.publicKey, publicShares: [key.publicKey] },
        new Date(),
      );
      await admissionsRepository(db).admit(agency.ori, agency.key.kid, new Date(), null);
      const baseline = new Map<number, number>();
      for (const mode of modes) {
        const evaluator = await mode.open();
        const app = createKeyholderApp({
          db,
          directory: { find: async (ori) => (ori === entry.ori ? entry : undefined) },
          now: () => new Date(),
          rng,
          log: () => undefined,
          dailyQuota: 1_000_000_000,
          audiences: [BENCH_AUDIENCE],
          evaluator,
        });
        const server = await serveApp(app);
        try {
          // One answer checked end to end: the proof verifies against the published key.
          const state = blinded(2);
          const body = JSON.stringify({
            epoch: EPOCH,
            blindedElements: state.request.blindedElements.map(toBase64url),
          });
          const headers = await signedHeaders(
            agency,
            BENCH_AUDIENCE,
            '/v1/evaluate',
            body,
            new Date(),
          );
          const res = await fetch(`${server.url}/v1/evaluate`, { method: 'POST', headers, body });
          const answer = decodeEvaluationResponse((await res.json()) as EvaluationResponseJson);
          finalizeBatch(state.state, answer, publicKey);
          // Warm-up: each worker thread is a fresh V8 isolate whose code (hashing, encoding) the
          // JIT compiles again; a few full batches per worker keep that out of the figures.
          const warmUp: PreparedRequest[] = [];
          for (let i = 0; i < 2 + 3 * evaluator.workers; i++)
            warmUp.push(await evaluateRequest(256));
          expectStatuses(
            await client.run(server.url, warmUp, Math.max(1, evaluator.workers)),
            200,
            'keyholder warm-up',
          );
          for (const size of httpSizes) {
            const requests = await requestsFor(size);
            const c0 = process.cpuUsage();
            const run = client.run(server.url, requests, concurrency);
            const health = await probeHealth(server, run);
            const result = await run;
            const cpu = cpuSeconds(c0);
            expectStatuses(result, 200, `keyholder batch ${size}`);
            const perSecond = (requests.length * size) / result.wallSeconds;
            const perCpuSecond = (requests.length * size) / cpu;
            if (!baseline.has(size)) baseline.set(size, perCpuSecond);
            httpRows.push([
              bdb.label.split(' (')[0]!,
              mode.label,
              String(size),
              String(requests.length),
              rate(perSecond),
              rate(perCpuSecond),
              ratio(perCpuSecond / baseline.get(size)!),
              ms(percentile(result.all, 50)),
              ms(percentile(result.all, 99)),
              `${ms(percentile(health, 50))} / ${ms(Math.max(...health))}`,
            ]);
          }
        } finally {
          await server.close();
          await evaluator.close();
        }
      }
    } finally {
      await bdb.close();
    }
  }
} finally {
  client.close();
}
printTable(
  [
    'database',
    'evaluator',
    'batch',
    'requests',
    'el/s (wall)',
    'el/s per server CPU-second',
    'vs noble',
    'p50 ms',
    'p99 ms',
    'health p50 / max ms',
  ],
  httpRows,
);
console.log(`load average at end (1/5/15 min): ${machine().loadAtStart.join(' / ')}`);
