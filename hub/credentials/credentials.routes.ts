/**
 * The credential routes (docs/api.md "Credentials"):
 *
 * | route                              | who                                  |
 * | ---------------------------------- | ------------------------------------ |
 * | POST /v1/credentials               | an active credentialing body         |
 * | POST /v1/credentials/revocations   | the body that issued the credential  |
 * | POST /v1/credentials/affirmations  | any active agency (its chief)        |
 * | GET  /v1/credentials?ori=&body=    | anyone (the log has them in the clear) |
 * | GET  /v1/credentials/affirmations?ori= | anyone                           |
 * | GET  /v1/credentialing-bodies      | anyone (mounted beside)              |
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import {
  AffirmationSubmissionSchema,
  CredentialSubmissionSchema,
  RevocationSubmissionSchema,
} from '../../protocol/credential.js';
import {
  CredentialQuerySchema,
  AffirmationListSchema,
  CredentialListSchema,
  CredentialReceiptSchema,
} from '../../protocol/credential-api.js';
import { decodeMessage } from '../../protocol/decode.js';
import { authenticatedBody } from './body-auth.js';
import type { CredentialsService } from './credentials.service.js';
import type { BodiesService } from './bodies.service.js';
import { describeRoute, json, named, type RouteDoc } from '../../platform/http/openapi/index.js';
import { CredentialingBodyListSchema } from '../../protocol/credentialing-body.js';
import { AGENCY, CREDENTIALING_BODY } from '../http/api-docs.js';
import type { z } from 'zod';

const tags = ['credentials'];
const receipt = named('CredentialReceipt', CredentialReceiptSchema);

/** The three POSTs: one compact JWS in a small object → its receipt. */
function submission(
  summary: string,
  security: RouteDoc['security'],
  body: [string, z.ZodType],
  problems: RouteDoc['problems'],
) {
  return describeRoute({
    summary,
    description:
      'Field errors name the statement’s member; `validUntil` is the last day it counts (docs/protocol.md §5.16).',
    tags,
    security,
    requestBody: { content: json(named(...body)) },
    responses: {
      200: { description: 'a byte-identical retry: the first receipt', content: json(receipt) },
      201: {
        description: 'accepted: its receipt, with its place in the log',
        content: json(receipt),
      },
    },
    problems: {
      422: 'the signature, header or key is refused (`SIG_*`), or a date or standard (`DATE_IN_FUTURE`, `CREDENTIAL_EXPIRED`, `STANDARD_UNKNOWN`, `MANDATORY_STANDARD_MISSING`, `SUBJECT_UNKNOWN`)',
      ...problems,
    },
  });
}

/** One compact JWS of at most 16 KiB, in a small JSON object. */
const MAX_STATEMENT_BODY_BYTES = 20 * 1024;

export function credentialsRoutes(deps: {
  readonly credentials: CredentialsService;
  /** bodyAuth: an active enrolled credentialing body. */
  readonly bodyAuth: MiddlewareHandler;
  /** agencyAuth for any active agency. */
  readonly agencyAuth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  const limit = jsonBodyLimit(MAX_STATEMENT_BODY_BYTES);
  const credentialDoc = submission(
    'Submit a credential about an agency',
    { [CREDENTIALING_BODY]: [] },
    ['CredentialSubmission', CredentialSubmissionSchema],
    {
      400: 'the standards list is not one the hub knows (`UNSUPPORTED_STANDARDS_LIST`)',
      403: '`body` is not the authenticated body (`ISSUER_MISMATCH`)',
      409: 'an id in use, or the same agency and assessment day (`CONFLICT`)',
    },
  );
  app.post('/', credentialDoc, limit, deps.bodyAuth, async (c) => {
    const body = await readJsonBody(c, CredentialSubmissionSchema);
    const r = await deps.credentials.submitCredential(
      body.credential,
      authenticatedBody(c).id,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  const revocationDoc = submission(
    'Revoke a credential the body issued',
    { [CREDENTIALING_BODY]: [] },
    ['RevocationSubmission', RevocationSubmissionSchema],
    {
      403: 'another body issued the credential (`NOT_ISSUING_BODY`)',
      404: 'no such credential (`NOT_FOUND`)',
      409: 'the credential is revoked already (`ALREADY_REVOKED`)',
    },
  );
  app.post('/revocations', revocationDoc, limit, deps.bodyAuth, async (c) => {
    const body = await readJsonBody(c, RevocationSubmissionSchema);
    const r = await deps.credentials.submitRevocation(
      body.revocation,
      authenticatedBody(c).id,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  const affirmationDoc = submission(
    'Submit the chief’s “in process” affirmation',
    { [AGENCY]: [] },
    ['AffirmationSubmission', AffirmationSubmissionSchema],
    {
      403: 'the statement’s issuer is not the requesting agency (`ISSUER_MISMATCH`)',
      409: 'one affirmation per agency and day (`CONFLICT`)',
    },
  );
  app.post('/affirmations', affirmationDoc, limit, deps.agencyAuth, async (c) => {
    const body = await readJsonBody(c, AffirmationSubmissionSchema);
    const r = await deps.credentials.submitAffirmation(
      body.affirmation,
      authenticatedAgency(c).ori,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  const listDoc = describeRoute({
    summary: 'Credentials, with their revocations',
    description: 'Public, as their log entries are; newest assessment first, at most 1000.',
    tags,
    query: CredentialQuerySchema,
    responses: {
      200: {
        description: 'the credentials',
        content: json(named('CredentialList', CredentialListSchema)),
      },
    },
  });
  app.get('/', listDoc, async (c) => {
    const filter = decodeMessage(CredentialQuerySchema, c.req.query());
    return c.json(await deps.credentials.listCredentials(filter));
  });
  const affirmationsDoc = describeRoute({
    summary: 'Affirmations',
    description: 'Public; newest first, at most 1000.',
    tags,
    query: CredentialQuerySchema.pick({ ori: true }),
    responses: {
      200: {
        description: 'the affirmations',
        content: json(named('AffirmationList', AffirmationListSchema)),
      },
    },
  });
  app.get('/affirmations', affirmationsDoc, async (c) => {
    const { ori } = decodeMessage(CredentialQuerySchema.pick({ ori: true }), c.req.query());
    return c.json(await deps.credentials.listAffirmations(ori === undefined ? {} : { ori }));
  });
  return app;
}

/** GET /v1/credentialing-bodies: every enrolled body with its keys and status. */
export function bodiesRoutes(bodies: BodiesService): Hono {
  const app = new Hono();
  const doc = describeRoute({
    summary: 'The enrolled credentialing bodies',
    description:
      'Every body with its keys and status, by id; bodies are enrolled by the hub operator.',
    tags,
    responses: {
      200: {
        description: 'the bodies',
        content: json(named('CredentialingBodyList', CredentialingBodyListSchema)),
      },
    },
  });
  app.get('/', doc, async (c) => c.json({ bodies: await bodies.list() }));
  return app;
}
