/**
 * The keyholder's API document (GET /openapi.json) and reference page (GET /docs): its three
 * routes' descriptions, used by app.ts beside each route, and what they share.
 */
import {
  describeRoute,
  HealthSchema,
  json,
  named,
  type OpenApiOptions,
} from '../platform/http/openapi/index.js';
import { requestTokenScheme } from '../platform/http/openapi/security-schemes.js';
import {
  tokenizationRequestExample,
  tokenizationResponseExample,
} from '../protocol/api-examples.js';
import { ProblemDetailsSchema } from '../protocol/problem.js';
import { KeyholderKeysSchema } from '../protocol/service-resources.js';
import { TokenizationRequestSchema, TokenizationResponseSchema } from '../protocol/tokenization.js';

const AGENCY = 'agency';

export const KEYHOLDER_API_DOCS: OpenApiOptions = {
  title: 'Safe Policing Exchange keyholder',
  version: 'v1',
  description:
    'A keyholder holds an OPRF key (or a t-of-n share of one) and evaluates agencies’ blinded elements, so that identifiers become tokens without the keyholder or the hub seeing them (docs/keyholder.md, docs/protocol.md §4). ' +
    'Errors are RFC 9457 problem details with a stable `code` (docs/protocol.md §8).',
  tags: [
    { name: 'service', description: 'Health and the public keys.' },
    { name: 'evaluation', description: 'Blind evaluation of an agency’s elements.' },
  ],
  securitySchemes: {
    [AGENCY]: requestTokenScheme(
      'an agency',
      'this keyholder’s base URL as the node calls it, normalized (docs/protocol.md §7.2.1)',
      'the agency is suspended (`AGENCY_SUSPENDED`), lacks the role (`ROLE_REQUIRED`), or its key is not admitted here (`AGENCY_NOT_ADMITTED`)',
    ),
  },
  problem: named('Problem', ProblemDetailsSchema),
  commonProblems: {
    500: 'an unexpected failure (`INTERNAL_ERROR`); the body says nothing of its cause',
    503: 'the registry cannot be read from the hub, or the evaluation queue is full or stopping (`UNAVAILABLE`); retry after `Retry-After`',
  },
};

export const healthDoc = describeRoute({
  summary: 'Liveness',
  tags: ['service'],
  responses: { 200: { description: 'the keyholder runs', content: json(HealthSchema) } },
});

export const keysDoc = describeRoute({
  summary: 'The suite and every key record’s public half',
  description:
    'Per epoch: this keyholder’s share index and public share, the key set’s public key, t and n, and whether it is active. A node pins these in its configuration or fetches them once.',
  tags: ['service'],
  responses: {
    200: {
      description: 'the published keys',
      content: json(named('KeyholderKeys', KeyholderKeysSchema)),
    },
  },
});

export const evaluateDoc = describeRoute({
  summary: 'Evaluate blinded elements under an epoch’s key',
  description:
    'A tokenization request (docs/protocol.md §4.3) → the evaluated elements with a DLEQ proof, within the agency’s daily quota. Checked in order: size, token, agency and admission, body, epoch, elements, queue room, quota; a refusal before the quota consumes nothing.',
  tags: ['evaluation'],
  security: { [AGENCY]: ['reporter', 'checker'] },
  requestBody: {
    content: json(named('TokenizationRequest', TokenizationRequestSchema), {
      two: { summary: 'two blinded elements', value: tokenizationRequestExample },
    }),
  },
  responses: {
    200: {
      description: 'the evaluation',
      content: json(named('TokenizationResponse', TokenizationResponseSchema), {
        two: { summary: 'two evaluated elements and a proof', value: tokenizationResponseExample },
      }),
    },
  },
  problems: {
    422: 'no active key for `epoch` (`EPOCH_UNKNOWN`), or an element is not a valid group element (`OPRF_ELEMENT_INVALID`)',
    429: 'the agency’s daily allowance is spent (`RATE_LIMITED`); `Retry-After` is the next UTC midnight',
  },
});
