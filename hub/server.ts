/**
 * Running the hub as a process (docs/hub.md): open the database and apply migrations, serve the
 * operator socket in a PGlite data directory (hub/operator: the operator's commands reach the
 * hub through it while the directory is locked), ANALYZE its tables and keep their statistics
 * current (platform/db/analyze-maintenance.ts: PGlite has no autovacuum), read the signing key,
 * start the transparency log's checkpointer (hub/tlog), listen, and close cleanly — HTTP server
 * first, then the timers, the operator socket, then the database — on SIGTERM or SIGINT
 * (platform/lifecycle/service.ts, the start-up every service shares).
 */
import { monitoringRepository } from './monitoring/monitoring.repository.js';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { schemaTableNames, startAnalyzeMaintenance } from '../platform/db/analyze-maintenance.js';
import { openDatabase } from '../platform/db/open.js';
import { startPeriodic } from '../platform/lifecycle/periodic.js';
import { retentionNoticePass } from './mailbox/retention-notices.js';
import { startService } from '../platform/lifecycle/service.js';
import type { SignalTarget } from '../platform/lifecycle/shutdown.js';
import type { Timers } from '../platform/lifecycle/timers.js';
import { createLogger, type LogSink } from '../platform/logging/json-lines.js';
import type { Rng } from '../protocol/statement-id.js';
import { createHubApp } from './app.js';
import { mailboxService } from './mailbox/mailbox.service.js';
import { startOperatorSocket } from './operator/operator-socket.js';
import { startLogProcess } from './tlog/start.js';
import type { HubConfig } from './config.js';
import * as schema from './schema.js';
import { readSigningKeyFile } from './signing-key/signing-key.js';

/** The hub's drizzle-kit output, applied at start-up. */
export const HUB_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Fault injection for test/e2e/hub-crash.test.ts only, never for an operator: with
 * `SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS=<ms>` (1–10000) the hub waits that long after each intake
 * batch commits, before it builds and sends the receipts, so the test's SIGKILL can land between
 * a COMMIT and its answer — a window a few milliseconds wide otherwise. Unset (or empty): no
 * pause. Any other value stops the start with an error. Read here, not through the settings
 * table (docs/configuration.md lists it with the tools' variables).
 */
export function pauseAfterIntakeCommit(
  env: NodeJS.ProcessEnv = process.env,
): { ms: number; pause: () => Promise<void> } | undefined {
  const raw = env['SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS'];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 10_000) {
    throw new Error('SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS must be whole milliseconds, 1–10000');
  }
  return { ms, pause: () => new Promise((resolve) => setTimeout(resolve, ms)) };
}

/** How often expired mailbox messages are deleted. */
const MAILBOX_PRUNE_INTERVAL_MS = 3_600_000;

export interface StartHubDeps {
  readonly now?: () => Date;
  readonly rng?: Rng;
  /** Default: one line per event to standard output. */
  readonly log?: LogSink;
  /**
   * Where SIGTERM/SIGINT come from (default: this process). `false` installs no handler: the
   * caller closes the hub itself (tests, an embedding process).
   */
  readonly signals?: SignalTarget | false;
  /** Timers of the periodic tasks: ANALYZE maintenance, checkpointer (default: Node's, unref'd). */
  readonly timers?: Timers;
}

export interface RunningHub {
  /** `http://host:port`, with the port actually bound (config port 0 picks a free one). */
  readonly url: string;
  readonly close: () => Promise<void>;
}

export async function startHub(config: HubConfig, deps: StartHubDeps = {}): Promise<RunningHub> {
  const now = deps.now ?? (() => new Date());
  const rng: Rng = deps.rng ?? ((n) => new Uint8Array(randomBytes(n)));
  const sink: LogSink = deps.log ?? ((line) => void process.stdout.write(`${line}\n`));
  const log = createLogger(sink, now);
  const faultPause = pauseAfterIntakeCommit();
  const timers = deps.timers ? { timers: deps.timers } : {};
  return startService(
    { ...(deps.signals !== undefined ? { signals: deps.signals } : {}), log, now },
    async (startup) => {
      const signingKey = await readSigningKeyFile(config.keyFile);
      const handle = await openDatabase(config.database, {
        migrationsFolder: HUB_MIGRATIONS,
        tables: schema,
      });
      startup.register('database', handle.close);
      const mailbox = mailboxService(handle.db, {
        signingKey,
        ...(config.app.mailboxRetention ? { retention: config.app.mailboxRetention } : {}),
      });
      // As soon as the database is open, so that commands wait for no later start-up step.
      if (config.database.kind === 'pglite' && config.database.dataDir !== undefined) {
        const socket = await startOperatorSocket({
          dataDir: config.database.dataDir,
          db: handle.db,
          mailbox,
          compliance: {
            signingKey: () => Promise.resolve(signingKey),
            periodLength: config.app.certificationPeriod,
          },
          now,
          sink,
          log,
        });
        if (socket) startup.register('operator socket', socket.close);
      }
      if (config.analyzeIntervalSeconds > 0) {
        const maintenance = await startAnalyzeMaintenance(handle.db, {
          tables: schemaTableNames(schema),
          intervalMs: config.analyzeIntervalSeconds * 1000,
          now,
          log,
          ...timers,
        });
        startup.register('analyze', maintenance.stop);
      }
      // Transparency log: catch-up, keyholder key set logged if new, then the checkpointer.
      const checkpointer = await startLogProcess(handle.db, {
        origin: config.app.logOrigin,
        signingKey,
        checkpointIntervalMs: config.log.checkpointIntervalMs,
        keyholderKeySet: config.log.keyholderKeySet,
        now,
        rng,
        log,
        ...timers,
      });
      startup.register('checkpointer', checkpointer.stop);
      // Mailbox retention (docs/hub.md "Mailbox"), lapsed enrollments and the retention notices
      // of records due today (once a UTC day): hourly, and at start-up.
      const retentionNotices = retentionNoticePass(handle.db, mailbox);
      const pruning = startPeriodic(
        async () => {
          // Its own failure is logged and tried again next time; pruning goes on regardless.
          await retentionNotices(now()).then(
            (noticed) => {
              if (noticed !== undefined && noticed.due > 0)
                log('info', 'retention_notices', { ...noticed });
            },
            (e: unknown) => log('error', 'retention_notices_failed', { error: (e as Error)?.name }),
          );
          const pruned = await mailbox.prune(now());
          if (pruned.acknowledged + pruned.expired > 0) log('info', 'mailbox_pruned', pruned);
          if (pruned.expired > 0) log('warn', 'mailbox_expired_unacknowledged', pruned);
          // Monitoring enrollments past their term (docs/hub.md "Monitoring").
          const lapsed = await monitoringRepository(handle.db).pruneLapsed(now());
          if (lapsed > 0) log('info', 'monitoring_enrollments_lapsed', { count: lapsed });
        },
        {
          intervalMs: MAILBOX_PRUNE_INTERVAL_MS,
          runFirst: true,
          ...timers,
          onError: (e) => log('error', 'mailbox_prune_failed', { error: (e as Error)?.name }),
        },
      );
      startup.register('mailbox', pruning.stop);
      // The request log stamps each line with the request's start (hub/http/request-log.ts).
      const app = createHubApp({
        db: handle.db,
        signingKey,
        config: config.app,
        now,
        rng,
        log: sink,
        ...(faultPause ? { afterIntakeCommit: faultPause.pause } : {}),
      });
      if (faultPause) log('info', 'fault_injection', { pauseAfterIntakeCommitMs: faultPause.ms });
      const url = await startup.serve(app, config.host, config.port, config.limits);
      log('info', 'started', {
        url,
        database: handle.location,
        migrationsApplied: handle.migrationsApplied,
        signingKid: signingKey.kid,
        epochs: config.app.epochs,
      });
      return url;
    },
  );
}
