/**
 * POST /v1/checks (node/api/check.ts): the body read and bounded, the check run
 * (node/check/run-check.ts), a refusal answered as problem+json. Upstream failures go to the
 * app's error handler (app.ts mapError).
 */
import type { Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import { MAX_FIELD_ERRORS, problem } from '../../protocol/problem.js';
import { CheckBodySchema, MAX_CHECK_BODY_BYTES } from '../api/check.js';
import { runCheck, type CheckRefusal } from '../check/index.js';
import type { NodeAppDeps } from './app.js';

function refusalResponse(refusal: CheckRefusal): Response {
  const base =
    refusal.code === 'VALIDATION_FAILED'
      ? problem('VALIDATION_FAILED', refusal.detail)
      : serviceProblem(422, refusal.code, refusal.detail);
  return problemResponse({ ...base, errors: refusal.errors.slice(0, MAX_FIELD_ERRORS) });
}

export function registerCheckRoute(app: Hono, deps: NodeAppDeps): void {
  app.post('/v1/checks', jsonBodyLimit(MAX_CHECK_BODY_BYTES), async (c) => {
    const body = await readJsonBody(c, CheckBodySchema);
    const result = await runCheck({ ...deps, logView: deps.transparency?.view }, body);
    return result.ok ? c.json(result.response) : refusalResponse(result.refusal);
  });
}
