/**
 * POST /v1/checks (node/api/check.ts): the body read and bounded, the check run
 * (node/check/run-check.ts), a refusal answered as problem+json. Upstream failures go to the
 * app's error handler (app.ts mapError).
 */
import type { Hono } from 'hono';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { problemResponse, serviceProblem } from '../../platform/http/problem-response.js';
import { MAX_FIELD_ERRORS, problem } from '../../protocol/problem.js';
import { CheckBodySchema, MAX_CHECK_BODY_BYTES, CheckResponseSchema } from '../api/check.js';
import { runCheck, type CheckRefusal } from '../check/index.js';
import type { NodeAppDeps } from './app.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const doc = describeRoute({
  summary: 'Check a candidate',
  description:
    'The candidate’s identifiers are normalized and tokenized here; only hub indexes go to the hub. The answer is verified (the hub’s signature, every attestation, the verdict), stored without the identifiers, and presented with the evidence for the hiring file (docs/node.md “API”).',
  tags: ['checks'],
  security: ADMIN_ONLY,
  requestBody: {
    content: json(named('CheckBody', CheckBodySchema), {
      hiring: {
        summary: 'a hiring check (a fictional candidate)',
        value: {
          candidate: {
            firstName: 'Dana',
            lastName: 'Kowalczyk-Nowak',
            dob: '1988-03-14',
            ssn: '899-20-4417',
            license: { state: 'NM', number: 'P-700602' },
          },
          purpose: 'hiring',
          consentRef: 'consent/2025/0007',
          candidateRef: 'file 2025-118',
        },
      },
    }),
  },
  responses: {
    200: {
      description: 'the check, its presentation, the hub’s answer as received and the evidence',
      content: json(named('CheckResponse', CheckResponseSchema)),
    },
  },
  problems: {
    400: 'an identifier cannot be normalized (`VALIDATION_FAILED`, `candidate.<field>` errors with the docs/protocol.md §2.9 code)',
    422: '`consentRef` contains one of the candidate’s identifiers (`REFERENCE_CONTAINS_IDENTIFIER`)',
    ...UPSTREAM_PROBLEMS,
  },
});

function refusalResponse(refusal: CheckRefusal): Response {
  const base =
    refusal.code === 'VALIDATION_FAILED'
      ? problem('VALIDATION_FAILED', refusal.detail)
      : serviceProblem(422, refusal.code, refusal.detail);
  return problemResponse({ ...base, errors: refusal.errors.slice(0, MAX_FIELD_ERRORS) });
}

export function registerCheckRoute(app: Hono, deps: NodeAppDeps): void {
  app.post('/v1/checks', doc, jsonBodyLimit(MAX_CHECK_BODY_BYTES), async (c) => {
    const body = await readJsonBody(c, CheckBodySchema);
    const result = await runCheck({ ...deps, logView: deps.transparency?.view }, body);
    return result.ok ? c.json(result.response) : refusalResponse(result.refusal);
  });
}
