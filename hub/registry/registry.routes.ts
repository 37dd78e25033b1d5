/**
 * Public registry routes (docs/api.md §Registry): anyone — agencies, the keyholder, auditors —
 * may read which agencies are enrolled, their roles, status, contact and public keys. Nothing
 * here is secret: the registry is what makes statements attributable.
 */
import { Hono } from 'hono';
import { protocolProblem } from '../../platform/http/problem-response.js';
import { ORI_PATTERN } from '../../protocol/common.js';
import { SIGNATURE_ALG } from '../../crypto/signing/keys.js';
import type { RegistryService } from './registry.service.js';

export function registryRoutes(registry: RegistryService): Hono {
  const app = new Hono();

  app.get('/agencies', async (c) => c.json({ agencies: await registry.list() }));

  app.get('/agencies/:ori', async (c) => {
    const ori = c.req.param('ori');
    const entry = ORI_PATTERN.test(ori) ? await registry.find(ori) : undefined;
    if (entry === undefined) return protocolProblem('NOT_FOUND', `no agency ${ori.slice(0, 16)}`);
    return c.json(entry);
  });

  // RFC 7517 §5 JWK Set of the keys that may sign new statements and requests today: active
  // keys of active agencies. Retired keys and suspended agencies are in /agencies.
  app.get('/jwks', async (c) => {
    const keys = (await registry.list())
      .filter((entry) => entry.status === 'active')
      .flatMap((entry) =>
        entry.keys
          .filter((k) => k.status === 'active')
          .map((k) => ({ ...k.jwk, kid: k.kid, alg: SIGNATURE_ALG, use: 'sig' })),
      );
    return c.json({ keys });
  });

  return app;
}
