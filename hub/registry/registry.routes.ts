/**
 * Public registry routes (docs/api.md §Registry): anyone — agencies, the keyholder, auditors —
 * may read which agencies are enrolled, their roles, status, contact and public keys. Nothing
 * here is secret: the registry is what makes statements attributable.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { protocolProblem } from '../../platform/http/problem-response.js';
import { ORI_PATTERN } from '../../protocol/common.js';
import { SIGNATURE_ALG } from '../../crypto/signing/keys.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { registryEntryExample } from '../../protocol/api-examples.js';
import { HubJwkSchema } from '../../protocol/check-evidence.js';
import { RegistryEntrySchema } from '../../protocol/registry-entry.js';
import { RegistryListingSchema } from '../../protocol/service-resources.js';
import type { RegistryService } from './registry.service.js';

const entry = named('RegistryEntry', RegistryEntrySchema);
const tags = ['registry'];

export function registryRoutes(registry: RegistryService): Hono {
  const app = new Hono();

  app.get(
    '/agencies',
    describeRoute({
      summary: 'Every registry entry',
      description: 'Every enrolled agency, suspended ones included, ordered by ORI.',
      tags,
      responses: {
        200: {
          description: 'the registry',
          content: json(named('RegistryListing', RegistryListingSchema), {
            one: { summary: 'one local agency', value: { agencies: [registryEntryExample] } },
          }),
        },
      },
    }),
    async (c) => c.json({ agencies: await registry.list() }),
  );

  const one = describeRoute({
    summary: 'One registry entry',
    tags,
    parameters: [{ name: 'ori', in: 'path', description: 'the agency’s ORI' }],
    responses: {
      200: {
        description: 'the entry',
        content: json(entry, { local: { summary: 'a local agency', value: registryEntryExample } }),
      },
    },
    problems: { 404: 'no agency with this ORI is enrolled (`NOT_FOUND`)' },
  });
  app.get('/agencies/:ori', one, async (c) => {
    const ori = c.req.param('ori');
    const entry = ORI_PATTERN.test(ori) ? await registry.find(ori) : undefined;
    if (entry === undefined) return protocolProblem('NOT_FOUND', `no agency ${ori.slice(0, 16)}`);
    return c.json(entry);
  });

  // RFC 7517 §5 JWK Set of the keys that may sign new statements and requests today: active
  // keys of active agencies. Retired keys and suspended agencies are in /agencies.
  const jwks = describeRoute({
    summary: 'Active keys of active agencies, as a JWK Set',
    description:
      'The keys that may sign new statements and requests today. To check that a key belongs to a statement’s issuer, read the agency’s entry.',
    tags,
    responses: {
      200: {
        description: 'an RFC 7517 JWK Set',
        content: json(z.object({ keys: z.array(HubJwkSchema) })),
      },
    },
  });
  app.get('/jwks', jwks, async (c) => {
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
