/**
 * POST and GET /v1/monitoring/enrollments (docs/api.md "Monitoring"): an active agency with the
 * checker role enrolls, renews and removes the hub indexes of its current officers, and reads
 * how many it has enrolled; authenticated by a request token (§7) like every agency request.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import {
  EnrollmentRequestSchema,
  EnrollmentReceiptSchema,
  EnrollmentSummarySchema,
} from '../../protocol/monitoring.js';
import type { MonitoringService } from './monitoring.service.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { AGENCY } from '../http/api-docs.js';

const tags = ['monitoring'];

const enrollDoc = describeRoute({
  summary: 'Enroll, renew and remove monitored hub indexes',
  description:
    'Removes first, then each index enrolled or renewed until `expiresAt` (docs/protocol.md §5.14); nothing applied on a refusal.',
  tags,
  security: { [AGENCY]: ['checker'] },
  requestBody: {
    content: json(named('EnrollmentRequest', EnrollmentRequestSchema), {
      one: {
        summary: 'enroll one officer’s SSN index, remove another',
        value: {
          epoch: 1,
          enroll: [{ kind: 'ssn', index: 'Ak-WAB68gT37FDp5AfAQm52coCM9JDC6bViS1-4dzoU' }],
          remove: ['ya1FnvWSt45hGpk9a-y0FRfTqrptGJ0jlXd4a_zAupI'],
        },
      },
    }),
  },
  responses: {
    200: {
      description: 'the counts, the agency’s active enrollments and its limit',
      content: json(named('EnrollmentReceipt', EnrollmentReceiptSchema)),
    },
  },
  problems: {
    422: 'the epoch is not served (`EPOCH_UNKNOWN`) or the agency would exceed its limit (`ENROLLMENT_LIMIT`)',
  },
});

const summaryDoc = describeRoute({
  summary: 'The agency’s active enrollments and limit',
  tags,
  security: { [AGENCY]: ['checker'] },
  responses: {
    200: {
      description: 'active enrollments, limit, term and next expiry',
      content: json(named('EnrollmentSummary', EnrollmentSummarySchema)),
    },
  },
});

/** 2 000 indexes of ~60 characters in JSON: about 150 KiB. */
const MAX_ENROLLMENT_BYTES = 256 * 1024;

export function monitoringRoutes(deps: {
  readonly monitoring: MonitoringService;
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.post('/enrollments', enrollDoc, jsonBodyLimit(MAX_ENROLLMENT_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const request = await readJsonBody(c, EnrollmentRequestSchema);
    return c.json(await deps.monitoring.enroll(agency.ori, request, deps.now()));
  });
  app.get('/enrollments', summaryDoc, deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    return c.json(await deps.monitoring.summary(agency.ori, deps.now()));
  });
  return app;
}
