/**
 * POST /v1/certifications and GET /v1/certifications (docs/api.md "Certifications"): an active
 * agency submits its signed period certification and reads back its own.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { CertificationSubmissionSchema } from '../../protocol/certification.js';
import type { CertificationsService } from './certifications.service.js';

/** One compact JWS of at most 16 KiB, in a small JSON object. */
const MAX_CERTIFICATION_BYTES = 20 * 1024;

export function certificationsRoutes(deps: {
  readonly certifications: CertificationsService;
  /** agencyAuth for any active agency (reporters and checkers alike certify). */
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.post('/', jsonBodyLimit(MAX_CERTIFICATION_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const body = await readJsonBody(c, CertificationSubmissionSchema);
    const receipt = await deps.certifications.submit(body.certification, agency.ori, deps.now());
    return c.json(receipt, receipt.status === 'accepted' ? 201 : 200);
  });
  app.get('/', deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    return c.json(await deps.certifications.listOwn(agency.ori));
  });
  return app;
}
