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
import { CredentialQuerySchema } from '../../protocol/credential-api.js';
import { decodeMessage } from '../../protocol/decode.js';
import { authenticatedBody } from './body-auth.js';
import type { CredentialsService } from './credentials.service.js';
import type { BodiesService } from './bodies.service.js';

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
  app.post('/', limit, deps.bodyAuth, async (c) => {
    const body = await readJsonBody(c, CredentialSubmissionSchema);
    const r = await deps.credentials.submitCredential(
      body.credential,
      authenticatedBody(c).id,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  app.post('/revocations', limit, deps.bodyAuth, async (c) => {
    const body = await readJsonBody(c, RevocationSubmissionSchema);
    const r = await deps.credentials.submitRevocation(
      body.revocation,
      authenticatedBody(c).id,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  app.post('/affirmations', limit, deps.agencyAuth, async (c) => {
    const body = await readJsonBody(c, AffirmationSubmissionSchema);
    const r = await deps.credentials.submitAffirmation(
      body.affirmation,
      authenticatedAgency(c).ori,
      deps.now(),
    );
    return c.json(r, r.status === 'accepted' ? 201 : 200);
  });
  app.get('/', async (c) => {
    const filter = decodeMessage(CredentialQuerySchema, c.req.query());
    return c.json(await deps.credentials.listCredentials(filter));
  });
  app.get('/affirmations', async (c) => {
    const { ori } = decodeMessage(CredentialQuerySchema.pick({ ori: true }), c.req.query());
    return c.json(await deps.credentials.listAffirmations(ori === undefined ? {} : { ori }));
  });
  return app;
}

/** GET /v1/credentialing-bodies: every enrolled body with its keys and status. */
export function bodiesRoutes(bodies: BodiesService): Hono {
  const app = new Hono();
  app.get('/', async (c) => c.json({ bodies: await bodies.list() }));
  return app;
}
