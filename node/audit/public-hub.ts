/**
 * The hub's public endpoints as an outside auditor reaches them: plain GETs, no account and no
 * request token (node/clients/signed-client.ts signs every request with an agency's key, which
 * an auditor does not have). The edge of node/audit: fetch is injected, every answer is read
 * with a size bound and a deadline, redirects are not followed, and nothing is interpreted
 * here — the audit checks what comes back.
 */
import type { AuditSource } from './audit-log.js';
import { ok } from '../../crypto/result.js';
import { refused, type Parsed } from './trust-input.js';
import { readBodyText, withDeadline } from '../../platform/http/deadline.js';
import {
  ClientError,
  isClientError,
  isRetryableStatus,
  type ClientErrorCode,
} from '../clients/client-error.js';

export const DEFAULT_AUDIT_TIMEOUT_MS = 30_000;
/** A note with its signature and up to ~100 cosignatures is far below this. */
const MAX_TEXT_BYTES = 64 * 1024;
/** 1000 entries of at most 8192 characters, with the page's JSON around them. */
const MAX_PAGE_BYTES = 16 << 20;

/**
 * An unusable answer, as the node's own hub client reports one (a ClientError of the hub):
 * its message is safe to print (status, bound, deadline, error code).
 */
const requestFailed = (
  code: ClientErrorCode,
  message: string,
  options: { retryable?: boolean; status?: number } = {},
) => new ClientError(code, message, { service: 'hub', retryable: false, ...options });

/** `--hub-url`: http(s), no query or fragment; a path prefix (behind a gateway) is kept. */
export function parseHubUrl(text: string): Parsed<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refused('hub-url', 'not a URL');
  }
  if (!/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    return refused('hub-url', 'an http(s) URL without query or fragment');
  }
  if (url.username !== '' || url.password !== '') {
    return refused('hub-url', 'no user name or password in the URL');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return ok(url);
}

export interface PublicHubDeps {
  readonly fetch: typeof fetch;
  /** Whole exchange, request to last body byte. */
  readonly timeoutMs?: number | undefined;
}

export function publicHubSource(base: URL, deps: PublicHubDeps): AuditSource {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;

  async function get(path: string, accept: string, maxBytes: number): Promise<string> {
    const url = new URL(path, base);
    return withDeadline(
      timeoutMs,
      () => requestFailed('TIMEOUT', `no answer within ${timeoutMs} ms`, { retryable: true }),
      async (signal) => {
        const response = await deps
          .fetch(url.href, { headers: { accept }, redirect: 'manual', signal })
          .catch((e: unknown) => {
            if (isClientError(e)) throw e;
            throw requestFailed('NETWORK_ERROR', `network error${causeCode(e)}`, {
              retryable: true,
            });
          });
        if (response.status !== 200) {
          await response.body?.cancel().catch(() => {});
          const { status } = response;
          throw requestFailed('HTTP_ERROR', `HTTP ${status}`, {
            status,
            retryable: isRetryableStatus(status),
          });
        }
        const read = await readBodyText(response, maxBytes);
        if (read.ok) return read.text;
        throw read.reason === 'too_large'
          ? requestFailed('RESPONSE_TOO_LARGE', `the answer exceeds ${maxBytes} bytes`)
          : requestFailed('RESPONSE_INVALID', 'the answer is not UTF-8');
      },
    );
  }

  const getJson = async (path: string, maxBytes: number): Promise<unknown> => {
    const text = await get(path, 'application/json', maxBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw requestFailed('RESPONSE_INVALID', 'the answer is not JSON');
    }
  };

  return {
    checkpoint: () => get('v1/log/checkpoint', 'text/plain', MAX_TEXT_BYTES),
    entries: (start, end) => getJson(`v1/log/entries?start=${start}&end=${end}`, MAX_PAGE_BYTES),
    hubKeys: () => getJson('v1/hub/keys', MAX_TEXT_BYTES),
  };
}

/** ` (ECONNREFUSED)` and the like: a system error code, never a message that could echo data. */
function causeCode(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code)
    ? ` (${cause.code})`
    : '';
}
