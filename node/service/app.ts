/**
 * The node's local HTTP API (docs/node.md "API"), for the agency's investigators' tools and the
 * `spx node` CLI. Listens on loopback by default; every route but /v1/health needs
 * `Authorization: Bearer <admin token>`.
 *
 *   GET  /v1/health               { status: 'ok' }
 *   GET  /v1/status               counts: officers, outcomes, statements, outbox, recent checks
 *   POST /v1/import/officers      text/csv, ?dryRun=true → import report | 422 per-row issues
 *   POST /v1/import/outcomes      the same for outcomes (import-routes.ts)
 *   POST /v1/publish              { retryRejected? } → publish + drain counts (publish-route.ts)
 *   POST /v1/checks               candidate → the verified, presented answer (check-route.ts)
 *   GET  /v1/log/status           the transparency-log monitor: checkpoint, last pass, alerts
 *   POST /v1/log/monitor          one monitor pass now (log-routes.ts)
 *   GET  /v1/inbox                messages from the hub's mailbox; POST /v1/inbox/poll fetches now
 *   GET  /v1/monitoring           enrollments kept at the hub; POST /v1/monitoring/sync syncs now
 *   GET  /openapi.json, /docs     this API's OpenAPI 3.1 document and reference page (no token)
 *   GET  /v1/users, POST …        the console's users (user-routes.ts, `spx node user`)
 *   /console/*                    the console: pages for named users (node/console)
 *
 * Each body is defined once, in node/api/, for this app and its clients (the CLI): the routes
 * answer what the schemas' input types allow, and clients parse answers with the schemas.
 *
 * Import and publish stream their progress to a client that asks (progress-stream.ts).
 *
 * Request bodies hold the agency's raw records and candidates' identifiers: they are never
 * logged; log lines carry route, status, duration and counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { PublicKeyInfo, SigningKey } from '../../crypto/signing/index.js';
import { problemErrorHandler, problemNotFound } from '../../platform/http/error-handler.js';
import { responseHeaders } from '../../platform/http/response-headers.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import { HealthResponseSchema, StatusResponseSchema } from '../api/status.js';
import { describeRoute, json, named, serveApiDocs } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, NODE_API_DOCS } from './api-docs.js';
import type { CheckPolicy } from '../../protocol/check-request.js';
import { isCheckError } from '../check/index.js';
import { isClientError, type HubClient } from '../clients/index.js';
import type { OutboxSender } from '../outbox/sender.js';
import {
  attestationsRepository,
  checksRepository,
  officersRepository,
  outboxRepository,
  outcomesRepository,
  retentionRepository,
  type NodeDatabase,
} from '../store/index.js';
import type { RetentionAction } from '../config.js';
import { isTokenizeError, type KeyholderSet } from '../tokenize/index.js';
import { registerCheckRoute } from './check-route.js';
import { registerImportRoutes } from './import-routes.js';
import { nodePublisher, registerPublishRoute } from './publish-route.js';
import { registerCertifyRoute } from './certify-route.js';
import { registerAffirmRoute } from './affirm-route.js';
import {
  cachedJurisdiction,
  cachedPeriodLength,
  certificationReminder,
} from '../certify/certify.js';
import { affirmationReminder } from '../credentials/affirmation-reminder.js';
import { registerLogRoutes, type NodeLogDeps } from './log-routes.js';
import { registerInboxRoutes } from './inbox-routes.js';
import { registerMonitoringRoutes, type NodeMonitoringDeps } from './monitoring-routes.js';
import type { InboxPollResult } from '../inbox/poll-inbox.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import {
  DEFAULT_CONSOLE_OPTIONS,
  registerConsole,
  type ConsoleOptions,
} from '../console/console-routes.js';
import { registerUserRoutes } from './user-routes.js';

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
  /** The inbox (node/inbox): GET /v1/inbox, POST /v1/inbox/poll. Absent: neither. */
  readonly pollInbox?: () => Promise<InboxPollResult>;
  /** SPX_NODE_RETENTION_ACTION, shown by /v1/status (default `keep`). */
  readonly retentionAction?: RetentionAction;
  /**
   * Continuous monitoring (node/monitoring): GET /v1/monitoring, POST /v1/monitoring/sync, and
   * a sync after each publish when enabled. Absent: none of these.
   */
  readonly monitoring?: NodeMonitoringDeps;
  /** The console's sessions, origin and proxy (node/console); default: loopback, no TLS. */
  readonly console?: ConsoleOptions;
}

export type NodeApp = Hono;

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

export function createNodeApp(deps: NodeAppDeps): NodeApp {
  const { db, now, log } = deps;
  const app = new Hono();
  // Its answers hold the agency's records and its candidates' results: never cached.
  app.use('*', responseHeaders({ noStore: true }));
  const onError = problemErrorHandler({
    mapError,
    report: (e, c) =>
      log('error', 'request_failed', {
        route: routePath(c, -1),
        error: (e as Error)?.name ?? 'error',
      }),
  });
  app.onError(onError);
  app.notFound(problemNotFound);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    log('info', 'request', {
      method: c.req.method,
      // The route pattern, never the path: an unauthenticated caller chooses the path, and it
      // could carry an identifier into the log.
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  app.get(
    '/v1/health',
    describeRoute({
      summary: 'Liveness',
      tags: ['service'],
      responses: { 200: { description: 'the node runs', content: json(HealthResponseSchema) } },
    }),
    (c) => c.json({ status: 'ok' } as const satisfies Sent<typeof HealthResponseSchema>),
  );
  // The console (/console/*) signs in named users; the API keeps the admin token.
  const publisher = nodePublisher(deps);
  registerConsole(app, { ...deps, publisher }, deps.console ?? DEFAULT_CONSOLE_OPTIONS);
  app.use('/v1/*', adminAuth(deps.adminToken));

  const jurisdiction = cachedJurisdiction(deps.hub, deps.ori);
  const statusDoc = describeRoute({
    summary: 'The node’s counts',
    description:
      'Records, statements, epochs, outbox, retention, the last checks (without a candidate’s identifier) the next certification due and the credential affirmation’s lapse.',
    tags: ['service'],
    security: ADMIN_ONLY,
    responses: {
      200: { description: 'the counts', content: json(named('Status', StatusResponseSchema)) },
    },
  });
  const certificationLength = cachedPeriodLength(deps.hub);
  app.get('/v1/status', statusDoc, async (c) => {
    const recent = await checksRepository(db).list({ limit: 5 });
    return c.json({
      ori: deps.ori,
      kid: deps.key.kid,
      officers: await officersRepository(db).count(),
      outcomes: await outcomesRepository(db).count(),
      outcomesNeverAttested: await outcomesRepository(db).countNeverAttested(),
      attestations: await attestationsRepository(db).countByDelivery(),
      epochs: {
        tokenizing: deps.keyholders.knownEpoch() ?? null,
        current: (await outcomesRepository(db).currentByEpoch()).map((e) => ({
          epoch: e.epoch,
          statements: e.count,
        })),
      },
      outbox: {
        ...(await outboxRepository(db).countByState()),
        due: await outboxRepository(db).countDue(now()),
      },
      retention: {
        action: deps.retentionAction ?? 'keep',
        expired: await outcomesRepository(db).countByStatus('expired'),
        ...(await retentionRepository(db).countRetired()),
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
      certificationDue:
        (await certificationReminder(deps, now(), jurisdiction, certificationLength)) ?? null,
      affirmationDue: (await affirmationReminder(db, now())) ?? null,
    } satisfies Sent<typeof StatusResponseSchema>);
  });

  registerImportRoutes(app, deps, onError);
  registerPublishRoute(app, publisher, onError);
  registerCertifyRoute(app, deps, onError);
  registerAffirmRoute(app, deps, onError);
  registerCheckRoute(app, deps);
  registerLogRoutes(app, deps);
  registerInboxRoutes(app, deps);
  registerMonitoringRoutes(app, deps);
  serveApiDocs(app, NODE_API_DOCS);
  registerUserRoutes(app, deps, deps.console?.hasher);
  return app;
}
