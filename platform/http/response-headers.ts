/**
 * Headers every response of a service carries, whatever route or error produced it:
 * - `X-Content-Type-Options: nosniff`, so that no client guesses a type other than the one sent
 *   (a problem+json or a CSV is never run as a script or page);
 * - with `noStore`, `Cache-Control: no-store` unless the route set its own: the node's answers
 *   hold an agency's records and its candidates' results, which no proxy or browser cache should
 *   keep (RFC 9111 §5.2.2.5);
 * - `Connection: close` on a refusal (4xx, 5xx) of a request that came with a body: the body may
 *   be unread (refused for its size, or before authentication), and a connection kept alive
 *   with unread bytes in it is closed by the server a moment later, under the client's next
 *   request ("socket hang up", every time, for the node's outbox resending at once after 413).
 *   Closing it at once makes the client open a new one.
 */
import type { MiddlewareHandler } from 'hono';

export function responseHeaders(options: { readonly noStore?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    if (options.noStore && !c.res.headers.has('cache-control')) {
      c.res.headers.set('cache-control', 'no-store');
    }
    const hasBody =
      (c.req.header('content-length') ?? '0') !== '0' ||
      c.req.header('transfer-encoding') !== undefined;
    if (c.res.status >= 400 && hasBody) c.res.headers.set('connection', 'close');
  };
}
