/**
 * POST /v1/certifications and GET /v1/certifications (docs/api.md "Certifications"): an active
 * agency submits its signed period certification and reads back its own.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { CertificationSubmissionSchema } from '../../protocol/certification.js';
import type { CertificationsService } from './certifications.service.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import {
  certificationReceiptExample,
  certificationSubmissionExample,
} from '../../protocol/api-examples.js';
import {
  CertificationListSchema,
  CertificationReceiptSchema,
} from '../../protocol/certification-api.js';
import { AGENCY } from '../http/api-docs.js';

const tags = ['certifications'];
const receipt = named('CertificationReceipt', CertificationReceiptSchema);

const submit = describeRoute({
  summary: 'Submit a signed period certification',
  description:
    'The agency’s certification of a closed period (docs/protocol.md §5.15); field errors name `certification`.',
  tags,
  security: { [AGENCY]: [] },
  requestBody: {
    content: json(named('CertificationSubmission', CertificationSubmissionSchema), {
      one: { summary: 'one certification', value: certificationSubmissionExample },
    }),
  },
  responses: {
    200: { description: 'a byte-identical retry: the first receipt', content: json(receipt) },
    201: {
      description: 'accepted: its receipt, with its place in the log',
      content: json(receipt, {
        onTime: { summary: 'accepted on time', value: certificationReceiptExample },
      }),
    },
  },
  problems: {
    403: 'the statement’s issuer is not the requesting agency (`ISSUER_MISMATCH`)',
    409: 'the period is certified already (`CONFLICT`, `SUPERSESSION_INVALID`), or `statements` differs from the hub’s count (`COUNT_MISMATCH`)',
    422: 'the signature, header or key is refused (`SIG_*`)',
  },
});

const list = describeRoute({
  summary: 'The agency’s own certifications',
  description: 'Latest period first, at most 400.',
  tags,
  security: { [AGENCY]: [] },
  responses: {
    200: {
      description: 'its certifications',
      content: json(named('CertificationList', CertificationListSchema)),
    },
  },
});

/** One compact JWS of at most 16 KiB, in a small JSON object. */
const MAX_CERTIFICATION_BYTES = 20 * 1024;

export function certificationsRoutes(deps: {
  readonly certifications: CertificationsService;
  /** agencyAuth for any active agency (reporters and checkers alike certify). */
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.post('/', submit, jsonBodyLimit(MAX_CERTIFICATION_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const body = await readJsonBody(c, CertificationSubmissionSchema);
    const receipt = await deps.certifications.submit(body.certification, agency.ori, deps.now());
    return c.json(receipt, receipt.status === 'accepted' ? 201 : 200);
  });
  app.get('/', list, deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    return c.json(await deps.certifications.listOwn(agency.ori));
  });
  return app;
}
