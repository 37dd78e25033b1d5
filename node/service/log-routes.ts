/**
 * The node's transparency-log routes on its admin API (docs/node.md "Monitor"):
 *
 *   GET  /v1/log/status                 last verified checkpoint, last pass, open alerts
 *   POST /v1/log/monitor                runs one monitor pass now → MonitorResult
 *   POST /v1/log/alerts/{id}/resolve    closes an open alert (after a person looked at it)
 *
 * Passes are serialized in this process (the service loop and `spx node monitor` may ask at
 * once); the store's compare-and-set keeps replicas safe.
 */
import type { Hono } from 'hono';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import type { LogSettings, LogView, MonitorResult } from '../tlog/index.js';
import { logStatus } from '../tlog/index.js';
import { logRepository, type NodeDatabase } from '../store/index.js';
import type { Sent } from '../api/index.js';
import { serialized } from '../../platform/lifecycle/serialized.js';
import {
  LastRunSchema,
  LogStatusResponseSchema,
  MonitorResultSchema,
  ResolveAlertResponseSchema,
} from '../api/tlog.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const tags = ['transparency log'];
const statusDoc = describeRoute({
  summary: 'The log monitor’s state',
  description: 'The last verified checkpoint, the last pass, the open alerts, witnesses.',
  tags,
  security: ADMIN_ONLY,
  responses: {
    200: {
      description: 'the monitor’s state',
      content: json(named('LogStatus', LogStatusResponseSchema)),
    },
  },
});
const monitorDoc = describeRoute({
  summary: 'One monitor pass now',
  description: '200 also when the pass raised alerts (`ok: false`).',
  tags,
  security: ADMIN_ONLY,
  responses: {
    200: { description: 'the pass', content: json(named('MonitorResult', MonitorResultSchema)) },
  },
  problems: UPSTREAM_PROBLEMS,
});
const resolveDoc = describeRoute({
  summary: 'Close an open alert',
  description: 'After a person looked at it.',
  tags,
  security: ADMIN_ONLY,
  parameters: [
    {
      name: 'id',
      in: 'path',
      description: 'the alert’s id',
      schema: { type: 'integer', minimum: 1 },
    },
  ],
  responses: {
    200: { description: 'closed', content: json(ResolveAlertResponseSchema) },
  },
  problems: { 404: 'no open alert with this id (`ALERT_UNKNOWN`)' },
});
import type { Logger } from '../../platform/logging/json-lines.js';

/** What the node's app needs to serve the log routes and check answers against the log. */
export interface NodeLogDeps {
  readonly view: LogView;
  readonly settings: LogSettings;
  /** One monitor pass (node/tlog runMonitor with this node's dependencies). */
  readonly runMonitor: () => Promise<MonitorResult>;
  /** SPX_NODE_WITNESS. */
  readonly witness: boolean;
}

interface LogRouteDeps {
  readonly db: NodeDatabase;
  readonly ori: string;
  readonly key: SigningKey;
  readonly now: () => Date;
  readonly log: Logger;
  readonly transparency?: NodeLogDeps | undefined;
}

/** Serializes passes: a caller arriving during a pass waits for it and then runs its own. */
export function serializedMonitor(run: () => Promise<MonitorResult>): () => Promise<MonitorResult> {
  return serialized(run);
}

export function registerLogRoutes(app: Hono, deps: LogRouteDeps): void {
  const t = deps.transparency;
  if (t === undefined) return;
  const { db, now, log } = deps;

  app.get('/v1/log/status', statusDoc, async (c) => {
    const status = await logStatus(db, t.settings, {
      identity: { ori: deps.ori, key: deps.key },
      witness: t.witness,
    });
    // The last pass is stored as it ran (a MonitorResult of this or an earlier version).
    const lastRun = LastRunSchema.safeParse(status.lastRun);
    return c.json({
      ...status,
      lastRun: lastRun.success ? lastRun.data : null,
    } satisfies Sent<typeof LogStatusResponseSchema>);
  });

  app.post('/v1/log/monitor', monitorDoc, async (c) => {
    const result = await t.runMonitor();
    log(result.ok ? 'info' : 'warn', 'monitor', {
      ok: result.ok,
      size: result.checkpoint?.size ?? null,
      stored: result.stored,
      proved: result.proved,
      alerts: result.alerts.length,
    });
    return c.json(result satisfies Sent<typeof MonitorResultSchema>);
  });

  app.post('/v1/log/alerts/:id/resolve', resolveDoc, async (c) => {
    const id = /^[1-9][0-9]{0,9}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : undefined;
    if (id === undefined || !(await logRepository(db).resolveAlert(id, now()))) {
      return problemResponse(serviceProblem(404, 'ALERT_UNKNOWN', 'no open alert with this id'));
    }
    log('info', 'log_alert_resolved', { id });
    return c.json({ id, resolved: true } as const satisfies Sent<
      typeof ResolveAlertResponseSchema
    >);
  });
}
