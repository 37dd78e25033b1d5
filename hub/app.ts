/**
 * The hub's HTTP app (docs/api.md): one composition of the feature routes over injected
 * dependencies — database, signing key, configuration, clock, randomness, log sink — so tests
 * call `app.request(...)` without sockets and a node's client can use it as its fetch.
 */
import { Hono } from 'hono';
import type { SigningKey } from '../crypto/signing/keys.js';
import type { ReplayCache } from '../crypto/request-auth/replay-cache.js';
import { pingDatabase } from '../platform/db/ping.js';
import { DatabaseReplayCache } from '../platform/db/request-replay.js';
import { agencyAuth, type AgencyAuthOptions } from '../platform/http/agency-auth.js';
import { responseHeaders } from '../platform/http/response-headers.js';
import {
  databaseUnavailableResponse,
  problemErrorHandler,
  problemNotFound,
} from '../platform/http/error-handler.js';
import type { Rng } from '../protocol/statement-id.js';
import { certificationsRoutes } from './certifications/certifications.routes.js';
import { certificationsService } from './certifications/certifications.service.js';
import { bodyAuth } from './credentials/body-auth.js';
import { bodiesService } from './credentials/bodies.service.js';
import { bodiesRoutes, credentialsRoutes } from './credentials/credentials.routes.js';
import { credentialsService } from './credentials/credentials.service.js';
import { checksRoutes } from './checks/checks.routes.js';
import { checksService } from './checks/checks.service.js';
import { epochWindow } from './epochs/epoch-window.js';
import type { HubAppConfig } from './config.js';
import { logUnhandledError, requestLog, type LogSink } from './http/request-log.js';
import { mailboxRoutes } from './mailbox/mailbox.routes.js';
import { mailboxService } from './mailbox/mailbox.service.js';
import { sendCorrections } from './mailbox/corrections.js';
import { monitoringRoutes } from './monitoring/monitoring.routes.js';
import { monitoringService } from './monitoring/monitoring.service.js';
import { sendMonitoringNotices } from './monitoring/notices.js';
import { intakeRoutes } from './intake/intake.routes.js';
import { intakeService } from './intake/intake.service.js';
import { cosignatureService } from './tlog/cosignatures.js';
import { logRoutes } from './tlog/tlog.routes.js';
import { transparencyLog } from './tlog/tlog.service.js';
import type { HubDatabase } from './database.js';
import { registryListingRepository } from './registry/registry-listing.repository.js';
import { registryRoutes } from './registry/registry.routes.js';
import { registryService } from './registry/registry.service.js';
import { DEFAULT_STATISTICS_PERIOD } from './statistics/statistics-period.js';
import { statisticsRoutes } from './statistics/statistics.routes.js';
import { statisticsService } from './statistics/statistics.service.js';
import { hubJwks } from './signing-key/signing-key.js';
import { complianceService } from './compliance/compliance.service.js';
import { credentialStandingSource } from './credentials/credential-standing.js';
import { pagesRoutes } from './pages/pages.routes.js';
import { logStatusRepository } from './tlog/log-status.repository.js';
import {
  describeRoute,
  HealthSchema,
  json,
  named,
  serveApiDocs,
} from '../platform/http/openapi/index.js';
import { servedEpochsExample } from '../protocol/api-examples.js';
import { HubKeySetSchema } from '../protocol/check-evidence.js';
import { ServedEpochsSchema } from '../protocol/served-epochs.js';
import { HUB_API_DOCS } from './http/api-docs.js';

/** The audience of request tokens addressed to the hub (docs/protocol.md §7.2). */
export const HUB_AUDIENCE = 'spx-hub';

export interface HubAppDeps {
  readonly db: HubDatabase;
  /** Signs check responses and statistics release manifests; published at GET /v1/hub/keys. */
  readonly signingKey: SigningKey;
  readonly config: HubAppConfig;
  readonly now: () => Date;
  readonly rng: Rng;
  readonly log: LogSink;
  /** Defaults to the database replay cache, shared by every replica. */
  readonly replayCache?: ReplayCache;
  /**
   * Fault injection for the crash test only (hub/server.ts, SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS):
   * awaited after an intake batch commits, before its receipts are built.
   */
  readonly afterIntakeCommit?: () => Promise<void>;
}

export function createHubApp(deps: HubAppDeps): Hono {
  const { db, config, now } = deps;
  const cacheMs = config.readCacheMs ?? 0;
  const registry = registryService(db, { cacheMs });
  const log = transparencyLog(
    db,
    { origin: config.logOrigin, signingKey: deps.signingKey },
    { cacheMs },
  );
  const databaseReplay = deps.replayCache === undefined ? new DatabaseReplayCache(db) : undefined;
  const auth: AgencyAuthOptions = {
    audience: HUB_AUDIENCE,
    directory: registry.directory(),
    replayCache: deps.replayCache ?? databaseReplay!,
    now,
  };

  const mailbox = mailboxService(db, {
    signingKey: deps.signingKey,
    ...(config.mailboxRetention ? { retention: config.mailboxRetention } : {}),
  });
  const epochs = epochWindow(config.epochs, config.epochWindowEnd);

  const app = new Hono();
  app.use('*', requestLog(deps.log, now));
  app.use('*', responseHeaders());
  app.onError(problemErrorHandler({ report: (e, c) => logUnhandledError(deps.log, e, c, now()) }));
  app.notFound(problemNotFound);

  app.get(
    '/v1/health',
    describeRoute({
      summary: 'Liveness and database reachability',
      description: 'For load balancers and start-up waits; 503 while the database does not answer.',
      tags: ['service'],
      responses: {
        200: { description: 'the hub runs and its database answers', content: json(HealthSchema) },
      },
    }),
    async () => {
      try {
        await pingDatabase(db);
      } catch {
        return databaseUnavailableResponse();
      }
      return Response.json({ status: 'ok' });
    },
  );
  app.get(
    '/v1/hub/keys',
    describeRoute({
      summary: 'The hub’s statement-signing keys, as a JWK Set',
      description:
        'They verify the hub’s signed check responses, checkpoints and reports (docs/protocol.md §5.8, §6.9); `kid` is the RFC 7638 thumbprint. Pin them rather than fetch them per check.',
      tags: ['service'],
      responses: {
        200: {
          description: 'an RFC 7517 JWK Set',
          content: json(named('HubKeySet', HubKeySetSchema)),
        },
      },
    }),
    (c) => c.json(hubJwks([deps.signingKey])),
  );
  // The epochs served now, and when an older one retires (protocol/served-epochs.ts).
  app.get(
    '/v1/epochs',
    describeRoute({
      summary: 'The OPRF key epochs served, and when an older one retires',
      tags: ['service'],
      responses: {
        200: {
          description: 'ascending, the newest last (docs/protocol.md §4.8)',
          content: json(named('ServedEpochs', ServedEpochsSchema), {
            changeover: { summary: 'a changeover: epoch 1 retiring', value: servedEpochsExample },
          }),
        },
      },
    }),
    (c) => c.json(epochs.describe(now())),
  );
  app.route('/v1/registry', registryRoutes(registry));
  app.route(
    '/v1/attestations',
    intakeRoutes({
      intake: intakeService(db, registry, {
        epochs,
        log,
        rng: deps.rng,
        ...(deps.afterIntakeCommit ? { afterCommit: deps.afterIntakeCommit } : {}),
        afterStore: async (tx, statements, at) => {
          await sendCorrections(tx, mailbox, statements, at);
          await sendMonitoringNotices(tx, mailbox, statements, at, {
            pendingRule: config.pendingRule,
          });
        },
      }),
      auth: agencyAuth(auth, 'reporter'),
      maxBodyBytes: config.maxIntakeBytes,
      maxBatch: config.maxBatch,
      now,
    }),
  );
  app.route(
    '/v1/checks',
    checksRoutes({
      checks: checksService({
        db,
        registry,
        signingKey: deps.signingKey,
        rng: deps.rng,
        log,
        epochs,
        ...(config.pendingRule ? { pendingRule: config.pendingRule } : {}),
        ...(databaseReplay ? { replayPrune: (t: number) => databaseReplay.pruneIfDue(t) } : {}),
      }),
      // With the database replay cache, a check claims its token's jti in the statement that
      // matches it (hub/checks/checks.repository.ts): one round trip and one commit for a miss.
      auth: agencyAuth({ ...auth, deferReplay: databaseReplay !== undefined }, 'checker'),
      deferredReplay: databaseReplay !== undefined,
      audience: HUB_AUDIENCE,
      maxBodyBytes: config.maxCheckBytes,
      now,
      rateLimit: config.checkRateLimit,
    }),
  );
  app.route(
    '/v1/log',
    logRoutes({
      log,
      cosignatures: cosignatureService(db),
      witnessAuth: agencyAuth(auth, 'witness'),
      now,
    }),
  );
  app.route(
    '/v1/certifications',
    certificationsRoutes({
      certifications: certificationsService(db, registry, {
        log,
        periodLength: config.certificationPeriod ?? 'quarter',
      }),
      auth: agencyAuth(auth),
      now,
    }),
  );
  const bodies = bodiesService(db);
  app.route('/v1/credentialing-bodies', bodiesRoutes(bodies));
  app.route(
    '/v1/credentials',
    credentialsRoutes({
      credentials: credentialsService(db, registry, { log }),
      bodyAuth: bodyAuth({
        audience: HUB_AUDIENCE,
        find: (id) => bodies.find(id),
        replayCache: auth.replayCache,
        now,
      }),
      agencyAuth: agencyAuth(auth),
      now,
    }),
  );
  app.route('/v1/mailbox', mailboxRoutes({ mailbox, auth: agencyAuth(auth), now }));
  app.route(
    '/v1/monitoring',
    monitoringRoutes({
      monitoring: monitoringService(db, { epochs, limits: config.monitoring }),
      auth: agencyAuth(auth, 'checker'),
      now,
    }),
  );
  const statistics = statisticsService(db, {
    minCell: config.statsMinCell,
    period: config.statsPeriod ?? DEFAULT_STATISTICS_PERIOD,
    signingKey: deps.signingKey,
    log,
    certificationPeriod: config.certificationPeriod ?? 'quarter',
    noise:
      config.statsEpsilon === undefined
        ? undefined
        : { epsilon: config.statsEpsilon, rng: deps.rng },
  });
  app.route('/v1/statistics', statisticsRoutes(statistics, now));
  // The public pages (hub/pages), outside /v1: HTML over the same services.
  app.route(
    '/',
    pagesRoutes({
      statistics,
      registry,
      listing: registryListingRepository(db),
      log,
      logStatus: logStatusRepository(db),
      compliance: complianceService(db, {
        // The pages publish a summary, never a signed report.
        signingKey: () => Promise.resolve(deps.signingKey),
        credentials: credentialStandingSource(db, registry),
        periodLength: config.certificationPeriod ?? 'quarter',
      }),
      certificationPeriod: config.certificationPeriod ?? 'quarter',
      minCell: config.statsMinCell,
      now,
    }),
  );
  serveApiDocs(app, HUB_API_DOCS);
  return app;
}
