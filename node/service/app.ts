/**
 * The node's local HTTP API (docs/node.md "API"), for the agency's investigators' tools and the
 * `spx node` CLI. Listens on loopback by default; every route but /v1/health needs
 * `Authorization: Bearer <admin token>`.
 *
 *   GET  /v1/health               { status: 'ok' }
 *   GET  /v1/status               counts: officers, outcomes, statements, outbox, recent checks
 *   POST /v1/import/officers      text/csv body, ?dryRun=true → import report | 422 per-row issues
 *   POST /v1/import/outcomes      the same for outcomes
 *   POST /v1/publish              { retryRejected? } → publish + outbox drain counts
 *   POST /v1/checks               candidate → the verified, presented answer (check-route.ts)
 *   GET  /v1/log/status           the transparency-log monitor: checkpoint, last pass, alerts
 *   POST /v1/log/monitor          one monitor pass now (log-routes.ts)
 *
 * Import and publish stream their progress to a client that asks (progress-stream.ts).
 *
 * Request bodies hold the agency's raw records and candidates' identifiers: they are never
 * logged; log lines carry route, status, duration and counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { PublicKeyInfo, SigningKey } from '../../crypto/signing/index.js';
import { problemErrorHandler, problemNotFound } from '../../platform/http/error-handler.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { CheckPolicy } from '../../protocol/check-request.js';
import { isCheckError } from '../check/index.js';
import { isClientError, type HubClient } from '../clients/index.js';
import {
  DEFAULT_IMPORT_LIMITS,
  importOfficers,
  importOutcomes,
  type ImportResult,
} from '../import/index.js';
import type { DeliveryCounts, OutboxSender } from '../outbox/sender.js';
import { publishOutcomes } from '../publish/publish.js';
import {
  attestationsRepository,
  checksRepository,
  officersRepository,
  outboxRepository,
  outcomesRepository,
  type NodeDatabase,
} from '../store/index.js';
import { isTokenizeError, type KeyholderSet } from '../tokenize/index.js';
import { registerCheckRoute } from './check-route.js';
import { registerLogRoutes, type NodeLogDeps } from './log-routes.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import { respondWithProgress, type OnProgress } from './progress-stream.js';

export interface NodeAppDeps {
  readonly db: NodeDatabase;
  readonly adminToken: string;
  readonly ori: string;
  readonly key: SigningKey;
  readonly keyholders: KeyholderSet;
  readonly hub: HubClient;
  /** The hub's statement-signing keys (pinned, or fetched once). */
  readonly hubKeys: () => Promise<readonly PublicKeyInfo[]>;
  readonly policy: CheckPolicy;
  readonly outbox: OutboxSender;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
  readonly log: Logger;
  /** Attestations per intake request. */
  readonly batchSize?: number;
  /** Largest CSV accepted (default the importer's 64 MiB). */
  readonly maxCsvBytes?: number;
  /**
   * The node as a monitor of the hub's log: the /v1/log routes, and check answers' checkpoints
   * held against the last verified one. Absent: neither (tests of other features).
   */
  readonly transparency?: NodeLogDeps;
}

export type NodeApp = Hono;

const PublishBodySchema = z.strictObject({ retryRejected: z.boolean().optional() });

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison of fixed-length digests, so timing says nothing about the token. */
function adminAuth(adminToken: string): MiddlewareHandler {
  const expected = digest(adminToken);
  return async (c, next) => {
    const header = c.req.header('authorization');
    const challenge = { 'www-authenticate': 'Bearer realm="spx-node"' };
    if (header === undefined) {
      return problemResponse(
        serviceProblem(401, 'ADMIN_TOKEN_MISSING', 'Authorization: Bearer <admin token> required'),
        challenge,
      );
    }
    const m = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (m === null || !timingSafeEqual(digest(m[1]!), expected)) {
      return problemResponse(
        serviceProblem(401, 'ADMIN_TOKEN_INVALID', 'the admin token is not valid'),
        challenge,
      );
    }
    await next();
  };
}

/** Upstream failures: 503 when a retry may help, 502 when the upstream answered falsely. */
function mapError(e: unknown) {
  if (isTokenizeError(e) || isClientError(e)) {
    const status = e.retryable ? 503 : 502;
    const who = isTokenizeError(e) ? 'keyholders' : e.service;
    return serviceProblem(status, e.code, `${who}: ${e.message}`);
  }
  if (isCheckError(e)) return serviceProblem(502, e.code, `hub answer refused: ${e.message}`);
  return undefined;
}

function flag(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function importResponse(c: Context, result: ImportResult): Response {
  if (result.ok) return c.json(result);
  const body = {
    ...serviceProblem(422, 'IMPORT_REJECTED', `${result.issueCount} problem(s) in the file`),
    dryRun: result.dryRun,
    issueCount: result.issueCount,
    issues: result.issues,
  };
  return new Response(JSON.stringify(body), {
    status: 422,
    headers: { 'content-type': 'application/problem+json' },
  });
}

export function createNodeApp(deps: NodeAppDeps): NodeApp {
  const { db, now, log } = deps;
  const app = new Hono();
  const onError = problemErrorHandler({
    mapError,
    report: (e, c) =>
      log('error', 'request_failed', { path: c.req.path, error: (e as Error)?.name ?? 'error' }),
  });
  app.onError(onError);
  app.notFound(problemNotFound);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    log('info', 'request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  app.get('/v1/health', (c) => c.json({ status: 'ok' }));
  app.use('/v1/*', adminAuth(deps.adminToken));

  app.get('/v1/status', async (c) => {
    const recent = await checksRepository(db).list({ limit: 5 });
    return c.json({
      ori: deps.ori,
      kid: deps.key.kid,
      officers: await officersRepository(db).count(),
      outcomes: await outcomesRepository(db).count(),
      outcomesNeverAttested: await outcomesRepository(db).countNeverAttested(),
      attestations: await attestationsRepository(db).countByDelivery(),
      outbox: {
        ...(await outboxRepository(db).countByState()),
        due: await outboxRepository(db).countDue(now()),
      },
      lastChecks: recent.map((r) => ({
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        purpose: r.purpose,
        state: r.state,
        verdict: r.verdict,
        matchCount: r.matchCount,
        errorCode: r.errorCode,
      })),
    });
  });

  const maxCsv = deps.maxCsvBytes ?? DEFAULT_IMPORT_LIMITS.maxFileBytes;
  const csvLimit = bodyLimit({
    maxSize: maxCsv,
    onError: () =>
      problemResponse(serviceProblem(413, 'PAYLOAD_TOO_LARGE', `CSV over ${maxCsv} bytes`)),
  });
  for (const [path, run] of [
    ['/v1/import/officers', importOfficers],
    ['/v1/import/outcomes', importOutcomes],
  ] as const) {
    app.post(path, csvLimit, async (c) => {
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'text/csv') {
        return problemResponse(
          serviceProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be text/csv'),
        );
      }
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const dryRun = flag(c.req.query('dryRun'));
      return respondWithProgress(c, onError, async (onProgress) => {
        const limits = { maxFileBytes: maxCsv };
        const result = await run(db, bytes, { now, dryRun, limits, onProgress });
        log('info', 'import', {
          file: path.slice('/v1/import/'.length),
          dryRun,
          ok: result.ok,
          rows: result.ok ? result.summary.rows : null,
          issues: result.ok ? 0 : result.issueCount,
        });
        return importResponse(c, result);
      });
    });
  }

  // One publish at a time in this process: the store's row locks make concurrent runs safe,
  // but a second run would only wait for the same keyholder answers.
  let publishing: Promise<unknown> = Promise.resolve();
  app.post('/v1/publish', jsonBodyLimit(1024), async (c) => {
    const hasBody = (c.req.header('content-length') ?? '0') !== '0';
    const options = hasBody ? await readJsonBody(c, PublishBodySchema) : {};
    return respondWithProgress(c, onError, async (onProgress) => {
      const run = publishing.then(async () => {
        const publish = await publishOutcomes(
          { db, keyholders: deps.keyholders, ori: deps.ori, key: deps.key, now, rng: deps.rng },
          {
            batchSize: deps.batchSize,
            retryRejected: options.retryRejected ?? false,
            onProgress: onProgress && (await signingProgress(onProgress)),
          },
        );
        const sent = onProgress && (await sendingProgress(onProgress));
        const delivery = await deps.outbox.drain();
        sent?.(delivery);
        return { publish, delivery };
      });
      publishing = run.catch(() => undefined);
      const result = await run;
      log('info', 'publish', {
        considered: result.publish.considered,
        signed: result.publish.signed,
        failed: result.publish.failed.length,
        accepted: result.delivery.accepted,
        rejected: result.delivery.rejected,
        retrying: result.delivery.retrying,
      });
      return c.json(result);
    });
  });

  /** Outcomes considered, of those needing a statement when the run starts. */
  async function signingProgress(onProgress: OnProgress) {
    const total = await outcomesRepository(db).countNeedingAttestation();
    onProgress({ phase: 'sign', done: 0, total });
    return ({ done }: { done: number }) =>
      onProgress({ phase: 'sign', done, total: Math.max(total, done) });
  }

  /**
   * Statements answered by the hub, of those waiting for delivery when the drain starts (this
   * run's and earlier ones); those left in backoff keep the bar short of its end.
   */
  async function sendingProgress(onProgress: OnProgress) {
    const counts = await attestationsRepository(db).countByDelivery();
    const total = counts.pending + counts.sent;
    onProgress({ phase: 'send', done: 0, total });
    return ({ accepted, rejected }: DeliveryCounts) =>
      onProgress({ phase: 'send', done: Math.min(accepted + rejected, total), total });
  }

  registerCheckRoute(app, deps);
  registerLogRoutes(app, deps);
  return app;
}
