/**
 * POST and GET /v1/monitoring/enrollments (docs/api.md "Monitoring"): an active agency with the
 * checker role enrolls, renews and removes the hub indexes of its current officers, and reads
 * how many it has enrolled; authenticated by a request token (§7) like every agency request.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { EnrollmentRequestSchema } from '../../protocol/monitoring.js';
import type { MonitoringService } from './monitoring.service.js';

/** 2 000 indexes of ~60 characters in JSON: about 150 KiB. */
const MAX_ENROLLMENT_BYTES = 256 * 1024;

export function monitoringRoutes(deps: {
  readonly monitoring: MonitoringService;
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.post('/enrollments', jsonBodyLimit(MAX_ENROLLMENT_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const request = await readJsonBody(c, EnrollmentRequestSchema);
    return c.json(await deps.monitoring.enroll(agency.ori, request, deps.now()));
  });
  app.get('/enrollments', deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    return c.json(await deps.monitoring.summary(agency.ori, deps.now()));
  });
  return app;
}
