/**
 * The node app of the service tests: the city agency of a test world (node/clients/test-support)
 * with its keyholders, hub, outbox and log view wired as `startNode` wires them.
 */
import type { NodeDatabase } from '../store/index.js';
import { createHubClient } from '../clients/index.js';
import { seededRng } from '../clients/test-support/deterministic.js';
import { clientDeps } from '../clients/test-support/federation.js';
import { HUB_URL, type World } from '../clients/test-support/world.js';
import { DEFAULT_CHECK_POLICY } from '../config.js';
import { testLogView } from '../tlog/test-support/log-view.js';
import { createOutboxSender } from '../outbox/sender.js';
import { createKeyholderSet, pinnedKeySetOf } from '../tokenize/index.js';
import { createNodeApp, type NodeApp } from './app.js';
import type { InboxPollResult } from '../inbox/poll-inbox.js';
import type { NodeMonitoringDeps } from './monitoring-routes.js';
import { createLogger } from '../../platform/logging/json-lines.js';
import type { ConsoleOptions } from '../console/console-routes.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef-xyz';

export interface TestNodeAppOptions {
  /** Seeds the app's randomness (one seed per app keeps runs reproducible). */
  readonly seed: string;
  /** Where log lines go (default: dropped). */
  readonly logLine?: (line: string) => void;
  /** Replaces the keyholders' network (default: the world's). */
  readonly keyholderFetch?: typeof fetch;
  /** The inbox's poll (GET /v1/inbox, POST /v1/inbox/poll); absent: no inbox routes. */
  readonly pollInbox?: () => Promise<InboxPollResult>;
  /** Replaces the hub's network (default: the world's). */
  readonly hubFetch?: typeof fetch;
  /** The monitoring sync (GET /v1/monitoring, POST /v1/monitoring/sync); absent: no routes. */
  readonly monitoring?: NodeMonitoringDeps;
  /** The console's options (default: loopback, no TLS). */
  readonly console?: ConsoleOptions;
}

export function testNodeApp(world: World, db: NodeDatabase, options: TestNodeAppOptions): NodeApp {
  const now = world.clock.now;
  const hub = createHubClient(
    HUB_URL,
    clientDeps(world.city, options.hubFetch ?? world.fetch, now),
  );
  const rng = seededRng(options.seed);
  const log = createLogger(options.logLine ?? (() => undefined), now);
  return createNodeApp({
    db,
    adminToken: TEST_ADMIN_TOKEN,
    ori: world.city.entry.ori,
    key: world.city.key,
    keyholders: createKeyholderSet(
      { urls: world.keyholders.urls, pinned: pinnedKeySetOf(world.keyholders.keySet) },
      clientDeps(world.city, options.keyholderFetch ?? world.fetch, now),
    ),
    hub,
    hubKeys: () => hub.hubKeys(),
    policy: DEFAULT_CHECK_POLICY,
    outbox: createOutboxSender({
      db,
      hub,
      now,
      rng,
      policy: { baseBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 60_000 },
      receipts: testLogView(db, hub, { now }),
      log,
    }),
    now,
    rng,
    log,
    ...(options.pollInbox ? { pollInbox: options.pollInbox } : {}),
    ...(options.monitoring ? { monitoring: options.monitoring } : {}),
    ...(options.console ? { console: options.console } : {}),
  });
}
