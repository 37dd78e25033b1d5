/**
 * Keyholder evaluations per second (issue 3, "Benchmark"; docs/performance.md).
 *
 *   npx tsx test/bench/keyholder-eval.ts [--db pglite|postgres|both] [--elements 1536]
 *
 * 1. The pure evaluation (crypto/oprf evaluateBatch: RFC 9497 BlindEvaluate in modeVOPRF with
 *    one batch DLEQ proof) at batch sizes 1, 32 and 256 — and, for comparison, what the node
 *    does around it (blind; verify the proof and finalize).
 * 2. The keyholder app (createKeyholderApp over its migrated database: request-token
 *    authentication, replay table, quota statement, key lookup) served on 127.0.0.1 and driven
 *    over HTTP from a separate client process. The agency directory is a fixed in-memory
 *    registry entry (in production it is the hub's registry, cached for a minute: no per-request
 *    cost either way).
 *
 * Each measurement evaluates the same number of elements (--elements), so small batches make
 * many requests and large batches few. Prints figures; asserts nothing about speed.
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  assertKeyPair,
  blindBatch,
  decodeEvaluationResponse,
  deriveKeyPair,
  evaluateBatch,
  finalizeBatch,
  type EvaluationResponseJson,
} from '../../crypto/oprf/index.js';
import {
  createKeyholderApp,
  keyholderTables,
  keyRepository,
  KEYHOLDER_MIGRATIONS,
} from '../../keyholder/index.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { openBenchDatabase, postgresReachable } from './support/bench-db.js';
import { benchAgency, signedHeaders } from './support/hub-corpus.js';
import {
  expectStatuses,
  LoadClient,
  serveApp,
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
  rate,
} from './support/report.js';

const USAGE = `npx tsx test/bench/keyholder-eval.ts [options]
  --db pglite|postgres|both   keyholder database for the HTTP runs (default both)
  --elements E                elements evaluated per measurement (default 1536)
  --concurrency C             HTTP requests in flight (default 2)`;

const { values, databases, explicitDb, postgresUrl } = parseBenchArgs(
  { elements: { type: 'string', default: '1536' }, concurrency: { type: 'string', default: '2' } },
  USAGE,
);
const elements = positiveInt(values.elements, 'elements');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const SIZES = [1, 32, 256];
const EPOCH = 1;
const rng = (n: number) => new Uint8Array(randomBytes(n));
const key = deriveKeyPair(sha256(utf8('spx bench keyholder seed')), EPOCH);
const publicKey = { epoch: EPOCH, shareIndex: 1, publicKey: key.publicKey };

const m = machine();
printMachine('keyholder evaluations', m);
console.log(`${elements} elements per measurement; HTTP concurrency ${concurrency}\n`);

let inputCounter = 0;
function blinded(size: number) {
  const inputs = Array.from({ length: size }, () =>
    utf8(`SPX1|ssn|${String(inputCounter++).padStart(9, '0')}`),
  );
  return blindBatch(EPOCH, inputs, rng);
}

// 1. Pure crypto, in this process.
const pureRows: string[][] = [];
for (const size of SIZES) {
  const batches = Math.max(1, Math.round(elements / size));
  const prepared = Array.from({ length: batches }, () => blinded(size));
  const t0 = performance.now();
  const responses = prepared.map((p) => evaluateBatch(key, p.request, rng));
  const evalSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  prepared.forEach((p, i) => finalizeBatch(p.state, responses[i]!, publicKey));
  const finalizeSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  for (let i = 0; i < batches; i++) blinded(size);
  const blindSeconds = (performance.now() - t2) / 1000;
  const total = batches * size;
  pureRows.push([
    String(size),
    String(total),
    rate(total / evalSeconds),
    ms((evalSeconds * 1000) / batches),
    rate(total / blindSeconds),
    rate(total / finalizeSeconds),
  ]);
}
printTable(
  [
    'batch',
    'elements',
    'evaluate el/s',
    'ms per batch',
    'node blind el/s',
    'node verify+finalize el/s',
  ],
  pureRows,
);
// evaluateBatch re-checks the key pair (one base-point multiplication) on every call: a fixed
// cost per batch, whatever its size.
const checks = 200;
const t = performance.now();
for (let i = 0; i < checks; i++) assertKeyPair(key);
console.log(`fixed cost per batch, assertKeyPair: ${ms((performance.now() - t) / checks)} ms\n`);

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
  const count = Math.max(1, Math.round(elements / size));
  for (let i = 0; i < count; i++) out.push(await evaluateRequest(size));
  return out;
}

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
      const app = createKeyholderApp({
        db,
        directory: { find: async (ori) => (ori === entry.ori ? entry : undefined) },
        now: () => new Date(),
        rng,
        log: () => undefined,
        dailyQuota: 1_000_000_000,
        audiences: [BENCH_AUDIENCE],
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
        const warmUp = [await evaluateRequest(32), await evaluateRequest(32)];
        expectStatuses(await client.run(server.url, warmUp, 1), 200, 'keyholder warm-up');
        for (const size of SIZES) {
          const requests = await requestsFor(size);
          const result = await client.run(server.url, requests, concurrency);
          expectStatuses(result, 200, `keyholder batch ${size}`);
          const total = requests.length * size;
          httpRows.push([
            bdb.label.split(' (')[0]!,
            String(size),
            String(requests.length),
            rate(total / result.wallSeconds),
            rate(requests.length / result.wallSeconds),
            ms(percentile(result.all, 50)),
            ms(percentile(result.all, 99)),
          ]);
        }
      } finally {
        await server.close();
      }
    } finally {
      await bdb.close();
    }
  }
} finally {
  client.close();
}
printTable(['database', 'batch', 'requests', 'elements/s', 'req/s', 'p50 ms', 'p99 ms'], httpRows);
console.log(`load average at end (1/5/15 min): ${machine().loadAtStart.join(' / ')}`);
