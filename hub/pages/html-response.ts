/**
 * The headers of the hub's public pages (docs/hub.md "Public pages"). The pages are
 * server-rendered HTML with no script at all, so the Content-Security-Policy allows none: a
 * markup injection that slipped past the JSX escaping could still not run code, load a frame or
 * send a form elsewhere. Styles come from the hub's own stylesheet (no inline style), images are
 * inline SVG. A page is cached like the JSON it shows: a strong ETag over its bytes, revalidated
 * with If-None-Match (RFC 9110 §13.1.2).
 */
import { createHash } from 'node:crypto';

export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page and page error carries, beyond platform/http/response-headers.ts. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** A strong entity tag of a body's bytes, quoted. */
export function entityTag(bytes: Uint8Array | string): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison, as §13.1.2 requires). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export interface PageResponseOptions {
  readonly status?: number;
  /** Seconds a cache may keep the page; 0 makes it revalidate every time. */
  readonly maxAge: number;
  readonly ifNoneMatch?: string | undefined;
  readonly contentType?: string;
}

/** A page's response: its bytes, ETag, caching and security headers; 304 when unchanged. */
export function pageResponse(body: string, options: PageResponseOptions): Response {
  const bytes = new TextEncoder().encode(body);
  const etag = entityTag(bytes);
  const headers: Record<string, string> = {
    ...PAGE_SECURITY_HEADERS,
    'content-type': options.contentType ?? 'text/html; charset=utf-8',
    'cache-control':
      options.status === undefined || options.status === 200
        ? `public, max-age=${Math.max(0, Math.floor(options.maxAge))}`
        : 'no-store',
    etag,
  };
  if ((options.status ?? 200) === 200 && matchesEtag(options.ifNoneMatch, etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(bytes, { status: options.status ?? 200, headers });
}
