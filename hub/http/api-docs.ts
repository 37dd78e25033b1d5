/**
 * The hub's API document (GET /openapi.json) and reference page (GET /docs): what the routes
 * do not say themselves — title, groups, who may call, the problem body, the refusals every
 * route may answer. Each route describes itself beside its handler (describeRoute).
 */
import { named, type OpenApiOptions } from '../../platform/http/openapi/index.js';
import { requestTokenScheme } from '../../platform/http/openapi/security-schemes.js';
import { ProblemDetailsSchema } from '../../protocol/problem.js';

/** Security scheme names used by the hub's routes. */
export const AGENCY = 'agency';
export const CREDENTIALING_BODY = 'credentialingBody';

export const HUB_API_DOCS: OpenApiOptions = {
  title: 'Safe Policing Exchange hub',
  version: 'v1',
  description:
    'The hub holds agencies’ tokenized, signed statements, answers hiring checks, keeps the transparency log and publishes statistics (docs/api.md). ' +
    'Bodies are JSON validated in full against the protocol’s schemas (docs/protocol.md §5): unknown members are refused. ' +
    'Errors are RFC 9457 problem details with a stable `code` (docs/protocol.md §8).',
  tags: [
    { name: 'service', description: 'Health, keys and the epochs served.' },
    { name: 'registry', description: 'The participating agencies, their roles and keys.' },
    { name: 'statements', description: 'Intake of agencies’ signed attestations.' },
    { name: 'checks', description: 'Hiring checks against the statements held.' },
    { name: 'mailbox', description: 'Messages the hub keeps for an agency.' },
    { name: 'monitoring', description: 'Continuous monitoring of an agency’s officers.' },
    { name: 'certifications', description: 'Agencies’ signed period certifications.' },
    { name: 'credentials', description: 'Credentialing bodies’ credentials and revocations.' },
    { name: 'transparency log', description: 'The append-only log and its proofs.' },
    { name: 'statistics', description: 'The public statistics release.' },
  ],
  securitySchemes: {
    [AGENCY]: requestTokenScheme(
      'an agency',
      '`spx-hub`',
      'the agency is suspended (`AGENCY_SUSPENDED`) or lacks the operation’s role (`ROLE_REQUIRED`)',
    ),
    [CREDENTIALING_BODY]: requestTokenScheme(
      'a credentialing body (`iss` its id, docs/protocol.md §5.16.2)',
      '`spx-hub`',
      'the caller is not an enrolled credentialing body (`BODY_REQUIRED`), or the body is suspended or retired (`BODY_SUSPENDED`)',
    ),
  },
  problem: named('Problem', ProblemDetailsSchema),
  commonProblems: {
    500: 'an unexpected failure (`INTERNAL_ERROR`); the body says nothing of its cause',
    503: 'the database does not answer (`UNAVAILABLE`); retry after `Retry-After`',
  },
};
