/**
 * HubOperations sent to the running hub over its operator API (operator.routes.ts), through any
 * fetch: `socketFetch(path)` in the CLI, an app's `request` in tests. A refusal comes back as
 * the same HubError the command raises without the socket (code, message, field, field errors),
 * so the CLI prints it the same way. Transport failures are the socket's PlatformErrors
 * (platform/operator-socket); anything else the hub answers that this client cannot use is
 * HubError OPERATOR_CHANNEL_FAILED.
 */
import type { z } from 'zod';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { RegistryEntrySchema } from '../../protocol/registry-entry.js';
import { CredentialingBodySchema } from '../../protocol/credentialing-body.js';
import { HubError } from '../errors.js';
import type { HubOperations } from './operations.js';
import {
  AgenciesResponseSchema,
  AuditResponseSchema,
  BodiesResponseSchema,
  StandingsResponseSchema,
  CertificationStatusResponseSchema,
  EpochStandingResponseSchema,
  ExpungeResponseSchema,
  isRefusalCode,
  OperatorProblemSchema,
} from './operator.schemas.js';

export type OperatorFetch = (request: Request) => Promise<Response>;

/** The URL's host is never looked at by the socket; it names what answers, for messages. */
const BASE = 'http://hub-operator';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function operatorClient(fetch: OperatorFetch): HubOperations {
  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await fetch(
      new Request(`${BASE}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      }),
    );
    const json = parseJson(await response.text());
    const route = `${method} ${path.split('?')[0]}`;
    if (!response.ok) {
      const problem = OperatorProblemSchema.safeParse(json);
      if (problem.success && isRefusalCode(problem.data.code)) {
        const { code, detail, field, errors } = problem.data;
        throw new HubError(code, detail ?? code, {
          ...(field === undefined ? {} : { field }),
          ...(errors === undefined ? {} : { errors }),
        });
      }
      const code = problem.success ? problem.data.code : `HTTP ${response.status}`;
      throw new HubError(
        'OPERATOR_CHANNEL_FAILED',
        response.status >= 500
          ? `the running hub failed to carry out ${route} (${code}; its log has an unhandled_error line)`
          : `the running hub refused ${route} with ${code}: ${problem.data?.detail ?? response.statusText} (a hub of another version?)`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new HubError(
        'OPERATOR_CHANNEL_FAILED',
        `the running hub's answer to ${route} is not what this CLI reads (a hub of another version?)`,
      );
    }
    return parsed.data;
  }
  const ori = (value: string) => `/v1/agencies/${encodeURIComponent(value)}`;
  const entry = (method: string, path: string, body: unknown): Promise<RegistryEntry> =>
    call(RegistryEntrySchema, method, path, body);

  return {
    enroll: (input) => entry('POST', '/v1/agencies', input),
    setStatus: (o, status) => entry('PUT', `${ori(o)}/status`, { status }),
    rotateKey: (o, jwk) => entry('POST', `${ori(o)}/keys`, { jwk }),
    listAgencies: async () => (await call(AgenciesResponseSchema, 'GET', '/v1/agencies')).agencies,
    audit: async ({ requester, limit }) => {
      const query = new URLSearchParams({
        ...(requester === undefined ? {} : { ori: requester }),
        limit: String(limit),
      });
      return (await call(AuditResponseSchema, 'GET', `/v1/audit?${query}`)).checks;
    },
    expunge: async (request) =>
      (await call(ExpungeResponseSchema, 'POST', '/v1/expungements', request)).expunged,
    epochStanding: async () =>
      (await call(EpochStandingResponseSchema, 'GET', '/v1/epochs')).epochs,
    certificationStatus: async (periods) => {
      const query = periods.map((p) => `period=${encodeURIComponent(p)}`).join('&');
      return (await call(CertificationStatusResponseSchema, 'GET', `/v1/certifications?${query}`))
        .certifications;
    },
    enrollBody: (input) => call(CredentialingBodySchema, 'POST', '/v1/bodies', input),
    setBodyStatus: (id, status) =>
      call(CredentialingBodySchema, 'PUT', `/v1/bodies/${encodeURIComponent(id)}/status`, {
        status,
      }),
    rotateBodyKey: (id, jwk) =>
      call(CredentialingBodySchema, 'POST', `/v1/bodies/${encodeURIComponent(id)}/keys`, { jwk }),
    listBodies: async () => (await call(BodiesResponseSchema, 'GET', '/v1/bodies')).bodies,
    credentialStandings: async (day) =>
      (
        await call(
          StandingsResponseSchema,
          'GET',
          `/v1/credential-standings?day=${encodeURIComponent(day)}`,
        )
      ).standings,
  };
}
