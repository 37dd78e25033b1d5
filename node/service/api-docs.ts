/**
 * The node's API document (GET /openapi.json) and reference page (GET /docs): what the routes do
 * not say themselves. Each route describes itself beside its handler (describeRoute); the
 * bodies are node/api's schemas, the ones the routes answer with and the CLI parses.
 */
import { named, type ContentDoc, type OpenApiOptions } from '../../platform/http/openapi/index.js';
import { bearerTokenScheme } from '../../platform/http/openapi/security-schemes.js';
import { ProblemSchema } from '../api/problem.js';
import { PROGRESS_MEDIA_TYPE } from './progress-stream.js';

/** The security scheme of every route but /v1/health. */
export const ADMIN = 'adminToken';
export const ADMIN_ONLY = { [ADMIN]: [] } as const;

/** Refusals of a route that calls the keyholders or the hub. */
export const UPSTREAM_PROBLEMS = {
  502: 'the keyholders’ or the hub’s answer is refused, or the hub refused the request (its code passed on)',
  503: 'the keyholders or the hub do not answer; a retry may help',
} as const;

/** The progress stream of import and publish (progress-stream.ts). */
export const PROGRESS_CONTENT: ContentDoc = {
  [PROGRESS_MEDIA_TYPE]: {
    schema: {
      type: 'string',
      description:
        'With `Accept: application/x-ndjson`: one JSON object a line, `{"progress":{"phase","done","total"}}` as the work goes, and last `{"status","body"}` — the status and body the plain request would have answered.',
    },
  },
};

export const NODE_API_DOCS: OpenApiOptions = {
  title: 'Safe Policing Exchange agency node',
  version: 'v1',
  description:
    'The agency node’s local API (docs/node.md “API”), for the agency’s tools and the `spx node` CLI: import records, publish statements, check candidates, read the inbox and the transparency-log monitor. ' +
    'Listens on loopback by default. Errors are problem+json with a `code` and per-field `errors`.',
  tags: [
    { name: 'service', description: 'Health and the node’s counts.' },
    { name: 'records', description: 'Importing the agency’s records and publishing statements.' },
    { name: 'checks', description: 'Checking a candidate.' },
    {
      name: 'compliance',
      description: 'Period certifications and the chief’s credential affirmation.',
    },
    { name: 'transparency log', description: 'The node as a monitor of the hub’s log.' },
    { name: 'inbox', description: 'Messages from the hub’s mailbox.' },
    { name: 'monitoring', description: 'Continuous monitoring of the agency’s officers.' },
    { name: 'users', description: 'The console’s named users (`spx node user`).' },
  ],
  securitySchemes: {
    [ADMIN]: bearerTokenScheme(
      'The node’s admin token (`SPX_NODE_ADMIN_TOKEN`) in `Authorization: Bearer <token>`, compared in constant time.',
      'the token is missing (`ADMIN_TOKEN_MISSING`) or wrong (`ADMIN_TOKEN_INVALID`); with `WWW-Authenticate: Bearer`',
    ),
  },
  problem: named('Problem', ProblemSchema),
  commonProblems: {
    500: 'an unexpected failure (`INTERNAL_ERROR`); the body says nothing of its cause',
  },
};
