/**
 * GET /v1/monitoring and POST /v1/monitoring/sync (node/api/monitoring.ts, docs/node.md
 * "Monitoring"). Absent a monitoring sync (tests of other features): neither.
 */
import type { Hono } from 'hono';
import type {
  MonitoringStatusResponseSchema,
  MonitoringSyncResponseSchema,
  Sent,
} from '../api/index.js';
import type { MonitoringSyncResult } from '../monitoring/sync.js';
import { monitoringRepository, type NodeDatabase } from '../store/index.js';

export interface NodeMonitoringDeps {
  readonly enabled: boolean;
  /** One sync at a time (serialized by the caller, shared with the service loop). */
  readonly sync: () => Promise<MonitoringSyncResult>;
}

export function registerMonitoringRoutes(
  app: Hono,
  deps: { readonly db: NodeDatabase; readonly monitoring?: NodeMonitoringDeps | undefined },
): void {
  const monitoring = deps.monitoring;
  if (monitoring === undefined) return;
  const repo = monitoringRepository(deps.db);
  app.get('/v1/monitoring', async (c) => {
    const s = await repo.summary();
    return c.json({
      enabled: monitoring.enabled,
      officers: s.officers,
      indexes: s.indexes,
      unacknowledged: s.unacknowledged,
      removing: s.removing,
      nextExpiry: s.nextExpiry?.toISOString() ?? null,
      notices: await repo.countNotices(),
    } satisfies Sent<typeof MonitoringStatusResponseSchema>);
  });
  app.post('/v1/monitoring/sync', async (c) => {
    const result = await monitoring.sync();
    return c.json(result satisfies Sent<typeof MonitoringSyncResponseSchema>);
  });
}
