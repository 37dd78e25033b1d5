/**
 * POST /v1/credentials/affirmations (node/api/affirm.ts, docs/node.md "Credentials"): sign and
 * send the chief's "in process" affirmation. A day in the future or already lapsed is a 400
 * naming `affirmedOn`; the hub's refusals pass through with its code (mapError in app.ts).
 */
import type { ErrorHandler, Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import { AffirmRequestSchema, AffirmResponseSchema } from '../api/affirm.js';
import { affirmInProcess, isAffirmError } from '../credentials/affirm.js';
import type { NodeAppDeps } from './app.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const doc = describeRoute({
  summary: 'Sign and send the chief’s “in process” affirmation',
  description: 'Default day: today. An empty body is `{}` (docs/node.md “Credentials”).',
  tags: ['compliance'],
  security: ADMIN_ONLY,
  requestBody: {
    required: false,
    content: json(named('AffirmRequest', AffirmRequestSchema)),
  },
  responses: {
    200: {
      description: 'the affirmation sent, its validity and the hub’s receipt',
      content: json(named('AffirmResponse', AffirmResponseSchema)),
    },
  },
  problems: {
    400: 'a day in the future or already lapsed (`AFFIRMATION_DATE_INVALID`, naming `affirmedOn`)',
    ...UPSTREAM_PROBLEMS,
  },
});

export function registerAffirmRoute(app: Hono, deps: NodeAppDeps, onError: ErrorHandler): void {
  app.post('/v1/credentials/affirmations', doc, jsonBodyLimit(1024), async (c) => {
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
