/**
 * Support for the hub crash test (hub-crash.test.ts): a hub with its own PGlite data directory
 * and enrolled reporting agencies, set up with the operator's commands; a load of concurrent
 * intake batches that ends in a SIGKILL of the hub while batches are in flight (after a delay,
 * or right after a COMMIT whose receipt has not arrived yet); and an outside auditor that
 * checks the log using nothing but the public endpoints and the pinned key (docs/transparency.md,
 * "Auditing the log from the public endpoints").
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { z } from 'zod';
import { bytesEqual, fromBase64url, toBase64url, utf8 } from '../../crypto/encoding.js';
import {
  leafHash,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
  type ProofVerification,
} from '../../crypto/merkle/index.js';
import { noteVerifierKey, verifyCosignedCheckpoint } from '../../crypto/note/index.js';
import type { PublicJwk, SigningKey } from '../../crypto/signing/index.js';
import { attestationPayload, signAttestation } from '../../hub/test-support.js';
import { ClientError } from '../../node/clients/client-error.js';
import { createHubClient, type HubClient } from '../../node/clients/hub-client.js';
import {
  statementLeafHash,
  verifyReceiptEvidence,
  type LogTrust,
  type SentStatement,
} from '../../node/tlog/index.js';
import { readAgencyKeyFile } from '../../node/service/key-file.js';
import type { IntakeReceipt } from '../../protocol/intake.js';
import {
  ConsistencyProofResponseSchema,
  InclusionProofResponseSchema,
  LogEntriesResponseSchema,
  MAX_LOG_ENTRIES_PAGE,
  parseLogEntry,
  type LogEntry,
} from '../../protocol/tlog.js';
import type { Rng } from '../../protocol/statement-id.js';
import { spx, startService, type ServiceProcess } from '../../bin/demo/processes.js';

export const rng: Rng = (n) => new Uint8Array(randomBytes(n));

/** A uniformly random integer in [min, max]. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

// ---------------------------------------------------------------------------------------------
// The hub, as its operator sets it up and runs it

export interface Reporter {
  readonly ori: string;
  readonly key: SigningKey;
}

export interface CrashHub {
  readonly dataDir: string;
  readonly logFile: string;
  /** The log's origin, pinned by everyone who verifies a checkpoint. */
  readonly origin: string;
  /** The hub's public key as `spx hub keygen` printed it: the auditor's out-of-band copy. */
  readonly publicJwk: PublicJwk & { readonly kid: string };
  readonly reporters: readonly Reporter[];
  /** Where the hub and its CLI find the database: SPX_DATA_DIR, or SPX_DATABASE_URL/_SCHEMA. */
  readonly databaseEnv: Readonly<Record<string, string>>;
  /**
   * Starts `spx hub serve` on the database, on a free port the operating system picks; resolves
   * once /v1/health answers 200. Its output goes to `logFile` (default: the hub's `logFile`).
   */
  start(logFile?: string): Promise<ServiceProcess>;
}

export interface PrepareHubOptions {
  /** A PostgreSQL server's SPX_DATABASE_URL and SPX_DATABASE_SCHEMA; default PGlite in `dir`. */
  readonly database?: Readonly<Record<string, string>>;
}

const AGENCIES = [
  { ori: 'NM0019900', name: 'Crash Test City Police Department' },
  { ori: 'NM0999900', name: 'Crash Test State Standards Board' },
];

/**
 * `spx node keygen` for a reporting agency (key file in `dir`), then `spx hub enroll` on the
 * database `databaseEnv` names.
 */
export async function enrollReporter(
  dir: string,
  databaseEnv: Readonly<Record<string, string>>,
  agency: { readonly ori: string; readonly name: string },
): Promise<Reporter> {
  const agencyKeyFile = path.join(dir, `${agency.ori}-key.json`);
  const generated = JSON.parse(await spx(['node', 'keygen', '--out', agencyKeyFile, '--json'])) as {
    publicJwk: unknown;
  };
  await spx([
    'hub', 'enroll',
    '--ori', agency.ori, '--name', agency.name, '--level', 'local', '--state', 'NM',
    '--roles', 'reporter', '--jwk', JSON.stringify(generated.publicJwk),
    '--contact-name', 'Records Unit', '--contact-email', 'records@example.gov',
    '--contact-phone', '+15055550100',
  ], databaseEnv); // prettier-ignore
  return { ori: agency.ori, key: await readAgencyKeyFile(agencyKeyFile) };
}

/** Hub signing key, the reporters' keys and their enrollment, in a fresh folder `dir`. */
export async function prepareHub(
  dir: string,
  origin: string,
  options: PrepareHubOptions = {},
): Promise<CrashHub> {
  const dataDir = path.join(dir, 'hub');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const databaseEnv = options.database ?? { SPX_DATA_DIR: dataDir };
  const keyFile = path.join(dataDir, 'hub-signing-key.json');
  const publicJwk = JSON.parse(
    await spx(['hub', 'keygen', '--out', keyFile, '--json']),
  ) as CrashHub['publicJwk'];

  const reporters: Reporter[] = [];
  for (const agency of AGENCIES) reporters.push(await enrollReporter(dir, databaseEnv, agency));

  const logFile = path.join(dir, 'hub.log');
  return {
    dataDir,
    logFile,
    origin,
    publicJwk,
    reporters,
    databaseEnv,
    start: (serviceLog = logFile) =>
      startService({
        name: 'hub',
        args: ['hub', 'serve'],
        logFile: serviceLog,
        env: {
          ...databaseEnv,
          SPX_HUB_PORT: '0',
          SPX_HUB_KEY_FILE: keyFile,
          SPX_HUB_EPOCHS: '1',
          SPX_HUB_LOG_ORIGIN: origin,
          // The checkpointer runs beside intake, as a second writer under the head lock.
          SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS: '300',
          // Fault injection (hub/server.ts): each intake batch waits this long between its
          // COMMIT and its receipts, so a kill 'after an unacknowledged commit' can land there.
          // Without it the hub answers within a few milliseconds of the COMMIT and the kills
          // missed that window in every try.
          SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS: String(PAUSE_AFTER_COMMIT_MS),
        },
      }),
  };
}

/** The pause the crash test's hub makes between an intake COMMIT and the receipts. */
export const PAUSE_AFTER_COMMIT_MS = 150;

/** What a node pins to verify the hub's checkpoints: its key and the log's origin. */
export function logTrust(hub: CrashHub): LogTrust {
  return {
    hubKeys: [{ kid: hub.publicJwk.kid, publicJwk: hub.publicJwk }],
    origin: hub.origin,
    witnesses: [],
    quorum: 0,
  };
}

/** A reporting agency's signed hub client against `url` (real fetch, real clock). */
export function reporterClient(reporter: Reporter, url: string): HubClient {
  return createHubClient(url, {
    identity: { ori: reporter.ori, key: reporter.key },
    fetch,
    now: () => new Date(),
    rng,
    // Two cores shared with other work: a slow answer must not pass for a crash.
    timeoutMs: 60_000,
  });
}

/** `count` fresh attestations by `reporter` over random hub indexes, signed. */
export async function freshStatements(reporter: Reporter, count: number): Promise<SentStatement[]> {
  const out: SentStatement[] = [];
  for (let i = 0; i < count; i++) {
    const payload = attestationPayload(reporter.ori, rng, new Date());
    out.push({ id: payload.id, jws: await signAttestation(payload, reporter.key) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Load, then SIGKILL while batches are in flight

export type BatchOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'acknowledged'; readonly receipt: IntakeReceipt }
  | { readonly kind: 'failed'; readonly code: string; readonly status: number | undefined };

export interface SentBatch {
  /** Which hub process received it (0 = first start). */
  readonly run: number;
  readonly ori: string;
  readonly statements: readonly SentStatement[];
  outcome: BatchOutcome;
}

/**
 * When to SIGKILL, once enough receipts arrived: after a delay (wherever the hub then is:
 * usually validating or inside an append's transaction), or as soon as the public checkpoint
 * shows a commit whose receipt has not arrived yet (the window between COMMIT and the answer).
 */
export type KillMoment =
  { readonly after: 'delay'; readonly ms: number } | { readonly after: 'unacknowledged-commit' };

export interface LoadOptions {
  readonly run: number;
  readonly hub: ServiceProcess;
  readonly reporters: readonly Reporter[];
  readonly concurrency: number;
  readonly maxBatch: number;
  /** Kill once this many batches of this run were acknowledged… */
  readonly killAfterReceipts: number;
  /** …at this moment. */
  readonly killAt: KillMoment;
  /** SIGKILL anyway after this long (then the test sees too few receipts and fails). */
  readonly deadlineMs: number;
}

export interface LoadResult {
  readonly batches: readonly SentBatch[];
  /** Requests that were waiting for the hub's answer when it died. */
  readonly inFlightAtKill: number;
  readonly exitCode: number | null;
}

/** The tree size of a signed checkpoint note (its second line), unverified: a timing cue only. */
function noteSize(note: string): number {
  return Number(note.split('\n')[1]);
}

/**
 * Sends batches from `concurrency` workers until the hub is killed, then waits for the process
 * to be gone. Every batch sent is recorded with its outcome: its receipt, or the error.
 */
export async function loadUntilKilled(options: LoadOptions): Promise<LoadResult> {
  const { hub } = options;
  const pid = hub.pid;
  if (pid === undefined) throw new Error('the hub process has no pid');
  const clients = options.reporters.map((r) => ({
    ori: r.ori,
    reporter: r,
    client: reporterClient(r, hub.url),
  }));
  const batches: SentBatch[] = [];
  let decided = false;
  let killed = false;
  let acknowledged = 0;
  /** The largest checkpoint a receipt of this run carried. */
  let acknowledgedSize = 0;
  let inFlight = 0;
  let inFlightAtKill = 0;
  let fire: () => void = () => {};
  const killedNow = new Promise<void>((resolve) => {
    fire = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      process.kill(pid, 'SIGKILL');
      resolve();
    };
  });
  const watchCommits = async () => {
    while (!killed) {
      const response = await fetch(`${hub.url}/v1/log/checkpoint`).catch(() => undefined);
      const size = response?.ok ? noteSize(await response.text()) : 0;
      if (size > acknowledgedSize) fire();
    }
  };
  const decide = () => {
    if (decided) return;
    decided = true;
    if (options.killAt.after === 'delay') setTimeout(fire, options.killAt.ms);
    else void watchCommits();
  };
  const deadline = setTimeout(fire, options.deadlineMs);

  const worker = async (w: number) => {
    const { ori, reporter, client } = clients[w % clients.length]!;
    while (!killed) {
      const statements = await freshStatements(reporter, randomInt(1, options.maxBatch));
      if (killed) break;
      const batch: SentBatch = { run: options.run, ori, statements, outcome: { kind: 'pending' } };
      batches.push(batch);
      inFlight++;
      try {
        const receipt = await client.submitAttestations({
          attestations: statements.map((s) => s.jws),
        });
        batch.outcome = { kind: 'acknowledged', receipt };
        acknowledgedSize = Math.max(acknowledgedSize, noteSize(receipt.log.checkpoint));
        if (++acknowledged >= options.killAfterReceipts) decide();
      } catch (e) {
        if (!(e instanceof ClientError)) throw e;
        batch.outcome = { kind: 'failed', code: e.code, status: e.status };
        // A refusal before the kill is a defect the test reports; stop loading either way.
        fire();
      } finally {
        inFlight--;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
    await killedNow;
  } finally {
    clearTimeout(deadline);
  }
  return { batches, inFlightAtKill, exitCode: await hub.stop() };
}

// ---------------------------------------------------------------------------------------------
// The outside auditor: public endpoints and the pinned key only

export interface AuditedLog {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  /** entries[i] and leaves[i] are the log's entry i, reparsed, and its leaf hash. */
  readonly entries: readonly LogEntry[];
  readonly leaves: readonly Uint8Array[];
}

export interface AuditorPin {
  readonly origin: string;
  readonly publicJwk: PublicJwk;
}

async function getPublic(url: string, accept = 'application/json'): Promise<Response> {
  const response = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

async function getJson<S extends z.ZodType>(url: string, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await (await getPublic(url)).json());
  if (!parsed.success) throw new Error(`GET ${url}: ${parsed.error.message}`);
  return parsed.data;
}

/** GET /v1/log/checkpoint: the latest signed checkpoint, not yet verified. */
export async function latestCheckpoint(hubUrl: string): Promise<string> {
  return (await getPublic(`${hubUrl}/v1/log/checkpoint`, 'text/plain')).text();
}

/** Verifies a signed checkpoint against the pinned origin and key; throws when it fails. */
export function verifiedHead(note: string, pin: AuditorPin): { size: number; root: Uint8Array } {
  const key = fromBase64url(pin.publicJwk.x);
  if (key === undefined) throw new Error('the pinned hub key is not base64url');
  const result = verifyCosignedCheckpoint(note, {
    logKey: noteVerifierKey(pin.origin, key),
    witnesses: [],
    quorum: 0,
    origin: pin.origin,
  });
  if (!result.ok) throw new Error(`checkpoint does not verify: ${result.error.code}`);
  return { size: result.value.checkpoint.size, root: result.value.checkpoint.rootHash };
}

/**
 * Steps 2 and 3 of the audit: the latest checkpoint verifies; every entry up to its size
 * reparses as the canonical form of a known schema; the leaves fold to the checkpoint's root.
 */
export async function auditLog(hubUrl: string, pin: AuditorPin): Promise<AuditedLog> {
  const note = await latestCheckpoint(hubUrl);
  const head = verifiedHead(note, pin);
  const entries: LogEntry[] = [];
  const leaves: Uint8Array[] = [];
  for (let start = 0; start < head.size; start += MAX_LOG_ENTRIES_PAGE) {
    const end = Math.min(start + MAX_LOG_ENTRIES_PAGE, head.size);
    const page = await getJson(
      `${hubUrl}/v1/log/entries?start=${start}&end=${end}`,
      LogEntriesResponseSchema,
    );
    if (page.start !== start || page.entries.length !== end - start) {
      throw new Error(`entries page [${start}, ${end}) came back incomplete`);
    }
    for (const [i, { index, entry }] of page.entries.entries()) {
      if (index !== start + i) throw new Error(`entry ${start + i} came back as ${index}`);
      const parsed = parseLogEntry(entry);
      if (!parsed.ok) throw new Error(`entry ${index}: ${parsed.error}`);
      entries.push(parsed.entry);
      leaves.push(leafHash(utf8(entry)));
    }
  }
  if (!bytesEqual(rootFromLeaves(leaves), head.root)) {
    throw new Error(`the ${head.size} entries do not fold to the checkpoint's root`);
  }
  return { ...head, note, entries, leaves };
}

/** GET /v1/log/proof/inclusion at `head.size`, checked for `leaf` at `index`; throws. */
export async function proveInclusion(
  hubUrl: string,
  head: { size: number; root: Uint8Array },
  index: number,
  leaf: Uint8Array,
): Promise<void> {
  const answer = await getJson(
    `${hubUrl}/v1/log/proof/inclusion?index=${index}&size=${head.size}`,
    InclusionProofResponseSchema,
  );
  if (answer.index !== index || answer.size !== head.size) throw new Error('another proof');
  if (answer.leafHash !== toBase64url(leaf)) {
    throw new Error(`the hub's leaf ${index} is not the statement's`);
  }
  proved(verifyInclusion(index, head.size, leaf, answer.proof.map(decodeHash), head.root));
}

function proved(verdict: ProofVerification): void {
  if (!verdict.ok) throw new Error(`the hub's proof is refused: ${verdict.error.code}`);
}

/** GET /v1/log/proof/consistency from `older` to `newer`, checked; throws. */
export async function proveConsistency(
  hubUrl: string,
  older: { size: number; root: Uint8Array },
  newer: { size: number; root: Uint8Array },
): Promise<void> {
  if (older.size === newer.size) {
    proved(verifyConsistency(older.size, newer.size, [], older.root, newer.root));
    return;
  }
  const answer = await getJson(
    `${hubUrl}/v1/log/proof/consistency?from=${older.size}&to=${newer.size}`,
    ConsistencyProofResponseSchema,
  );
  if (answer.from !== older.size || answer.to !== newer.size) throw new Error('another proof');
  const proof = answer.proof.map(decodeHash);
  proved(verifyConsistency(older.size, newer.size, proof, older.root, newer.root));
}

function decodeHash(h: string): Uint8Array {
  const bytes = fromBase64url(h);
  if (bytes === undefined) throw new Error('a proof hash is not base64url');
  return bytes;
}

/** A statement sent again, with the batch it first went out in and the receipt item it got now. */
export interface Resubmitted {
  readonly statement: SentStatement;
  readonly first: SentBatch;
  readonly item: IntakeReceipt['receipts'][number];
}

/** Statements resent per request. */
const RESUBMIT_BATCH = 100;

/**
 * Sends every statement of `batches` again to the hub at `url`, each as its issuer, in batches
 * of RESUBMIT_BATCH; every receipt must verify as a node verifies it. Returns each statement's
 * new receipt item (`again`, by statement id) and the list in the order sent.
 */
export async function resubmitAll(
  batches: readonly SentBatch[],
  reporters: readonly Reporter[],
  url: string,
  hub: CrashHub,
): Promise<{ resubmitted: Resubmitted[]; again: Map<string, Resubmitted['item']> }> {
  const byOri = new Map<string, { statement: SentStatement; first: SentBatch }[]>();
  for (const b of batches) {
    const list = byOri.get(b.ori) ?? [];
    list.push(...b.statements.map((statement) => ({ statement, first: b })));
    byOri.set(b.ori, list);
  }
  const resubmitted: Resubmitted[] = [];
  for (const reporter of reporters) {
    const client = reporterClient(reporter, url);
    const all = byOri.get(reporter.ori) ?? [];
    for (let i = 0; i < all.length; i += RESUBMIT_BATCH) {
      const chunk = all.slice(i, i + RESUBMIT_BATCH);
      const sent = chunk.map((c) => c.statement);
      const receipt = await client.submitAttestations({ attestations: sent.map((s) => s.jws) });
      const verified = verifyReceiptEvidence(sent, receipt, logTrust(hub));
      expect(verified.ok).toBe(true);
      if (verified.ok) expect(verified.items.filter((x) => !x.ok)).toEqual([]);
      chunk.forEach((c, j) => resubmitted.push({ ...c, item: receipt.receipts[j]! }));
    }
  }
  expect(resubmitted).toHaveLength(batches.reduce((n, b) => n + b.statements.length, 0));
  return { resubmitted, again: new Map(resubmitted.map((r) => [r.statement.id, r.item])) };
}

/** Every acknowledged statement came back `duplicate` at its receipt's index, with its salt. */
export function expectDuplicatesAsAcknowledged(
  acknowledged: readonly { batch: SentBatch; receipt: IntakeReceipt }[],
  again: ReadonlyMap<string, Resubmitted['item']>,
): void {
  for (const { batch, receipt } of acknowledged) {
    for (const [i, statement] of batch.statements.entries()) {
      const item = again.get(statement.id)!;
      expect(item.status).toBe('duplicate');
      expect(item.log.index).toBe(receipt.receipts[i]!.log.index);
      expect(item.log.salt).toBe(receipt.receipts[i]!.log.salt);
    }
  }
}

/**
 * After every statement was resent: the log's attestation leaves are exactly the resent
 * statements' leaves, one each — no statement twice, no leaf without a statement.
 */
export function expectEachStatementOnce(final: AuditedLog, resubmitted: readonly Resubmitted[]) {
  const attestationIndexes = final.entries.flatMap((e, i) => (e.kind === 'attestation' ? [i] : []));
  expect(attestationIndexes).toHaveLength(new Set(resubmitted.map((r) => r.statement.id)).size);
  expect(new Set(resubmitted.map((r) => r.item.log.index))).toEqual(new Set(attestationIndexes));
  const leaves = new Set(attestationIndexes.map((i) => toBase64url(final.leaves[i]!)));
  expect(leaves.size).toBe(attestationIndexes.length);
  for (const r of resubmitted) {
    const leaf = statementLeafHash(fromBase64url(r.item.log.salt)!, r.statement.jws);
    expect(toBase64url(final.leaves[r.item.log.index]!)).toBe(toBase64url(leaf));
  }
}
