/**
 * POST /v1/certifications (node/api/certify.ts, docs/node.md "Certifications"): certify a
 * closed period at the hub. Bad input is a 400 naming the field; a period not yet ended or with
 * statements still waiting in the outbox a 409; the hub's refusals pass through with its code
 * (mapError in app.ts).
 */
import type { ErrorHandler, Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import type { Sent } from '../api/index.js';
import { CertifyRequestSchema, type CertifyResponseSchema } from '../api/certify.js';
import { certifyPeriod, isCertifyError } from '../certify/certify.js';
import type { NodeAppDeps } from './app.js';

const STATUS = {
  PERIOD_OPEN: 409,
  PERIOD_LENGTH_MISMATCH: 400,
  CERTIFICATION_UNDELIVERED: 409,
  SWORN_REQUIRED: 400,
} as const;

export function registerCertifyRoute(app: Hono, deps: NodeAppDeps, onError: ErrorHandler): void {
  app.post('/v1/certifications', jsonBodyLimit(4096), async (c) => {
    const empty = (await c.req.arrayBuffer()).byteLength === 0;
    const request = empty ? {} : await readJsonBody(c, CertifyRequestSchema);
    try {
      const result = await certifyPeriod(deps, request);
      if (result.outcome === 'certified' || result.outcome === 'corrected') {
        deps.log('info', 'certification_sent', {
          period: result.certification.period,
          outcome: result.outcome,
        });
      }
      return c.json(result satisfies Sent<typeof CertifyResponseSchema>);
    } catch (e) {
      if (!isCertifyError(e)) return onError(e as Error, c);
      const body = serviceProblem(STATUS[e.code], e.code, e.message);
      return problemResponse(
        e.field === null
          ? body
          : { ...body, errors: [{ field: e.field, code: 'not_allowed', message: e.message }] },
      );
    }
  });
}
