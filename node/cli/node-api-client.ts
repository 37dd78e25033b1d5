/**
 * The CLI's side of the node's local API (app.ts): bearer token, JSON or CSV bodies, and
 * problem+json answers turned into `NodeApiError`s carrying the problem body (whose `issues`
 * an import rejection lists row by row).
 */
import { CodedError, type CodedErrorOptions } from '../../crypto/errors.js';
import type { CheckBody } from '../service/check-route.js';

export interface NodeApiClientOptions {
  readonly url: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

export class NodeApiError extends CodedError {
  /** HTTP status of the answer, when one arrived. */
  readonly status: number | undefined;
  /** The problem body, whose `issues` an import rejection lists row by row. */
  readonly body: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: CodedErrorOptions & {
      readonly status?: number | undefined;
      readonly body?: Record<string, unknown> | undefined;
    } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
    this.body = options.body;
  }
}

export interface NodeApiClient {
  status(): Promise<Record<string, unknown>>;
  importCsv(
    kind: 'officers' | 'outcomes',
    csv: Uint8Array,
    dryRun: boolean,
  ): Promise<Record<string, unknown>>;
  publish(options: { retryRejected?: boolean }): Promise<Record<string, unknown>>;
  check(body: CheckBody): Promise<Record<string, unknown>>;
  /** GET /v1/log/status: the transparency-log monitor's state and open alerts. */
  logStatus(): Promise<Record<string, unknown>>;
  /** POST /v1/log/monitor: one monitor pass now. */
  monitor(): Promise<Record<string, unknown>>;
  /** POST /v1/log/alerts/{id}/resolve. */
  resolveAlert(id: number): Promise<Record<string, unknown>>;
}

export function createNodeApiClient(options: NodeApiClientOptions): NodeApiClient {
  const base = options.url.replace(/\/+$/, '');
  async function call(
    method: string,
    path: string,
    body?: { type: string; data: string | Uint8Array },
  ): Promise<Record<string, unknown>> {
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
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const obj =
      typeof json === 'object' && json !== null && !Array.isArray(json)
        ? (json as Record<string, unknown>)
        : undefined;
    if (!response.ok) {
      const code = typeof obj?.['code'] === 'string' ? obj['code'] : `HTTP_${response.status}`;
      const detail = typeof obj?.['detail'] === 'string' ? obj['detail'] : response.statusText;
      throw new NodeApiError(code, detail, { status: response.status, body: obj });
    }
    if (obj === undefined) {
      throw new NodeApiError('RESPONSE_INVALID', 'the node answered with no JSON object', {
        status: response.status,
      });
    }
    return obj;
  }

  return {
    status: () => call('GET', '/v1/status'),
    importCsv: (kind, csv, dryRun) =>
      call('POST', `/v1/import/${kind}${dryRun ? '?dryRun=true' : ''}`, {
        type: 'text/csv; charset=utf-8',
        data: csv,
      }),
    publish: (o) =>
      call('POST', '/v1/publish', { type: 'application/json', data: JSON.stringify(o) }),
    check: (body) =>
      call('POST', '/v1/checks', { type: 'application/json', data: JSON.stringify(body) }),
    logStatus: () => call('GET', '/v1/log/status'),
    monitor: () => call('POST', '/v1/log/monitor'),
    resolveAlert: (id) => call('POST', `/v1/log/alerts/${id}/resolve`),
  };
}
