/**
 * Runs the agency node as a process (docs/node.md "Running"): reads its key and configured
 * files, opens its database (applying migrations; PGlite holds a lock on its data directory),
 * starts the outbox loop, the transparency-log monitor loop and the HTTP server, and closes
 * cleanly — HTTP server, then the monitor and outbox loops, then the database — on
 * SIGTERM/SIGINT (platform/lifecycle).
 */
import { loadGroup } from '../../crypto/oprf/index.js';
import type { PublicKeyInfo } from '../../crypto/signing/index.js';
import { openDatabase } from '../../platform/db/open.js';
import { startService } from '../../platform/lifecycle/service.js';
import type { SignalTarget } from '../../platform/lifecycle/shutdown.js';
import { createHubClient, type ClientDeps } from '../clients/index.js';
import { isLoopbackHost, type NodeConfig } from '../config.js';
import { createLogView, runMonitor, startMonitorLoop, type Timers } from '../tlog/index.js';
import { createOutboxSender } from '../outbox/sender.js';
import { createInbox } from '../inbox/poll-inbox.js';
import { syncMonitoring } from '../monitoring/sync.js';
import { certificationReminderPass } from '../certify/certify.js';
import { serialized } from '../../platform/lifecycle/serialized.js';
import { startPeriodic } from '../../platform/lifecycle/periodic.js';
import { NODE_MIGRATIONS_FOLDER, nodeTables } from '../store/index.js';
import { createKeyholderSet } from '../tokenize/index.js';
import { createNodeApp } from './app.js';
import { readAgencyKeyFile } from './key-file.js';
import { serializedMonitor } from './log-routes.js';
import { createLogger, type LogSink } from '../../platform/logging/json-lines.js';
import { loadHubKeys, loadPinnedKeySet, loadPolicy, loadTlsFiles } from './node-files.js';
import { publishOutcomes } from '../publish/index.js';
import { registeredJurisdiction, runRetention } from '../retention/index.js';

/** Between monitoring syncs (renewals, separations); publish syncs too. */
const MONITORING_SYNC_INTERVAL_MS = 6 * 3_600_000;

export interface StartNodeDeps {
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
  readonly log: LogSink;
  /** Where SIGTERM/SIGINT come from and exit goes to (default: this process). */
  readonly signals?: SignalTarget;
  /** The monitor loop's timers (default: real ones, unref'd). */
  readonly timers?: Timers;
  /**
   * Open PGlite the lean way (platform/db/pglite.ts: small shared buffers, initdb in a child
   * process); default true. The memory benchmark turns it off for its baseline.
   */
  readonly leanDatabase?: boolean;
}

export interface RunningNode {
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
  /** Settles once the node has closed, by close() or by a signal. */
  readonly closed: Promise<void>;
}

/** Pinned keys, or the hub's published keys fetched once and then held (trust on first use). */
function hubKeySource(
  pinned: readonly PublicKeyInfo[] | undefined,
  fetchKeys: () => Promise<PublicKeyInfo[]>,
): () => Promise<readonly PublicKeyInfo[]> {
  if (pinned !== undefined) return () => Promise.resolve(pinned);
  let pending: Promise<readonly PublicKeyInfo[]> | undefined;
  return () =>
    (pending ??= fetchKeys().catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
}

export async function startNode(config: NodeConfig, deps: StartNodeDeps): Promise<RunningNode> {
  const { now, rng } = deps;
  const log = createLogger(deps.log, now);
  return startService(
    { ...(deps.signals ? { signals: deps.signals } : {}), log, now },
    async (startup) => {
      const key = await readAgencyKeyFile(config.keyFile);
      const policy = await loadPolicy(config.policyFile);
      const pinnedKeySet = await loadPinnedKeySet(config.keyholderKeySet);
      const pinnedHubKeys = await loadHubKeys(config.hubKeys);
      const tls = await loadTlsFiles(config.console.tls);
      const handle = await openDatabase(config.database, {
        migrationsFolder: NODE_MIGRATIONS_FOLDER,
        tables: nodeTables,
        lean: deps.leanDatabase ?? true,
      });
      startup.register('database', handle.close);

      const clientDeps: ClientDeps = {
        identity: { ori: config.ori, key },
        fetch: deps.fetch,
        now,
        rng,
      };
      const hub = createHubClient(config.hubUrl, clientDeps);
      const { group, fallbackReason } = await loadGroup(config.oprfBackend);
      if (fallbackReason !== undefined) {
        log('warn', 'oprf_backend_fallback', {
          detail: `libsodium did not load (${fallbackReason}); blinding and proof checks use noble, several times slower`,
        });
      }
      const keyholders = createKeyholderSet(
        {
          urls: config.keyholderUrls,
          group,
          pinned: pinnedKeySet,
          // Unpinned: the newest epoch the keyholders and the hub both serve.
          servedEpochs: async () => (await hub.epochs()).epochs.map((e) => e.epoch),
        },
        clientDeps,
      );
      const hubKeys = hubKeySource(pinnedHubKeys, () => hub.hubKeys());
      const view = createLogView({ db: handle.db, hub, hubKeys, settings: config.log, now, log });
      const outbox = createOutboxSender({
        db: handle.db,
        hub,
        now,
        rng,
        policy: config.outbox,
        receipts: view,
        log,
      });
      const loop = outbox.start(config.outbox.intervalMs);
      startup.register('outbox', () => loop.stop());
      const witness = config.log.witness ? { ori: config.ori, key } : undefined;
      const monitor = serializedMonitor(() =>
        runMonitor({ db: handle.db, hub, view, now, witness }),
      );
      const monitorLoop = startMonitorLoop(monitor, config.log.monitorIntervalMs, {
        log,
        ...(deps.timers ? { timers: deps.timers } : {}),
      });
      startup.register('monitor', () => monitorLoop.stop());
      // The inbox is polled on the monitor's interval, in a loop of its own so that neither
      // can hold up the other (docs/node.md "Inbox").
      const inbox = createInbox({ db: handle.db, hub, hubKeys, ori: config.ori, now, log });
      const pollInbox = serialized(() => inbox.poll());
      const inboxLoop = startPeriodic(pollInbox, {
        intervalMs: config.log.monitorIntervalMs,
        ...(deps.timers ? { timers: deps.timers } : {}),
        onError: (e) => log('error', 'inbox_poll_failed', { error: (e as Error)?.name ?? 'error' }),
      });
      startup.register('inbox', () => inboxLoop.stop());
      // Retention (docs/node.md "Retention"): on the monitor's interval too, its own loop.
      const retention = serialized(() =>
        runRetention({
          db: handle.db,
          jurisdiction: () => registeredJurisdiction(hub, config.ori),
          action: config.retentionAction,
          publish: (options) =>
            publishOutcomes({ db: handle.db, keyholders, ori: config.ori, key, now, rng }, options),
          now,
        }),
      );
      const retentionLoop = startPeriodic(
        async () => {
          const pass = await retention();
          if (pass.expired + pass.published + pass.retired + pass.failed.length > 0) {
            log('info', 'retention_pass', {
              expired: pass.expired,
              published: pass.published,
              retired: pass.retired,
              failed: pass.failed.length,
            });
          }
        },
        {
          intervalMs: config.log.monitorIntervalMs,
          ...(deps.timers ? { timers: deps.timers } : {}),
          onError: (e) =>
            log('error', 'retention_pass_failed', { error: (e as Error)?.name ?? 'error' }),
        },
      );
      startup.register('retention', () => retentionLoop.stop());
      // The certification reminder (docs/node.md "Certifications"): on the monitor's interval.
      const reminderLoop = startPeriodic(
        certificationReminderPass({ db: handle.db, hub, ori: config.ori, now, log }),
        {
          intervalMs: config.log.monitorIntervalMs,
          ...(deps.timers ? { timers: deps.timers } : {}),
          onError: (e) =>
            log('error', 'certification_reminder_failed', { error: (e as Error)?.name ?? 'error' }),
        },
      );
      startup.register('certification-reminder', () => reminderLoop.stop());
      // Continuous monitoring (docs/node.md "Monitoring"): enrollments kept in step with the
      // roster — after each publish, and every few hours for renewals and separations.
      const syncMonitoringNow = serialized(() =>
        syncMonitoring({
          db: handle.db,
          hub,
          keyholders,
          rng,
          now,
          log,
          settings: config.monitoring,
        }),
      );
      const onSyncError = (e: unknown) =>
        log('error', 'monitoring_sync_failed', { error: (e as Error)?.name ?? 'error' });
      if (config.monitoring.enabled) {
        const monitoringLoop = startPeriodic(syncMonitoringNow, {
          intervalMs: MONITORING_SYNC_INTERVAL_MS,
          runFirst: true,
          ...(deps.timers ? { timers: deps.timers } : {}),
          onError: onSyncError,
        });
        startup.register('monitoring', () => monitoringLoop.stop());
      } else {
        // Off: one sync at start-up removes whatever an earlier run enrolled (nothing to do,
        // and no request, when nothing is enrolled).
        const once = syncMonitoringNow().catch(onSyncError);
        startup.register('monitoring', () => once.then(() => undefined));
      }

      const app = createNodeApp({
        db: handle.db,
        adminToken: config.adminToken,
        ori: config.ori,
        key,
        keyholders,
        hub,
        hubKeys,
        policy,
        outbox,
        now,
        rng,
        log,
        batchSize: config.outbox.batchSize,
        pollInbox,
        retentionAction: config.retentionAction,
        monitoring: { enabled: config.monitoring.enabled, sync: syncMonitoringNow },
        transparency: {
          view,
          settings: config.log,
          runMonitor: monitor,
          witness: config.log.witness,
        },
        console: {
          session: {
            idleMs: config.console.idleMs,
            absoluteMs: config.console.absoluteMs,
            // Browsers reach the node over TLS: its own, or the proxy's.
            secure: tls !== undefined || config.console.behindProxy,
          },
          behindProxy: config.console.behindProxy,
          publicOrigin: config.console.publicOrigin,
        },
      });
      const url = await startup.serve(app, config.host, config.port, config.limits, tls);
      log('info', 'started', {
        url,
        ori: config.ori,
        kid: key.kid,
        database: handle.location,
        keyholders: config.keyholderUrls.length,
        keySet: pinnedKeySet ? 'pinned' : 'fetched',
        hubKeys: pinnedHubKeys ? 'pinned' : 'fetched',
        logOrigin: config.log.origin ?? 'first seen',
        witnesses: config.log.witnesses.length,
        quorum: config.log.quorum,
        witness: config.log.witness,
        monitoring: config.monitoring.enabled,
        tls: tls !== undefined,
        behindProxy: config.console.behindProxy,
      });
      if (!isLoopbackHost(config.host) && tls === undefined) {
        // Allowed only with SPX_NODE_BEHIND_PROXY (config.ts): plain HTTP between the proxy and
        // the node, which the operator keeps on a network no one else reaches.
        log('warn', 'listening_beyond_loopback', {
          host: config.host,
          advice: 'plain HTTP behind the proxy: keep the path from the proxy to the node private',
        });
      }
      return url;
    },
  );
}

export { isLoopbackHost } from '../config.js';
