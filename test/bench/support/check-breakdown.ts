/**
 * Where a check's time goes, in this process (no sockets, no concurrency), with the code the
 * route runs; the median of `iterations` calls after a warm-up:
 *
 * - the whole check (app.request);
 * - its database statements alone, in the order the route makes them — a miss makes 1 (the
 *   matching statement, which also claims the request token's jti and writes the miss's audit
 *   row), a hit 3 (plus the proof nodes and the audit insert, sent together). Registry entries and the latest
 *   checkpoint with its cosignatures come from memory (SPX_HUB_READ_CACHE_MS); the registry
 *   read they spare is timed on its own for scale;
 * - its cryptography alone (request-token verification, response signature);
 * - its validation alone (request schema, the hub's self-check of the response);
 * - then each step on its own, and the baseline's lookup.
 *
 * Whatever the whole check costs beyond the three groups is the framework's: Request and
 * Response objects, routing, body reading, the log line, the verdict, JSON.
 */
import type { Hono } from 'hono';
import { utf8 } from '../../../crypto/encoding.js';
import { parseAuthorization } from '../../../crypto/request-auth/authorization-header.js';
import type { ReplayCache } from '../../../crypto/request-auth/replay-cache.js';
import { verifyRequestToken } from '../../../crypto/request-auth/verify-request-token.js';
import { signStatement, verifyStatement, type JsonObject } from '../../../crypto/signing/index.js';
import { HUB_AUDIENCE } from '../../../hub/app.js';
import { checksRepository } from '../../../hub/checks/checks.repository.js';
import type { HubDatabase } from '../../../hub/database.js';
import { registryService } from '../../../hub/registry/registry.service.js';
import { logRepository } from '../../../hub/tlog/tlog.repository.js';
import { inclusionProofs } from '../../../hub/tlog/proofs.js';
import { DatabaseReplayCache } from '../../../platform/db/request-replay.js';
import { CheckRequestSchema } from '../../../protocol/check-request.js';
import { CheckResponsePayloadSchema, MAX_CHECK_MATCHES } from '../../../protocol/check-response.js';
import { safeDecode } from '../../../protocol/decode.js';
import { newStatementId } from '../../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import { lookup, type BaselineDb } from './baseline.js';
import {
  checkRequestFor,
  officerKeys,
  rng,
  shownOfficers,
  signedHeaders,
  type Corpus,
  type OfficerKey,
} from './hub-corpus.js';
import type { BenchHub } from './hub-setup.js';
import { medianMs } from './report.js';

export interface BreakdownRow {
  readonly step: string;
  readonly hitMs: number;
  readonly missMs: number;
}

const PATH = '/v1/checks';
const WARM_UP = 10;

export async function checkBreakdown(
  db: HubDatabase,
  hub: BenchHub,
  corpus: Corpus,
  baselineApp: Hono,
  iterations: number,
): Promise<BreakdownRow[]> {
  // Hits about officers whose statement is shown (support/hub-corpus.ts shownOfficers).
  const shown = shownOfficers(corpus);
  const calls = iterations + WARM_UP;
  const keysOf = (hit: boolean, i: number): readonly OfficerKey[] =>
    hit ? corpus.officers[shown[(i * 7919) % shown.length]!]! : officerKeys(i, 'breakdown');
  const rows: BreakdownRow[] = [];
  const both = async (step: string, run: (hit: boolean, i: number) => Promise<unknown>) => {
    const hitMs = await medianMs(iterations, (i) => run(true, i), WARM_UP);
    const missMs = await medianMs(iterations, (i) => run(false, i), WARM_UP);
    rows.push({ step, hitMs, missMs });
  };

  // Request tokens are signed beforehand: signing them is the client's work.
  const prepare = async (hit: boolean, count = calls) => {
    const out: { body: string; headers: Record<string, string> }[] = [];
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify(checkRequestFor(keysOf(hit, i), i));
      const headers = await signedHeaders(hub.checker, HUB_AUDIENCE, PATH, body, new Date());
      out.push({ body, headers });
    }
    return out;
  };
  const requests = { hit: await prepare(true), miss: await prepare(false) };
  const tokens = { hit: await prepare(true), miss: await prepare(false) };
  const pick = <T>(pair: { hit: T; miss: T }, hit: boolean) => (hit ? pair.hit : pair.miss);

  // The signed payloads of one real hit and one real miss, to sign and validate again.
  const payloadOf = async (hit: boolean) => {
    const [r] = await prepare(hit, 1);
    const res = await hub.app.request(PATH, { method: 'POST', ...r! });
    const answer = (await res.json()) as { response: string };
    const verified = await verifyStatement(answer.response, {
      typ: STATEMENT_TYPES.checkResponse,
      resolveKey: () => hub.hubKey.publicJwk,
    });
    if (!verified.ok) throw new Error(`hub response does not verify: ${verified.error.code}`);
    return verified.value.payload;
  };
  const payloads = { hit: await payloadOf(true), miss: await payloadOf(false) };

  const registry = registryService(db);
  const replay = new DatabaseReplayCache(db);
  const checks = checksRepository(db);
  // The replay check is timed against the database above; here only the cryptography.
  const acceptAll: ReplayCache = { checkAndRemember: async () => true };
  const now = Math.floor(Date.now() / 1000);
  const latest = await logRepository(db).latestCheckpoint();
  if (latest === undefined) throw new Error('no checkpoint: run a check first');
  const checkpointSize = latest.size;

  const steps = {
    registry: () => registry.directory().find(hub.checker.ori),
    replay: async () => {
      const jti = Buffer.from(rng(16)).toString('base64url');
      const entry = { issuer: hub.checker.ori, jti, expiresAt: now + 300, now };
      if (!(await replay.checkAndRemember(entry))) throw new Error('replay cache refused');
    },
    /**
     * The matching statement; a miss's also claims the token and stores its audit row, a
     * hit's only reads. Returns the leaves.
     */
    matching: async (hit: boolean, i: number) => {
      const indexes = keysOf(hit, i).map((k) => k.index);
      const jti = Buffer.from(rng(16)).toString('base64url');
      const replay = { issuer: hub.checker.ori, jti, expiresAt: now + 300, now };
      const { fresh, rows } = await checks.match(
        1,
        indexes,
        MAX_CHECK_MATCHES + 1,
        {
          checkId: newStatementId(Date.now(), rng),
          requester: hub.checker.ori,
          checkedAt: new Date(),
          purpose: 'hiring',
          consentRef: 'consent/2026/000001',
          epoch: 1,
          keyCount: indexes.length,
        },
        replay,
      );
      if (fresh === false) throw new Error('replay claim refused');
      if (hit && rows.length === 0) throw new Error('a hit matched nothing');
      return rows.flatMap((r) => (r.leaf === undefined ? [] : [r.leaf.index]));
    },
    proofNodes: (leaves: readonly number[]) => inclusionProofs(db, leaves, checkpointSize),
    /** A hit's claim of its token with its audit row (one statement). */
    audit: async () => {
      const jti = Buffer.from(rng(16)).toString('base64url');
      const claim = { issuer: hub.checker.ori, jti, expiresAt: now + 300, now };
      const record = {
        checkId: newStatementId(Date.now(), rng),
        requester: hub.checker.ori,
        checkedAt: new Date(),
        purpose: 'hiring',
        consentRef: 'consent/2026/000001',
        epoch: 1,
        keyCount: 3,
        outcome: 'answered',
        matchCount: 1,
        matchedAttestationIds: [corpus.statements[0]!.payload.id],
      } as const;
      if (!(await checks.claimAndRecord(record, claim))) throw new Error('replay claim refused');
    },
    verifyToken: async (hit: boolean, i: number) => {
      const t = pick(tokens, hit)[i]!;
      const header = parseAuthorization(t.headers['authorization']);
      if (!header.ok) throw new Error('bad header');
      const result = await verifyRequestToken(header.value, {
        audience: HUB_AUDIENCE,
        method: 'POST',
        path: PATH,
        body: utf8(t.body),
        now: new Date(),
        replayCache: acceptAll,
        resolveKey: () => hub.checker.key.publicJwk,
      });
      if (!result.ok) throw new Error(`token refused: ${result.error.code}`);
    },
    sign: (hit: boolean) =>
      signStatement(pick(payloads, hit) as JsonObject, {
        typ: STATEMENT_TYPES.checkResponse,
        key: hub.hubKey,
      }),
    validateRequest: (hit: boolean, i: number) => {
      const decoded = safeDecode(CheckRequestSchema, JSON.parse(pick(requests, hit)[i]!.body));
      if (!decoded.ok) throw new Error('invalid check request');
    },
    validateResponse: (hit: boolean) => {
      const decoded = safeDecode(CheckResponsePayloadSchema, pick(payloads, hit));
      if (!decoded.ok) throw new Error('the hub signed a response its schema refuses');
    },
  };

  await both('whole check (app.request, no socket)', async (hit, i) => {
    const res = await hub.app.request(PATH, { method: 'POST', ...pick(requests, hit)[i]! });
    if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  });
  await both(
    '= its database statements (1 for a miss, 3 in 2 round trips for a hit)',
    async (hit, i) => {
      const leaves = await steps.matching(hit, i);
      if (hit) await Promise.all([steps.proofNodes(leaves), steps.audit()]);
    },
  );
  await both('+ its cryptography, in sequence', async (hit, i) => {
    await steps.verifyToken(hit, i);
    await steps.sign(hit);
  });
  await both('+ its validation (request, response self-check)', async (hit, i) => {
    steps.validateRequest(hit, i);
    steps.validateResponse(hit);
  });
  await both('  matching: 1 statement (a miss: + replay claim, audit INSERT)', (hit, i) =>
    steps.matching(hit, i),
  );
  const hitLeaves = await Promise.all(
    Array.from({ length: calls }, (_, i) => steps.matching(true, i)),
  );
  await both('  hit only: proof nodes SELECT (DB; a miss: none)', (hit, i) =>
    hit ? steps.proofNodes(hitLeaves[i]!) : Promise.resolve(),
  );
  await both('  hit only: replay claim + audit INSERT, beside the nodes', (hit) =>
    hit ? steps.audit() : Promise.resolve(),
  );
  await both('  (folded in) replay claim alone, INSERT (DB write)', () => steps.replay());
  await both('  (spared) registry entry read, 2 SELECTs (DB)', () => steps.registry());
  await both('  request token: Ed25519 verify + claims', (hit, i) => steps.verifyToken(hit, i));
  await both('  response: JCS + Ed25519 sign', (hit) => steps.sign(hit));
  await both('baseline: whole lookup (app.request, no socket)', async (hit, i) => {
    const identifiers = keysOf(hit, i).map((k) => k.keyString);
    const res = await baselineApp.request('/v1/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers }),
    });
    if (res.status !== 200) throw new Error(`baseline answered ${res.status}`);
    await res.arrayBuffer();
  });
  await both('= its one SELECT (DB)', (hit, i) =>
    lookup(
      db as unknown as BaselineDb,
      keysOf(hit, i).map((k) => k.keyString),
    ),
  );
  return rows;
}

/** The answer of a check over HTTP, verified with the hub's key: how many matches. */
export async function verifyAnswer(hub: BenchHub, answerText: string): Promise<number> {
  const answer = JSON.parse(answerText) as { response: string };
  const verified = await verifyStatement(answer.response, {
    typ: STATEMENT_TYPES.checkResponse,
    resolveKey: () => hub.hubKey.publicJwk,
  });
  if (!verified.ok) throw new Error(`hub response does not verify: ${verified.error.code}`);
  return (verified.value.payload['matches'] as unknown[]).length;
}
