/**
 * The keyholder's HTTP API (docs/keyholder.md "API"):
 *
 *   GET  /v1/health    { status: 'ok' }
 *   GET  /v1/keys      public: the suite and every key record's public half
 *   POST /v1/evaluate  agency-authenticated (reporter or checker): a tokenization request
 *                      (docs/protocol.md §4.3) → its response, within a daily quota
 *   GET  /openapi.json, /docs   this API's OpenAPI 3.1 document and reference page (api-docs.ts)
 *
 * /v1/evaluate checks, in order: declared body size (413), request token, agency and its
 * admission here (401/403) — only then is the body read —, body size as read (413), the
 * token's binding to the body and its single use (401), body shape (400), epoch held and
 * active (422 EPOCH_UNKNOWN), elements valid group elements (422 OPRF_ELEMENT_INVALID), room in
 * the evaluation queue (503 UNAVAILABLE), the agency's quota (429 RATE_LIMITED) — and only then
 * evaluates, in a worker thread when the keyholder runs a pool (./evaluator.ts). Every refusal
 * before the quota step consumes nothing. Nothing of a request is stored or logged but its
 * method, path, status, agency, element count and duration.
 */
import { performance } from 'node:perf_hooks';
import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import {
  decodeEvaluationRequest,
  encodeEvaluationResponse,
  nobleGroup,
  SUITE_ID,
  type Rng,
} from '../crypto/oprf/index.js';
import { parseAuthorization } from '../crypto/request-auth/authorization-header.js';
import type { ReplayCache } from '../crypto/request-auth/replay-cache.js';
import { REQUEST_TOKEN_TYP } from '../crypto/request-auth/request-token.js';
import { parseStatement } from '../crypto/signing/compact-jws.js';
import { DatabaseReplayCache } from '../platform/db/request-replay.js';
import {
  agencyAuth,
  authenticatedAgency,
  type AuthenticatedAgency,
} from '../platform/http/agency-auth.js';
import { responseHeaders } from '../platform/http/response-headers.js';
import { problemErrorHandler, problemNotFound } from '../platform/http/error-handler.js';
import { jsonBodyLimit, readJsonBody } from '../platform/http/json-body.js';
import { problemResponse, protocolProblem } from '../platform/http/problem-response.js';
import type { AgencyRole } from '../protocol/registry-entry.js';
import { problem } from '../protocol/problem.js';
import { TokenizationRequestSchema } from '../protocol/tokenization.js';
import { admissionsRepository } from './admissions.repository.js';
import { LEGACY_KEYHOLDER_AUDIENCE } from './config.js';
import type { KeyholderDirectory } from './directory.js';
import { isKeyholderError, type KeyholderError } from './errors.js';
import { inlineEvaluator, type BatchEvaluator } from './evaluator.js';
import type { KeyEncryptionKey } from './kek.js';
import { keyRepository, type KeyholderDatabase, type PublicKeyRecord } from './key-repository.js';
import { logEvent, type LogSink } from '../platform/logging/json-lines.js';
import { quotaRepository, secondsUntilNextUtcDay, utcDay } from './quota-repository.js';
import { serveApiDocs } from '../platform/http/openapi/index.js';
import { evaluateDoc, healthDoc, KEYHOLDER_API_DOCS, keysDoc } from './api-docs.js';

/** 256 elements of 43 characters plus punctuation are ~12 KB; anything far larger is abuse. */
export const MAX_EVALUATE_BODY_BYTES = 32 * 1024;
export const EVALUATE_ROLES: readonly AgencyRole[] = ['reporter', 'checker'];

export interface KeyholderAppDeps {
  readonly db: KeyholderDatabase;
  readonly directory: KeyholderDirectory;
  readonly now: () => Date;
  /** Proof randomness (RFC 9497 §2.2.1) and KEK IVs. */
  readonly rng: Rng;
  readonly log: LogSink;
  /** Elements per agency per UTC day when the operator set no allowance of its own. */
  readonly dailyQuota: number;
  readonly kek?: KeyEncryptionKey | undefined;
  /**
   * The audiences this keyholder answers to: those of the base URLs nodes call it at
   * (docs/protocol.md §7.2.1; config.ts keyholderAudiences). No default: a default shared by
   * every keyholder is what let one keyholder's token be spent at another. A function when
   * they are known only once the port is bound.
   */
  readonly audiences: readonly string[] | (() => readonly string[]);
  /** Until then, tokens addressed to `spx-keyholder` (every keyholder's once) are accepted. */
  readonly legacyAudienceUntil?: Date | undefined;
  /** Default: the database's replay table, shared by replicas. */
  readonly replayCache?: ReplayCache;
  /** For request durations in the log (default performance.now). */
  readonly monotonicMs?: () => number;
  /** Where batches are evaluated (default: on the event loop, with noble). */
  readonly evaluator?: BatchEvaluator;
}

type AppEnv = { Variables: { spxOri: string; spxElements: number } };

/** The public half of the keyholder's records, as GET /v1/keys publishes them. */
export interface PublishedKeys {
  readonly suite: typeof SUITE_ID;
  /** t of the newest active key set (1 for a whole key). */
  readonly threshold: number;
  /** n of the newest active key set. */
  readonly total: number;
  readonly keys: readonly {
    readonly epoch: number;
    readonly shareIndex: number;
    readonly threshold: number;
    readonly total: number;
    readonly publicKey: string;
    readonly groupPublicKey: string;
    readonly publicShares: readonly string[];
    readonly status: PublicKeyRecord['status'];
  }[];
}

/** The evaluator's refusals: the keyholder is busy, broken or stopping — retry shortly. */
const EVALUATION_REFUSALS = new Set<string>([
  'EVALUATION_OVERLOADED',
  'EVALUATION_FAILED',
  'EVALUATION_CLOSED',
]);
const isEvaluationRefusal = (e: unknown): e is KeyholderError =>
  isKeyholderError(e) && EVALUATION_REFUSALS.has(e.code);
/** Seconds a refused node waits before asking again: a batch takes well under one. */
const EVALUATION_RETRY_AFTER_SECONDS = 1;

export function publishKeys(records: readonly PublicKeyRecord[]): PublishedKeys {
  const active = records.filter((r) => r.status === 'active');
  const newest = active[active.length - 1] ?? records[records.length - 1];
  return {
    suite: SUITE_ID,
    threshold: newest?.threshold ?? 1,
    total: newest?.total ?? 1,
    keys: records.map((r) => ({
      epoch: r.epoch,
      shareIndex: r.shareIndex,
      threshold: r.threshold,
      total: r.total,
      publicKey: r.publicKey,
      groupPublicKey: r.groupPublicKey,
      publicShares: r.publicShares,
      status: r.status,
    })),
  };
}

/** The `kid` a request token claims, unverified: only a hint to refresh the registry early. */
function claimedKid(authorization: string | undefined): string | undefined {
  const header = parseAuthorization(authorization);
  if (!header.ok) return undefined;
  const parsed = parseStatement(header.value, [REQUEST_TOKEN_TYP]);
  return parsed.ok ? parsed.value.kid : undefined;
}

export function createKeyholderApp(deps: KeyholderAppDeps): Hono<AppEnv> {
  const { db, now, rng, log } = deps;
  const keys = keyRepository(db, { kek: deps.kek, rng });
  const quota = quotaRepository(db);
  const admissions = admissionsRepository(db);
  const replayCache = deps.replayCache ?? new DatabaseReplayCache(db);
  const given = deps.audiences;
  const ownAudiences = typeof given === 'function' ? given : () => given;
  const legacyUntil = deps.legacyAudienceUntil;
  const monotonic = deps.monotonicMs ?? (() => performance.now());
  const evaluator = deps.evaluator ?? inlineEvaluator(nobleGroup, rng);

  const refuseEvaluation = (ori: string, e: KeyholderError) => {
    logEvent(log, now(), 'warn', 'evaluation_refused', { ori, code: e.code });
    const detail =
      e.code === 'EVALUATION_OVERLOADED'
        ? 'the keyholder is evaluating as many elements as it queues; retry shortly'
        : e.code === 'EVALUATION_CLOSED'
          ? 'the keyholder is shutting down; retry shortly'
          : 'the evaluation failed inside the keyholder; retry shortly';
    return problemResponse(problem('UNAVAILABLE', detail), {
      'retry-after': String(EVALUATION_RETRY_AFTER_SECONDS),
    });
  };

  // After the token's signature (so an unauthenticated caller learns nothing about
  // admissions) and before its body is read: the key the request was verified with must be one
  // this keyholder's operator admitted. The hub's registry alone is not enough — its operator
  // could enrol an agency of its own making.
  const admit = async ({ ori, kid }: AuthenticatedAgency) => {
    // The key the request token was verified with, not the one the token claims.
    if (await admissions.isAdmitted(ori, kid)) return undefined;
    logEvent(log, now(), 'warn', 'admission_refused', { ori, kid });
    return protocolProblem(
      'AGENCY_NOT_ADMITTED',
      `agency ${ori} is not admitted at this keyholder with key ${kid}; its operator admits agencies (spx keyholder admit)`,
    );
  };

  const authenticate: MiddlewareHandler<AppEnv> = (c, next) => {
    const kid = claimedKid(c.req.header('authorization'));
    const directory = { find: (ori: string) => deps.directory.find(ori, kid) };
    const own = ownAudiences();
    const legacyOpen = legacyUntil !== undefined && now() < legacyUntil;
    const audience = legacyOpen ? [...own, LEGACY_KEYHOLDER_AUDIENCE] : own;
    const auth = agencyAuth({ audience, directory, replayCache, now, admit }, ...EVALUATE_ROLES);
    return auth(c, async () => {
      const agency = authenticatedAgency(c);
      // Only during the upgrade window: the operator sees which agencies still run a node
      // that addresses every keyholder alike, and can close the window once none does.
      if (agency.audience === LEGACY_KEYHOLDER_AUDIENCE) {
        logEvent(log, now(), 'warn', 'legacy_audience', { ori: agency.ori });
      }
      await next();
    });
  };

  const app = new Hono<AppEnv>();
  app.use(responseHeaders({ noStore: true }));

  app.use(async (c, next) => {
    const started = monotonic();
    await next();
    const status = c.res.status;
    logEvent(log, now(), status >= 500 ? 'error' : 'info', 'request', {
      method: c.req.method,
      // The route pattern that answered, never the path or query: both are caller-chosen text
      // (an unauthenticated caller could put an SSN there) with no business in the log.
      route: routePath(c, -1),
      status,
      ori: c.get('spxOri') ?? null,
      elements: c.get('spxElements') ?? null,
      durationMs: Math.round((monotonic() - started) * 10) / 10,
    });
  });

  app.onError(
    problemErrorHandler({
      mapError: (e) =>
        isKeyholderError(e) && e.code === 'REGISTRY_UNAVAILABLE'
          ? problem('UNAVAILABLE', 'the agency registry cannot be read from the hub; retry later')
          : undefined,
      report: (e) =>
        logEvent(log, now(), 'error', 'request_failed', {
          error: e instanceof Error ? e.name : typeof e,
          code: isKeyholderError(e) ? e.code : null,
        }),
    }),
  );
  app.notFound(problemNotFound);

  app.get('/v1/health', healthDoc, (c) => c.json({ status: 'ok' }));

  app.get('/v1/keys', keysDoc, async (c) => c.json(publishKeys(await keys.list())));

  app.post(
    '/v1/evaluate',
    evaluateDoc,
    jsonBodyLimit(MAX_EVALUATE_BODY_BYTES),
    // The token, the agency and its admission, and only then the body.
    authenticate,
    async (c) => {
      const agency = authenticatedAgency(c);
      c.set('spxOri', agency.ori);
      const body = await readJsonBody(c, TokenizationRequestSchema);
      const count = body.blindedElements.length;
      c.set('spxElements', count);

      const key = await keys.activeKey(body.epoch);
      if (key === undefined) {
        return protocolProblem(
          'EPOCH_UNKNOWN',
          `this keyholder holds no active key for epoch ${body.epoch}; see GET /v1/keys`,
          [{ field: 'epoch', code: 'invalid_value', message: 'unknown or retired epoch' }],
        );
      }
      // Group elements are checked before the quota, so a malformed batch costs the agency
      // nothing; with the evaluator's backend (libsodium: a few µs an element).
      const request = decodeEvaluationRequest(body, evaluator.group);
      // Room in the evaluation queue is claimed before the quota, so an overloaded keyholder
      // refuses without consuming any.
      let slot;
      try {
        slot = evaluator.reserve(count);
      } catch (e) {
        if (isEvaluationRefusal(e)) return refuseEvaluation(agency.ori, e);
        throw e;
      }

      const at = now();
      let decision;
      try {
        decision = await quota.consume(agency.ori, utcDay(at), count, deps.dailyQuota);
      } catch (e) {
        slot.release();
        throw e;
      }
      if (!decision.ok) {
        slot.release();
        const retryAfter = secondsUntilNextUtcDay(at);
        logEvent(log, at, 'warn', 'quota_refused', {
          ori: agency.ori,
          elements: count,
          used: decision.used,
          limit: decision.limit,
        });
        return problemResponse(
          problem(
            'RATE_LIMITED',
            `daily allowance of ${decision.limit} evaluated elements reached (${decision.used} used today, ${count} asked); it resets at 00:00 UTC`,
          ),
          { 'retry-after': String(retryAfter) },
        );
      }
      let response;
      try {
        response = encodeEvaluationResponse(await slot.evaluate(key, request));
      } catch (e) {
        // The batch is not answered (a worker died, the pool is stopping, a bug): the agency
        // got nothing for the elements it was charged, so they go back to its allowance.
        await quota.refund(agency.ori, utcDay(at), count).catch((refundError: unknown) => {
          logEvent(log, now(), 'error', 'quota_refund_failed', {
            ori: agency.ori,
            elements: count,
            error: (refundError as Error)?.name ?? 'error',
          });
        });
        if (isEvaluationRefusal(e)) return refuseEvaluation(agency.ori, e);
        throw e;
      }
      return c.json(response);
    },
  );

  serveApiDocs(app, KEYHOLDER_API_DOCS);
  return app;
}
