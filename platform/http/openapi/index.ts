/**
 * API documents (docs/api.md "API documents"): each service describes its routes beside them
 * (describeRoute) and serves what they make —
 *
 *   GET /openapi.json   the OpenAPI 3.1 document, built from the app's routes at first request
 *   GET /docs           the reference page rendered from it (HTML, no script)
 *
 * Both outside /v1: they describe the API rather than being part of it, and need no credentials
 * (the document holds nothing secret; the node serves them on its loopback-bound listener).
 */
import type { Env, Hono } from 'hono';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from './document.js';
import { REFERENCE_PAGE_CSP, renderReferencePage } from './reference-page.js';

export * from './route-doc.js';
export {
  openApiDocument,
  openApiPath,
  type OpenApiDocument,
  type OpenApiOptions,
  type RoutedApp,
  type SecuritySchemeDoc,
} from './document.js';
export { renderReferencePage } from './reference-page.js';

export const OPENAPI_PATH = '/openapi.json';
export const REFERENCE_PAGE_PATH = '/docs';

/** Registers GET /openapi.json and GET /docs on `app`, describing every route it has then. */
export function serveApiDocs<E extends Env>(app: Hono<E>, options: OpenApiOptions): void {
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const document = () => (doc ??= openApiDocument(app, options));
  app.get(OPENAPI_PATH, (c) => c.json(document()));
  app.get(REFERENCE_PAGE_PATH, (c) =>
    c.html((page ??= renderReferencePage(document())), 200, {
      'content-security-policy': REFERENCE_PAGE_CSP,
    }),
  );
}
