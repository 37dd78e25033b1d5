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
  SIGNATURE_HEADER,
} from './operator.schemas.js';
import { COMPLIANCE_FORMATS, COMPLIANCE_MEDIA_TYPES } from '../compliance/compliance-encode.js';

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
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(
      new Request(`${BASE}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      }),
    );
  }
  /** The HubError of a response that is not ok: the refusal itself, or the channel failing. */
  function refusal(response: Response, json: unknown, route: string): HubError {
    const problem = OperatorProblemSchema.safeParse(json);
    if (problem.success && isRefusalCode(problem.data.code)) {
      const { code, detail, field, errors } = problem.data;
      return new HubError(code, detail ?? code, {
        ...(field === undefined ? {} : { field }),
        ...(errors === undefined ? {} : { errors }),
      });
    }
    const code = problem.success ? problem.data.code : `HTTP ${response.status}`;
    return new HubError(
      'OPERATOR_CHANNEL_FAILED',
      response.status >= 500
        ? `the running hub failed to carry out ${route} (${code}; its log has an unhandled_error line)`
        : `the running hub refused ${route} with ${code}: ${problem.data?.detail ?? response.statusText} (a hub of another version?)`,
    );
  }
  const unreadable = (route: string) =>
    new HubError(
      'OPERATOR_CHANNEL_FAILED',
      `the running hub's answer to ${route} is not what this CLI reads (a hub of another version?)`,
    );
  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await send(method, path, body);
    const json = parseJson(await response.text());
    const route = `${method} ${path.split('?')[0]}`;
    if (!response.ok) throw refusal(response, json, route);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw unreadable(route);
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
    complianceReport: async (query) => {
      const params = new URLSearchParams(
        Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      const route = 'GET /v1/compliance';
      const response = await send('GET', `/v1/compliance?${params}`);
      const body = await response.text();
      if (!response.ok) throw refusal(response, parseJson(body), route);
      const type = response.headers.get('content-type') ?? '';
      const format = COMPLIANCE_FORMATS.find((f) => COMPLIANCE_MEDIA_TYPES[f] === type);
      const signature = response.headers.get(SIGNATURE_HEADER);
      if (format === undefined || signature === null) throw unreadable(route);
      return { format, mediaType: type, body, signature };
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
