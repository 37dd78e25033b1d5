/**
 * POST /v1/credentials/affirmations (node/api/affirm.ts, docs/node.md "Credentials"): sign and
 * send the chief's "in process" affirmation. A day in the future or already lapsed is a 400
 * naming `affirmedOn`; the hub's refusals pass through with its code (mapError in app.ts).
 */
import type { ErrorHandler, Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import { AffirmRequestSchema, type AffirmResponseSchema } from '../api/affirm.js';
import { affirmInProcess, isAffirmError } from '../credentials/affirm.js';
import type { NodeAppDeps } from './app.js';

export function registerAffirmRoute(app: Hono, deps: NodeAppDeps, onError: ErrorHandler): void {
  app.post('/v1/credentials/affirmations', jsonBodyLimit(1024), async (c) => {
    const empty = (await c.req.arrayBuffer()).byteLength === 0;
    const request = empty ? {} : await readJsonBody(c, AffirmRequestSchema);
    try {
      const result = await affirmInProcess(deps, request);
      deps.log('info', 'affirmation_sent', { affirmedOn: result.affirmation.affirmedOn });
      return c.json(result satisfies Sent<typeof AffirmResponseSchema>);
    } catch (e) {
      if (!isAffirmError(e)) return onError(e as Error, c);
      return problemResponse({
        ...serviceProblem(400, e.code, e.message),
        errors: [{ field: e.field, code: 'not_allowed', message: e.message }],
      });
    }
  });
}
