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
import { CertifyRequestSchema, CertifyResponseSchema } from '../api/certify.js';
import { certifyPeriod, isCertifyError } from '../certify/certify.js';
import type { NodeAppDeps } from './app.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const doc = describeRoute({
  summary: 'Certify a closed period at the hub',
  description:
    'Default: the last closed period of the hub’s length, the statements count the node holds (docs/node.md “Certifications”). An empty body is `{}`.',
  tags: ['compliance'],
  security: ADMIN_ONLY,
  requestBody: {
    required: false,
    content: json(named('CertifyRequest', CertifyRequestSchema), {
      quarter: {
        summary: 'a quarter with its sworn headcount',
        value: { period: '2026-Q1', sworn: 42 },
      },
    }),
  },
  responses: {
    200: {
      description: 'certified, corrected, or (dry run) what would be sent',
      content: json(named('CertifyResponse', CertifyResponseSchema)),
    },
  },
  problems: {
    400: 'a period of another length (`PERIOD_LENGTH_MISMATCH`) or no sworn headcount (`SWORN_REQUIRED`)',
    409: 'the period has not ended (`PERIOD_OPEN`) or statements wait in the outbox (`CERTIFICATION_UNDELIVERED`)',
    ...UPSTREAM_PROBLEMS,
  },
});

const STATUS = {
  PERIOD_OPEN: 409,
  PERIOD_LENGTH_MISMATCH: 400,
  CERTIFICATION_UNDELIVERED: 409,
  SWORN_REQUIRED: 400,
} as const;

export function registerCertifyRoute(app: Hono, deps: NodeAppDeps, onError: ErrorHandler): void {
  app.post('/v1/certifications', doc, jsonBodyLimit(4096), async (c) => {
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
