/**
 * The CLI's side of the node's local API (node/api): bearer token, JSON or CSV bodies, every
 * answer parsed with its route's schema, and problem+json answers turned into `NodeApiError`s
 * carrying the problem (its per-field `errors`; an import rejection's `issues`). A node of
 * another version whose answer does not fit is RESPONSE_INVALID, naming the members at fault.
 */
import { CodedError, type CodedErrorOptions } from '../../crypto/errors.js';
import type { z } from 'zod';
import { fieldErrorsFromZod } from '../../protocol/problem.js';
import {
  CertifyResponseSchema,
  AffirmResponseSchema,
  type AffirmRequest,
  type AffirmResponse,
  type CertifyRequest,
  type CertifyResponse,
  CheckResponseSchema,
  InboxListResponseSchema,
  InboxPollResponseSchema,
  type InboxListResponse,
  type InboxPollResponse,
  ImportResponseSchema,
  LogStatusResponseSchema,
  MonitorResultSchema,
  MonitoringStatusResponseSchema,
  MonitoringSyncResponseSchema,
  ProblemSchema,
  PublishResponseSchema,
  ResolveAlertResponseSchema,
  StatusResponseSchema,
  type CheckBody,
  type CheckResponse,
  type ImportKind,
  type ImportResponse,
  type LogStatusResponse,
  type MonitorResponse,
  type MonitoringStatusResponse,
  type MonitoringSyncResponse,
  type NodeProblem,
  type PublishRequest,
  type PublishResponse,
  type ResolveAlertResponse,
  type StatusResponse,
  UserListSchema,
  UserViewSchema,
  type NewUserBody,
  type UserViewBody,
} from '../api/index.js';

export interface NodeApiClientOptions {
  readonly url: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  /** Sees each refusal's problem+json before it is thrown (the CLI's --json prints it). */
  readonly onProblem?: (problem: NodeProblem) => void;
}

export class NodeApiError extends CodedError {
  /** HTTP status of the answer, when one arrived. */
  readonly status: number | undefined;
  /** The node's problem+json, when it answered one (its field errors, an import's issues). */
  readonly problem: NodeProblem | undefined;

  constructor(
    code: string,
    message: string,
    options: CodedErrorOptions & {
      readonly status?: number | undefined;
      /** The node's problem+json, when it answered one. */
      readonly problem?: NodeProblem | undefined;
    } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
    this.problem = options.problem;
  }
}

export interface NodeApiClient {
  status(): Promise<StatusResponse>;
  importCsv(kind: ImportKind, csv: Uint8Array, dryRun: boolean): Promise<ImportResponse>;
  publish(options: PublishRequest): Promise<PublishResponse>;
  /** POST /v1/certifications: certify a closed period at the hub. */
  certify(request: CertifyRequest): Promise<CertifyResponse>;
  /** POST /v1/credentials/affirmations: the chief's "in process" affirmation. */
  affirm(request: AffirmRequest): Promise<AffirmResponse>;
  check(body: CheckBody): Promise<CheckResponse>;
  /** GET /v1/log/status: the transparency-log monitor's state and open alerts. */
  logStatus(): Promise<LogStatusResponse>;
  /** POST /v1/log/monitor: one monitor pass now. */
  monitor(): Promise<MonitorResponse>;
  /** GET /v1/inbox: the messages fetched from the hub's mailbox, newest first. */
  inbox(limit: number): Promise<InboxListResponse>;
  /** POST /v1/inbox/poll: fetch the mailbox now. */
  pollInbox(): Promise<InboxPollResponse>;
  /** POST /v1/log/alerts/{id}/resolve. */
  resolveAlert(id: number): Promise<ResolveAlertResponse>;
  /** GET /v1/monitoring: the enrollments this node keeps at the hub. */
  monitoring(): Promise<MonitoringStatusResponse>;
  /** POST /v1/monitoring/sync: bring the enrollments in step with the roster now. */
  syncMonitoring(): Promise<MonitoringSyncResponse>;
  /** The console's users (node/api/users.ts). */
  users(): Promise<{ users: UserViewBody[] }>;
  addUser(body: NewUserBody): Promise<UserViewBody>;
  disableUser(login: string): Promise<UserViewBody>;
  resetPassword(login: string, password: string): Promise<UserViewBody>;
}

/** Members named when an answer does not fit its schema; the rest are counted. */
const SHOWN_FIELDS = 5;

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createNodeApiClient(options: NodeApiClientOptions): NodeApiClient {
  const base = options.url.replace(/\/+$/, '');
  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: { type: string; data: string | Uint8Array },
  ): Promise<z.output<S>> {
    let response: Response;
    try {
      response = await options.fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body ? { 'content-type': body.type } : {}),
        },
        ...(body
          ? { body: typeof body.data === 'string' ? body.data : new Blob([body.data.slice()]) }
          : {}),
      });
    } catch (e) {
      throw new NodeApiError(
        'NODE_UNREACHABLE',
        `cannot reach the node at ${base} (is \`spx node serve\` running?)`,
        { cause: e },
      );
    }
    const json = parseJson(await response.text());
    if (!response.ok) {
      const problem = ProblemSchema.safeParse(json);
      if (!problem.success) {
        throw new NodeApiError(`HTTP_${response.status}`, response.statusText, {
          status: response.status,
        });
      }
      options.onProblem?.(problem.data);
      const { code, detail } = problem.data;
      throw new NodeApiError(code, detail ?? response.statusText, {
        status: response.status,
        problem: problem.data,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const errors = fieldErrorsFromZod(parsed.error, json);
      const shown = errors.slice(0, SHOWN_FIELDS).map((e) => `${e.field || '$'} (${e.code})`);
      const more = errors.length > SHOWN_FIELDS ? ` and ${errors.length - SHOWN_FIELDS} more` : '';
      throw new NodeApiError(
        'RESPONSE_INVALID',
        `the node's answer to ${method} ${path.split('?')[0]} is not what this CLI reads: ${shown.join(', ')}${more} (a node of another version?)`,
        { status: response.status },
      );
    }
    return parsed.data;
  }
  const json = (value: unknown) => ({ type: 'application/json', data: JSON.stringify(value) });

  return {
    status: () => call(StatusResponseSchema, 'GET', '/v1/status'),
    importCsv: (kind, csv, dryRun) =>
      call(ImportResponseSchema, 'POST', `/v1/import/${kind}${dryRun ? '?dryRun=true' : ''}`, {
        type: 'text/csv; charset=utf-8',
        data: csv,
      }),
    publish: (o) => call(PublishResponseSchema, 'POST', '/v1/publish', json(o)),
    certify: (r) => call(CertifyResponseSchema, 'POST', '/v1/certifications', json(r)),
    affirm: (r) => call(AffirmResponseSchema, 'POST', '/v1/credentials/affirmations', json(r)),
    check: (body) => call(CheckResponseSchema, 'POST', '/v1/checks', json(body)),
    logStatus: () => call(LogStatusResponseSchema, 'GET', '/v1/log/status'),
    monitor: () => call(MonitorResultSchema, 'POST', '/v1/log/monitor'),
    inbox: (limit) => call(InboxListResponseSchema, 'GET', `/v1/inbox?limit=${limit}`),
    pollInbox: () => call(InboxPollResponseSchema, 'POST', '/v1/inbox/poll'),
    resolveAlert: (id) => call(ResolveAlertResponseSchema, 'POST', `/v1/log/alerts/${id}/resolve`),
    monitoring: () => call(MonitoringStatusResponseSchema, 'GET', '/v1/monitoring'),
    syncMonitoring: () => call(MonitoringSyncResponseSchema, 'POST', '/v1/monitoring/sync'),
    users: () => call(UserListSchema, 'GET', '/v1/users'),
    addUser: (body) => call(UserViewSchema, 'POST', '/v1/users', json(body)),
    disableUser: (login) =>
      call(UserViewSchema, 'POST', `/v1/users/${encodeURIComponent(login)}/disable`),
    resetPassword: (login, password) =>
      call(
        UserViewSchema,
        'POST',
        `/v1/users/${encodeURIComponent(login)}/password`,
        json({ password }),
      ),
  };
}
