/**
 * POST /v1/checks (docs/api.md §Checks): a checking agency's request → the hub-signed check
 * answer (docs/protocol.md §5.7, §5.8).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { CheckRequestSchema } from '../../protocol/check-request.js';
import type { checksService } from './checks.service.js';

export interface ChecksRoutesDeps {
  readonly checks: ReturnType<typeof checksService>;
  /** agencyAuth for the checker role. */
  readonly auth: MiddlewareHandler;
  readonly maxBodyBytes: number;
  readonly now: () => Date;
}

export function checksRoutes(deps: ChecksRoutesDeps): Hono {
  const app = new Hono();
  app.post('/', jsonBodyLimit(deps.maxBodyBytes), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const request = await readJsonBody(c, CheckRequestSchema);
    return c.json(await deps.checks.check(request, agency.ori, deps.now()));
  });
  return app;
}
