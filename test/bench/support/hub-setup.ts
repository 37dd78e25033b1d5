/**
 * A hub as `spx hub serve` builds it (createHubApp over a migrated database), its registry
 * filled with the corpus's reporting agencies and one checking agency, and the corpus loaded:
 *
 * - the first statements go through the real intake (POST /v1/attestations, in process), to
 *   show that the corpus passes every intake check a production hub applies;
 * - the rest go straight through the intake repository's `storeBatch` — the same transaction
 *   and rows intake writes, without re-verifying 100 000 signatures (intake's own rate is
 *   hub-intake.ts's business);
 * - then ANALYZE, with the matching query timed before and after it.
 */
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../../crypto/encoding.js';
import { signingKeyFromSeed, type SigningKey } from '../../../crypto/signing/keys.js';
import { createHubApp, HUB_AUDIENCE } from '../../../hub/app.js';
import { DEFAULT_READ_CACHE_MS, type HubAppConfig } from '../../../hub/config.js';
import { intakeRepository } from '../../../hub/intake/intake.repository.js';
import { attestationEntry } from '../../../hub/tlog/entries.js';
import { appendEntries } from '../../../hub/tlog/tlog.repository.js';
import { registryService } from '../../../hub/registry/registry.service.js';
import type { HubDatabase } from '../../../hub/database.js';
import { checksRepository } from '../../../hub/checks/checks.repository.js';
import { MAX_CHECK_MATCHES } from '../../../protocol/check-response.js';
import {
  benchAgency,
  officerKeys,
  rng,
  signedHeaders,
  type BenchAgency,
  type Corpus,
} from './hub-corpus.js';
import { meanMs } from './report.js';

/** The hub's defaults (docs/hub.md, Configuration). */
export const HUB_CONFIG: HubAppConfig = {
  epochs: [1],
  statsMinCell: 10,
  maxIntakeBytes: 9 * 1024 * 1024,
  maxCheckBytes: 64 * 1024,
  maxBatch: 500,
  logOrigin: 'spx.invalid/hub-log',
  // The registry and checkpoint caches as the hub runs by default; no per-agency check limit
  // (the bench's one checker makes thousands of checks a minute; the limit is a setting).
  readCacheMs: DEFAULT_READ_CACHE_MS,
};

export interface BenchHub {
  readonly app: Hono;
  readonly hubKey: SigningKey;
  readonly checker: BenchAgency;
  /** Log lines the app produced (counted, then dropped: a real hub writes them to stdout). */
  readonly logLines: { count: number };
}

export async function enroll(db: HubDatabase, agency: BenchAgency, roles: string[]): Promise<void> {
  await registryService(db).enroll(
    {
      ori: agency.ori,
      name: `Bench Police Department ${agency.ori}`,
      jurisdiction: 'local',
      state: agency.ori.slice(0, 2),
      roles,
      jwk: agency.key.publicJwk,
      contact: { name: 'Records Unit', email: 'records@example.gov', phone: '+12135550100' },
    },
    new Date(),
  );
}

export async function createBenchHub(db: HubDatabase, corpus: Corpus): Promise<BenchHub> {
  for (const r of corpus.reporters) await enroll(db, r, ['reporter', 'checker']);
  const checker = await benchAgency(10_000);
  await enroll(db, checker, ['checker']);
  const hubKey = await signingKeyFromSeed(sha256(utf8('spx bench hub signing key')));
  const logLines = { count: 0 };
  const app = createHubApp({
    db,
    signingKey: hubKey,
    config: HUB_CONFIG,
    now: () => new Date(),
    rng,
    log: () => void logLines.count++,
  });
  return { app, hubKey, checker, logLines };
}

/** POST /v1/attestations in process, signed as `agency`; throws unless all are accepted. */
export async function intakeInProcess(
  hub: BenchHub,
  agency: BenchAgency,
  statements: readonly string[],
): Promise<void> {
  const body = JSON.stringify({ attestations: statements });
  const path = '/v1/attestations';
  const headers = await signedHeaders(agency, HUB_AUDIENCE, path, body, new Date());
  const res = await hub.app.request(path, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`intake refused the corpus: ${res.status} ${text}`);
  const receipts = (JSON.parse(text) as { receipts: { status: string }[] }).receipts;
  if (receipts.some((r) => r.status !== 'accepted')) {
    throw new Error(`intake did not accept every statement: ${text.slice(0, 300)}`);
  }
}

/**
 * Loads the corpus: `viaIntake` statements of the first agency through intake, the rest
 * through storeBatch in transactions of `batch` statements. Returns the seconds each part
 * took.
 */
export async function loadCorpus(
  db: HubDatabase,
  hub: BenchHub,
  corpus: Corpus,
  options: { viaIntake: number; batch: number; progress?: (done: number) => void },
) {
  const first = corpus.reporters[0]!;
  const sample = corpus.statements
    .filter((s) => s.payload.issuer === first.ori)
    .slice(0, options.viaIntake);
  const sampled = new Set(sample.map((s) => s.payload.id));
  let started = performance.now();
  for (let i = 0; i < sample.length; i += HUB_CONFIG.maxBatch) {
    const part = sample.slice(i, i + HUB_CONFIG.maxBatch);
    await intakeInProcess(
      hub,
      first,
      part.map((s) => s.jws),
    );
  }
  const intakeSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const rest = corpus.statements.filter((s) => !sampled.has(s.payload.id));
  const repo = intakeRepository(db);
  const receivedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  for (let i = 0; i < rest.length; i += options.batch) {
    // Appended to the log as intake would, without a checkpoint per batch: the first check
    // issues one covering them all.
    const part = rest.slice(i, i + options.batch);
    await repo.storeBatch(part, receivedAt, (tx) =>
      appendEntries(
        tx,
        part.map((s) => attestationEntry(s.payload.id, s.jws, rng)),
        receivedAt,
      ),
    );
    options.progress?.(sample.length + Math.min(i + options.batch, rest.length));
  }
  const storeSeconds = (performance.now() - started) / 1000;

  // A PostgreSQL server's autovacuum analyzes new rows within a minute or so; PGlite runs no
  // autovacuum, and without statistics the planner may scan `attestations` whole for every
  // check. Timed before and after ANALYZE, since a PGlite hub in production has no ANALYZE.
  const checks = checksRepository(db);
  const matching = () =>
    meanMs(5, (i) =>
      checks.matchingIds(
        1,
        officerKeys(i, 'analyze').map((k) => k.index),
        MAX_CHECK_MATCHES + 1,
      ),
    );
  const beforeAnalyzeMs = await matching();
  await db.execute(sql`analyze attestations`);
  await db.execute(sql`analyze attestation_keys`);
  const afterAnalyzeMs = await matching();
  return { intakeSeconds, storeSeconds, viaIntake: sample.length, beforeAnalyzeMs, afterAnalyzeMs };
}
