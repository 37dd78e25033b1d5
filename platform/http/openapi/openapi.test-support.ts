/**
 * What each service's API-document test asserts (hub/app-openapi.test.ts, keyholder/…,
 * node/service/…):
 * - every API route — every route under `/v1/` or `/.well-known/`, whatever its method — is in
 *   the document with that method (pages and the two document routes themselves are outside
 *   both and are not API routes);
 * - the document is OpenAPI 3.1 by the OpenAPI Initiative's schema
 *   (@seriousme/openapi-schema-validator);
 * - every example validates against the schema of its media type (Ajv, JSON Schema 2020-12,
 *   formats checked).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument, RoutedApp } from './document.js';
import { openApiPath } from './document.js';

/** Whether a route path is part of the API the document must describe. */
export function isApiPath(path: string): boolean {
  return path.startsWith('/v1/') || path.startsWith('/.well-known/');
}

/** `METHOD /path` of every API route of `app` that the document lacks, sorted. */
export function undocumentedRoutes(app: RoutedApp, doc: OpenApiDocument): string[] {
  const missing = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || !isApiPath(route.path)) continue;
    const path = openApiPath(route.path);
    if (doc.paths[path]?.[route.method.toLowerCase()] === undefined) {
      missing.add(`${route.method} ${path}`);
    }
  }
  return [...missing].sort();
}

/** `METHOD /path` of every operation in the document. */
export function documentedOperations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/** The OpenAPI schema validator's complaints, empty when the document is valid 3.1. */
export async function openApiErrors(doc: OpenApiDocument): Promise<unknown[]> {
  const validator = new Validator({ strict: false });
  const result = await validator.validate(structuredClone(doc) as Record<string, unknown>);
  if (result.valid) return [];
  return Array.isArray(result.errors) ? result.errors : [result.errors];
}

interface Example {
  readonly where: string;
  readonly schema: unknown;
  readonly value: unknown;
}

type Content = Record<string, { schema?: unknown; examples?: Record<string, { value: unknown }> }>;

interface OperationShape {
  readonly requestBody?: { readonly content?: Content };
  readonly responses?: Record<string, { readonly content?: Content }>;
}

/** Every example in the document with the schema of its media type. */
export function documentExamples(doc: OpenApiDocument): Example[] {
  const out: Example[] = [];
  const visit = (where: string, content: Content | undefined) => {
    for (const [type, media] of Object.entries(content ?? {})) {
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        out.push({
          where: `${where} ${type} example ${name}`,
          schema: media.schema,
          value: example.value,
        });
      }
    }
  };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops) as [string, OperationShape][]) {
      visit(`${method.toUpperCase()} ${path} request`, op.requestBody?.content);
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        visit(`${method.toUpperCase()} ${path} ${status}`, r.content);
      }
    }
  }
  return out;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** A validator of `schema` (a schema of `doc`, its component references resolved). */
function schemaValidator(doc: OpenApiDocument, schema: unknown) {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true }));
  // The components as $defs of the schema, so `#/components/schemas/X` resolves.
  const refs = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return ajv.compile({ $defs: refs(doc.components.schemas), ...(refs(schema) as object) });
}

/** Examples that break their schema, each with Ajv's errors; empty when all validate. */
export function invalidExamples(doc: OpenApiDocument): { where: string; errors: unknown }[] {
  const bad: { where: string; errors: unknown }[] = [];
  for (const example of documentExamples(doc)) {
    const validate = schemaValidator(doc, example.schema);
    if (!validate(example.value)) bad.push({ where: example.where, errors: validate.errors });
  }
  return bad;
}

/**
 * How a service's actual answer breaks what its document says of it: `[]` when the document
 * describes the status and media type, and the body validates against their schema.
 */
export async function answerErrors(
  doc: OpenApiDocument,
  method: string,
  path: string,
  res: Response,
): Promise<unknown[]> {
  const op = doc.paths[path]?.[method.toLowerCase()] as OperationShape | undefined;
  if (op === undefined) return [`${method} ${path} is not in the document`];
  const response = op.responses?.[String(res.status)];
  if (response === undefined) return [`${method} ${path} does not describe ${res.status}`];
  const type = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  const media = Object.entries(response.content ?? {}).find(
    ([t]) => t.split(';')[0]!.trim() === type,
  )?.[1];
  if (media === undefined) return [`${method} ${path} ${res.status} does not describe ${type}`];
  const validate = schemaValidator(doc, media.schema ?? {});
  const body: unknown = type.endsWith('json') ? await res.json() : await res.text();
  return validate(body) ? [] : (validate.errors ?? []);
}

/**
 * The tests every service's document passes, registered in the calling suite: `app` builds the
 * service with every optional feature on, so that every route it can have is registered.
 */
export function apiDocumentSuite(
  build: () => RoutedApp & { request(path: string): Response | Promise<Response> },
): void {
  const served = async () => {
    const app = build();
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    return { app, doc: (await res.json()) as OpenApiDocument };
  };

  it('describes every API route (under /v1/ and /.well-known/) with its method', async () => {
    const { app, doc } = await served();
    // A route added without a description fails here, named: describe it with describeRoute
    // (platform/http/openapi/route-doc.ts) beside its handler.
    expect(undocumentedRoutes(app, doc)).toEqual([]);
    expect(documentedOperations(doc).length).toBeGreaterThan(0);
  });

  it('is an OpenAPI 3.1 document by the OpenAPI Initiative’s schema', async () => {
    const { doc } = await served();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('has examples on its main bodies, each valid against its schema', async () => {
    const { doc } = await served();
    expect(documentExamples(doc).length).toBeGreaterThan(0);
    expect(invalidExamples(doc)).toEqual([]);
  });

  it('serves its reference page, naming every operation', async () => {
    const { app, doc } = await served();
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    for (const operation of documentedOperations(doc)) {
      const [method, path] = operation.split(' ');
      expect(page).toContain(
        `<span class="m">${method!.toLowerCase()}</span> <code>${path}</code>`,
      );
    }
  });
}
