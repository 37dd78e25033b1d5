/**
 * The hub's operator API, served only on its operator socket (operator-socket.ts; docs/hub.md,
 * "Operator commands beside a running hub") — never on the public port. Each route runs one
 * operator command in the hub's own process, on its database, so a change is seen at once by the
 * requests it serves and is appended to its transparency log as the command would append it.
 *
 * | route                          | command                     |
 * | ------------------------------ | --------------------------- |
 * | GET  /v1/agencies              | `agencies`                  |
 * | POST /v1/agencies              | `enroll`                    |
 * | PUT  /v1/agencies/{ori}/status | `suspend`, `reinstate`      |
 * | POST /v1/agencies/{ori}/keys   | `rotate-key`                |
 * | GET  /v1/audit?ori=&limit=     | `audit`                     |
 * | POST /v1/expungements          | `expunge`                   |
 * | GET  /v1/epochs                | `epochs`                    |
 * | GET  /v1/certifications?period=| `certifications`            |
 * | GET  /v1/compliance?period=…   | `report compliance`         |
 * | GET  /v1/bodies                | `bodies`                    |
 * | POST /v1/bodies                | `body enroll`               |
 * | PUT  /v1/bodies/{id}/status    | `body suspend`, `reinstate`, `retire` |
 * | POST /v1/bodies/{id}/keys      | `body rotate-key`           |
 * | GET  /v1/credential-standings?day= | `credentials`           |
 *
 * A HubError becomes problem+json with its code, message, field and field errors
 * (OperatorProblemSchema); anything unforeseen a 500 whose detail says nothing, logged as
 * `unhandled_error` as on the public port.
 */
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { problemErrorHandler, problemNotFound } from '../../platform/http/error-handler.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { serviceProblem, type ProblemBody } from '../../platform/http/problem-response.js';
import { logEvent } from '../../platform/logging/json-lines.js';
import { decodeMessage } from '../../protocol/decode.js';
import { isHubError } from '../errors.js';
import { logUnhandledError, type LogSink } from '../http/request-log.js';
import type { HubOperations } from './operations.js';
import {
  AuditQuerySchema,
  BodyEnrollBodySchema,
  BodyStatusBodySchema,
  StandingQuerySchema,
  CertificationQuerySchema,
  ComplianceQuerySchema,
  EnrollBodySchema,
  ExpungeBodySchema,
  MAX_OPERATOR_BODY_BYTES,
  REFUSAL_STATUS,
  RotateKeyBodySchema,
  SIGNATURE_HEADER,
  StatusBodySchema,
} from './operator.schemas.js';

export interface OperatorAppDeps {
  readonly operations: HubOperations;
  readonly log: LogSink;
  readonly now: () => Date;
}

function hubProblem(e: unknown): ProblemBody | undefined {
  const status = isHubError(e) ? REFUSAL_STATUS[e.code] : undefined;
  if (!isHubError(e) || status === undefined) return undefined;
  return {
    ...serviceProblem(status, e.code, e.message),
    ...(e.field === undefined ? {} : { field: e.field }),
    errors: e.errors,
  } as ProblemBody;
}

export function createOperatorApp(deps: OperatorAppDeps): Hono {
  const { operations: ops, log, now } = deps;
  const app = new Hono();
  // One line per command, as the public port's `request` lines: route pattern, never values.
  app.use('*', async (c, next) => {
    const started = now();
    await next();
    logEvent(log, started, c.res.status >= 500 ? 'error' : 'info', 'operator_request', {
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      durationMs: now().getTime() - started.getTime(),
    });
  });
  app.onError(
    problemErrorHandler({
      mapError: hubProblem,
      report: (e, c) => logUnhandledError(log, e, c, now()),
    }),
  );
  app.notFound(problemNotFound);
  app.use('*', jsonBodyLimit(MAX_OPERATOR_BODY_BYTES));

  app.get('/v1/agencies', async (c) => c.json({ agencies: await ops.listAgencies() }));
  app.post('/v1/agencies', async (c) => {
    const body = await readJsonBody(c, EnrollBodySchema);
    return c.json(await ops.enroll(body), 201);
  });
  app.put('/v1/agencies/:ori/status', async (c) => {
    const { status } = await readJsonBody(c, StatusBodySchema);
    return c.json(await ops.setStatus(c.req.param('ori'), status));
  });
  app.post('/v1/agencies/:ori/keys', async (c) => {
    const { jwk } = await readJsonBody(c, RotateKeyBodySchema);
    return c.json(await ops.rotateKey(c.req.param('ori'), jwk));
  });
  app.get('/v1/audit', async (c) => {
    const { ori, limit } = decodeMessage(AuditQuerySchema, c.req.query());
    return c.json({
      checks: await ops.audit({ ...(ori === undefined ? {} : { requester: ori }), limit }),
    });
  });
  app.post('/v1/expungements', async (c) => {
    const body = await readJsonBody(c, ExpungeBodySchema);
    return c.json({ expunged: await ops.expunge(body) });
  });
  app.get('/v1/epochs', async (c) => c.json({ epochs: await ops.epochStanding() }));
  app.get('/v1/certifications', async (c) => {
    const { period } = decodeMessage(CertificationQuerySchema, { period: c.req.queries('period') });
    const periods = typeof period === 'string' ? [period] : period;
    return c.json({ certifications: await ops.certificationStatus(periods) });
  });
  // The report's bytes as signed, the detached signature beside them.
  app.get('/v1/compliance', async (c) => {
    const query = decodeMessage(ComplianceQuerySchema, c.req.query());
    const report = await ops.complianceReport(query);
    return c.body(report.body, 200, {
      'content-type': report.mediaType,
      [SIGNATURE_HEADER]: report.signature,
    });
  });
  app.get('/v1/bodies', async (c) => c.json({ bodies: await ops.listBodies() }));
  app.post('/v1/bodies', async (c) => {
    const body = await readJsonBody(c, BodyEnrollBodySchema);
    return c.json(await ops.enrollBody(body), 201);
  });
  app.put('/v1/bodies/:id/status', async (c) => {
    const { status } = await readJsonBody(c, BodyStatusBodySchema);
    return c.json(await ops.setBodyStatus(c.req.param('id'), status));
  });
  app.post('/v1/bodies/:id/keys', async (c) => {
    const { jwk } = await readJsonBody(c, RotateKeyBodySchema);
    return c.json(await ops.rotateBodyKey(c.req.param('id'), jwk));
  });
  app.get('/v1/credential-standings', async (c) => {
    const { day } = decodeMessage(StandingQuerySchema, c.req.query());
    return c.json({ standings: await ops.credentialStandings(day) });
  });
  return app;
}
