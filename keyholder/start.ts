/**
 * Runs the keyholder as a process (docs/keyholder.md "Running"): opens its database (applying
 * migrations), serves its operator socket (PGlite only: operator/operator-socket.ts), checks
 * that its active keys open, starts learning the registry from the hub,
 * starts its evaluation workers, listens with @hono/node-server, and closes cleanly — HTTP
 * server first, then the workers, then the database — on SIGTERM/SIGINT (platform/lifecycle).
 */
import { availableParallelism } from 'node:os';
import { loadGroup, type Rng } from '../crypto/oprf/index.js';
import { openDatabase } from '../platform/db/open.js';
import { createLogger } from '../platform/logging/json-lines.js';
import { startService } from '../platform/lifecycle/service.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import { createKeyholderApp } from './app.js';
import { keyholderAudiences, type KeyholderConfig } from './config.js';
import { HubAgencyDirectory } from './directory.js';
import { KeyholderError } from './errors.js';
import { startEvaluationPool } from './evaluation-pool.js';
import { inlineEvaluator, type BatchEvaluator } from './evaluator.js';
import { loadKekFile } from './kek.js';
import { keyRepository } from './key-repository.js';
import { logEvent, type LogSink } from '../platform/logging/json-lines.js';
import { startOperatorSocket } from './operator/operator-socket.js';
import { KEYHOLDER_MIGRATIONS } from './paths.js';
import * as tables from './schema.js';

export interface StartKeyholderDeps {
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly rng: Rng;
  readonly log: LogSink;
  /** Where SIGTERM/SIGINT come from and exit goes to (default: this process). */
  readonly signals?: SignalTarget;
}

export interface RunningKeyholder {
  /** `http://host:port` actually bound (port 0 in config picks a free one). */
  readonly url: string;
  /** Closes the server and the database (what SIGTERM does, without exiting). */
  close(): Promise<void>;
  /** Settles once the keyholder has closed, by close() or by a signal. */
  readonly closed: Promise<void>;
}

export async function startKeyholder(
  config: KeyholderConfig,
  deps: StartKeyholderDeps,
): Promise<RunningKeyholder> {
  const { now, rng, log } = deps;
  return startService(
    { ...(deps.signals ? { signals: deps.signals } : {}), log: createLogger(log, now), now },
    async (startup) => {
      // Before anything is opened: a keyholder no node can address is a configuration error.
      // With port 0 the listen address's audience is known once the port is bound.
      let audiences = keyholderAudiences(config, config.port === 0 ? undefined : config.port);
      const kek = config.kekFile
        ? await loadKekFile(config.kekFile, 'SPX_KEYHOLDER_KEK_FILE')
        : undefined;
      const handle = await openDatabase(config.database, {
        migrationsFolder: KEYHOLDER_MIGRATIONS,
        tables,
      });
      startup.register('database', handle.close);
      // As soon as the database is open, so that operator commands wait for no later step.
      if (config.database.kind === 'pglite' && config.database.dataDir !== undefined) {
        const socket = await startOperatorSocket({
          dataDir: config.database.dataDir,
          db: handle.db,
          dailyQuota: config.dailyQuota,
          rng,
          now,
          sink: log,
          log: createLogger(log, now),
        });
        if (socket) startup.register('operator socket', socket.close);
      }
      const active = await keyRepository(handle.db, { kek, rng }).openActiveKeys();
      if (active.length === 0) {
        throw new KeyholderError(
          'NO_ACTIVE_KEY',
          'this keyholder holds no active key: run `spx keyholder init --epoch 1` (or import-share) first',
        );
      }
      if (kek === undefined) {
        logEvent(log, now(), 'warn', 'kek_absent', {
          detail: 'SPX_KEYHOLDER_KEK_FILE is not set: new secrets are stored unencrypted',
        });
      }
      const { group, fallbackReason } = await loadGroup(config.evaluation.backend);
      if (fallbackReason !== undefined) {
        logEvent(log, now(), 'warn', 'oprf_backend_fallback', {
          detail: `libsodium did not load (${fallbackReason}); evaluating with noble, about 4× slower`,
        });
      }
      const workers = config.evaluation.workers ?? availableParallelism();
      const evaluator: BatchEvaluator =
        workers === 0
          ? inlineEvaluator(group, rng)
          : await startEvaluationPool({
              workers,
              maxQueuedElements: config.evaluation.queueElements,
              backend: group.name,
              rng,
              log: createLogger(log, now),
            });
      startup.register('evaluation workers', () => evaluator.close());
      const directory = new HubAgencyDirectory({
        hubUrl: config.hubUrl,
        fetch: deps.fetch,
        now,
        log,
        ...config.registry,
      });
      // Warm the registry copy without waiting: the hub may start after the keyholder.
      void directory.refresh();
      const app = createKeyholderApp({
        db: handle.db,
        directory,
        now,
        rng,
        log,
        dailyQuota: config.dailyQuota,
        kek,
        audiences: () => audiences,
        legacyAudienceUntil: config.legacyAudienceUntil,
        evaluator,
      });
      const url = await startup.serve(app, config.host, config.port, config.limits);
      if (audiences.length === 0) audiences = keyholderAudiences(config, Number(new URL(url).port));
      logEvent(log, now(), 'info', 'started', {
        url,
        audiences: audiences.join(','),
        database: handle.location,
        activeEpochs: active.map((k) => k.epoch).join(','),
        kek: kek?.id ?? null,
        oprfBackend: group.name,
        evaluationWorkers: workers,
      });
      const legacyUntil = config.legacyAudienceUntil;
      if (legacyUntil !== undefined && now() < legacyUntil) {
        logEvent(log, now(), 'warn', 'legacy_audience_window', {
          detail: `until ${legacyUntil.toISOString()} tokens addressed to spx-keyholder, the audience every keyholder once shared, are accepted too (SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL)`,
        });
      }
      return url;
    },
  );
}
