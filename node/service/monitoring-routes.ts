/**
 * GET /v1/monitoring and POST /v1/monitoring/sync (node/api/monitoring.ts, docs/node.md
 * "Monitoring"). Absent a monitoring sync (tests of other features): neither.
 */
import type { Hono } from 'hono';
import {
  MonitoringStatusResponseSchema,
  MonitoringSyncResponseSchema,
  type Sent,
} from '../api/index.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const statusDoc = describeRoute({
  summary: 'The enrollments kept at the hub',
  tags: ['monitoring'],
  security: ADMIN_ONLY,
  responses: {
    200: {
      description: 'officers, indexes, pending changes, next expiry, notices',
      content: json(named('MonitoringStatus', MonitoringStatusResponseSchema)),
    },
  },
});
const syncDoc = describeRoute({
  summary: 'Sync the enrollments with the roster now',
  tags: ['monitoring'],
  security: ADMIN_ONLY,
  responses: {
    200: {
      description: 'what was enrolled, renewed, removed or refused',
      content: json(named('MonitoringSync', MonitoringSyncResponseSchema)),
    },
  },
  problems: UPSTREAM_PROBLEMS,
});
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
  app.get('/v1/monitoring', statusDoc, async (c) => {
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
  app.post('/v1/monitoring/sync', syncDoc, async (c) => {
    const result = await monitoring.sync();
    return c.json(result satisfies Sent<typeof MonitoringSyncResponseSchema>);
  });
}
