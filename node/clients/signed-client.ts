/**
 * The node's one way of talking to another service: every request carries a fresh request
 * token (docs/protocol.md §7) bound to its method, path-and-query and exact body bytes; every
 * body sent is validated against the protocol schema first; every response is read with a size
 * bound and validated before anyone sees it; every failure becomes a ClientError that says
 * whether a retry may help.
 *
 * Redirects are never followed (`redirect: 'manual'`): the token is bound to one path of one
 * audience, and a redirect would carry the signed request and its body to a place the node
 * did not choose.
 */
import type { z } from 'zod';
import { utf8 } from '../../crypto/encoding.js';
import { isCryptoError } from '../../crypto/errors.js';
import { createRequestToken, formatAuthorization } from '../../crypto/request-auth/index.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { safeDecode } from '../../protocol/decode.js';
import { ProblemDetailsSchema, type FieldError } from '../../protocol/problem.js';
import {
  ClientError,
  isRetryableStatus,
  type ClientErrorDetails,
  type ServiceName,
} from './client-error.js';
import { parseRetryAfter } from './retry-after.js';
import { readBodyText, withDeadline } from '../../platform/http/deadline.js';

/** The agency this node speaks for: its ORI (the tokens' `iss`) and its registered key. */
export interface ClientIdentity {
  readonly ori: string;
  readonly key: SigningKey;
}

export interface ClientDeps {
  readonly identity: ClientIdentity;
  /** Injected so tests (and a whole federation in one process) can pass `app.request`. */
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  /** Fresh `jti` bytes for every token (§7.2). */
  readonly rng: (n: number) => Uint8Array;
  /** Whole exchange, request to last body byte. Default DEFAULT_TIMEOUT_MS. */
  readonly timeoutMs?: number | undefined;
  /** exp − iat of each token; default 60 s (§7.2), at most 300. */
  readonly tokenLifetimeSeconds?: number | undefined;
}

export interface ServiceEndpoint {
  readonly service: ServiceName;
  /** http(s) URL of the service; a path prefix (e.g. behind a gateway) is kept. */
  readonly baseUrl: string;
  /** The service's `aud` identifier (§7.2): `spx-hub` or `spx-keyholder` by default. */
  readonly audience: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Enough for every protocol message; the registry listing asks for more. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
/** Error bodies are small; a longer one is not read further. */
const MAX_PROBLEM_BYTES = 64 * 1024;

export interface CallOptions {
  readonly maxResponseBytes?: number;
}

export interface SignedClient {
  readonly endpoint: ServiceEndpoint;
  get<S extends z.ZodType>(path: string, schema: S, options?: CallOptions): Promise<z.output<S>>;
  /** GET of a text/plain resource (e.g. a signed note); the text is validated by `schema`. */
  getText<S extends z.ZodType<string>>(
    path: string,
    schema: S,
    options?: CallOptions,
  ): Promise<z.output<S>>;
  post<B extends z.ZodType, S extends z.ZodType>(
    path: string,
    bodySchema: B,
    body: z.input<B>,
    responseSchema: S,
    options?: CallOptions,
  ): Promise<z.output<S>>;
}

class Timeout extends Error {}
class TooLarge extends Error {}

export function createSignedClient(endpoint: ServiceEndpoint, deps: ClientDeps): SignedClient {
  const { service } = endpoint;
  const base = parseBaseUrl(endpoint);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (code: string, message: string, details: Partial<ClientErrorDetails> = {}) =>
    new ClientError(code, message, { service, retryable: false, ...details });

  async function exchange(
    method: 'GET' | 'POST',
    path: string,
    body: Uint8Array | undefined,
    maxBytes: number,
    accept = 'application/json, application/problem+json',
  ): Promise<{ response: Response; text: string | undefined }> {
    if (!path.startsWith('/v1/')) throw fail('REQUEST_INVALID', `path ${path} is not under /v1/`);
    // Relative resolution keeps a base path prefix; the token binds what URL will send.
    const url = new URL(path.slice(1), base);
    const target = url.pathname + url.search;
    let token: string;
    try {
      token = await createRequestToken({
        key: deps.identity.key,
        issuer: deps.identity.ori,
        audience: endpoint.audience,
        method,
        path: target,
        body,
        now: deps.now(),
        lifetimeSeconds: deps.tokenLifetimeSeconds,
        rng: deps.rng,
      });
    } catch (e) {
      // Our own configuration (ORI, audience, lifetime, rng) makes a token no service accepts.
      if (!isCryptoError(e)) throw e;
      throw fail('REQUEST_INVALID', `cannot sign the request: ${e.code}`, {
        errors: [{ field: e.field ?? 'token', code: 'invalid_value', message: e.message }],
        cause: e,
      });
    }
    const headers: Record<string, string> = {
      accept,
      authorization: formatAuthorization(token),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';

    try {
      return await withDeadline(
        timeoutMs,
        () => new Timeout(),
        async (signal) => {
          const response = await deps.fetch(url.href, {
            method,
            headers,
            body,
            redirect: 'manual',
            signal,
          });
          const read = await readBodyText(response, response.ok ? maxBytes : MAX_PROBLEM_BYTES);
          if (read.ok) return { response, text: read.text };
          // A success body too long is refused; an error body too long, or any body that is not
          // UTF-8, leaves the status alone to go by.
          if (read.reason === 'too_large' && response.ok) throw new TooLarge();
          return { response, text: undefined };
        },
      );
    } catch (e) {
      if (e instanceof Timeout) {
        throw fail('TIMEOUT', `${service} did not answer within ${timeoutMs} ms`, {
          retryable: true,
        });
      }
      if (e instanceof TooLarge) {
        throw fail('RESPONSE_TOO_LARGE', `${service} response exceeds ${maxBytes} bytes`);
      }
      if (e instanceof ClientError) throw e;
      throw new ClientError('NETWORK_ERROR', `${service} unreachable`, {
        service,
        retryable: true,
        cause: e,
      });
    }
  }

  function errorFrom(response: Response, text: string | undefined): ClientError {
    const { status } = response;
    const retryable = isRetryableStatus(status);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), deps.now());
    const parsed = text === undefined ? undefined : parseJson(text);
    const problem =
      parsed === undefined ? undefined : safeDecode(ProblemDetailsSchema, parsed.value);
    if (problem?.ok) {
      const errors = (problem.value.errors ?? []) as FieldError[];
      return new ClientError(problem.value.code, problem.value.detail, {
        service,
        status,
        errors,
        retryable,
        retryAfterSeconds,
      });
    }
    return new ClientError('HTTP_ERROR', `${service} answered HTTP ${status}`, {
      service,
      status,
      retryable,
      retryAfterSeconds,
    });
  }

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: Uint8Array | undefined,
    schema: S,
    options: CallOptions,
  ): Promise<z.output<S>> {
    const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const { response, text } = await exchange(method, path, body, maxBytes);
    if (response.status < 200 || response.status > 299) throw errorFrom(response, text);
    const parsed = text === undefined ? undefined : parseJson(text);
    if (parsed === undefined || typeof parsed.value !== 'object' || parsed.value === null) {
      throw fail('RESPONSE_INVALID', `${service} answered with a body that is not JSON`, {
        status: response.status,
      });
    }
    const decoded = safeDecode(schema, parsed.value);
    if (!decoded.ok) {
      throw fail('RESPONSE_INVALID', `${service} answered with an invalid message`, {
        status: response.status,
        errors: decoded.error.errors,
      });
    }
    return decoded.value;
  }

  async function callText<S extends z.ZodType<string>>(
    path: string,
    schema: S,
    options: CallOptions,
  ): Promise<z.output<S>> {
    const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const accept = 'text/plain, application/problem+json';
    const { response, text } = await exchange('GET', path, undefined, maxBytes, accept);
    if (response.status < 200 || response.status > 299) throw errorFrom(response, text);
    const decoded = text === undefined ? undefined : schema.safeParse(text);
    if (decoded === undefined || !decoded.success) {
      throw fail('RESPONSE_INVALID', `${service} answered with an invalid text body`, {
        status: response.status,
        errors: [{ field: '$', code: 'invalid_value', message: 'not the expected text' }],
      });
    }
    return decoded.data;
  }

  return {
    endpoint,
    get: (path, schema, options = {}) => call('GET', path, undefined, schema, options),
    getText: (path, schema, options = {}) => callText(path, schema, options),
    post(path, bodySchema, body, responseSchema, options = {}) {
      // Never emit what the peer must reject (protocol/decode.ts encodeMessage).
      const checked = safeDecode(bodySchema, body);
      if (!checked.ok) {
        const { errors } = checked.error;
        return Promise.reject(
          fail('REQUEST_INVALID', 'message fails its schema; not sent', { errors }),
        );
      }
      const bytes = utf8(JSON.stringify(checked.value));
      return call('POST', path, bytes, responseSchema, options);
    },
  };
}

function parseBaseUrl(endpoint: ServiceEndpoint): URL {
  let url: URL;
  try {
    url = new URL(endpoint.baseUrl);
  } catch {
    throw new ClientError('REQUEST_INVALID', 'baseUrl is not a URL', {
      service: endpoint.service,
      retryable: false,
      errors: [{ field: 'baseUrl', code: 'invalid_format', message: 'not a URL' }],
    });
  }
  if (!/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new ClientError('REQUEST_INVALID', 'baseUrl must be http(s)', {
      service: endpoint.service,
      retryable: false,
      errors: [{ field: 'baseUrl', code: 'invalid_value', message: 'http(s), no query' }],
    });
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
