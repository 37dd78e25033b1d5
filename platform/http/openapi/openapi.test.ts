import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemDetailsSchema } from '../../../protocol/problem.js';
import {
  describeRoute,
  json,
  named,
  openApiDocument,
  serveApiDocs,
  type OpenApiDocument,
  type OpenApiOptions,
} from './index.js';
import {
  answerErrors,
  invalidExamples,
  openApiErrors,
  undocumentedRoutes,
} from './openapi.test-support.js';

const Item = z.strictObject({ id: z.int().min(1), name: z.string().max(20) });
const ItemList = z.strictObject({ items: z.array(Item).max(10) });

const options: OpenApiOptions = {
  title: 'Test <service>',
  version: 'v1',
  description: 'A service for the tests.',
  tags: [{ name: 'items', description: 'Items.' }],
  securitySchemes: {
    token: {
      scheme: { type: 'http', scheme: 'bearer', description: 'A token.' },
      problems: { 401: 'no token (`TOKEN_MISSING`)' },
    },
  },
  problem: named('Problem', ProblemDetailsSchema),
  commonProblems: { 500: 'a failure (`INTERNAL_ERROR`)' },
};

function testApp(example: unknown = { id: 1, name: 'one' }) {
  const app = new Hono();
  app.get(
    '/v1/items',
    describeRoute({
      summary: 'List items',
      query: z.object({ after: z.string().max(5).optional(), limit: z.string() }),
      responses: { 200: { description: 'the items', content: json(named('ItemList', ItemList)) } },
    }),
    (c) => c.json({ items: [] }),
  );
  app.post(
    '/v1/items/:id',
    describeRoute({
      summary: 'Replace <an> item',
      security: { token: ['writer'] },
      requestBody: {
        content: json(named('Item', Item), { one: { summary: 'one', value: example } }),
      },
      responses: {
        200: { description: 'stored', content: json(z.strictObject({ stored: Item })) },
      },
      problems: { 404: 'no such item (`NOT_FOUND`)' },
    }),
    (c) => c.json({ stored: { id: 1, name: 'one' } }),
  );
  app.delete('/v1/items/:id', (c) => c.body(null, 204));
  app.get('/', (c) => c.html('<p>a page</p>'));
  serveApiDocs(app, options);
  return app;
}

/** The members of an operation these tests read. */
interface Operation {
  readonly security: unknown;
  readonly parameters: unknown;
  readonly responses: Record<string, { content: Record<string, { schema: unknown }> }>;
}

function operation(doc: OpenApiDocument, path: string, method: string): Operation {
  return doc.paths[path]![method] as unknown as Operation;
}

async function documentOf(app: Hono): Promise<OpenApiDocument> {
  const res = await app.request('/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDocument;
}

describe('the OpenAPI document built from described routes', () => {
  it('is OpenAPI 3.1, with named zod schemas as components referenced where nested', async () => {
    const doc = await documentOf(testApp());
    expect(await openApiErrors(doc)).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Item', 'ItemList', 'Problem']);
    expect(doc.components.schemas['ItemList']).toMatchObject({
      properties: { items: { items: { $ref: '#/components/schemas/Item' } } },
    });
    // An unnamed schema is inlined; one nested in it would still be a reference.
    const put = operation(doc, '/v1/items/{id}', 'post');
    expect(put.responses['200']!.content['application/json']!.schema).toMatchObject({
      type: 'object',
      properties: { stored: { $ref: '#/components/schemas/Item' } },
    });
  });

  it('adds path and query parameters, and the refusals of its body, scheme and service', async () => {
    const doc = await documentOf(testApp());
    const get = operation(doc, '/v1/items', 'get');
    expect(get.parameters).toEqual([
      { name: 'after', in: 'query', required: false, schema: { type: 'string', maxLength: 5 } },
      { name: 'limit', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(get.security).toEqual([]);
    const post = operation(doc, '/v1/items/{id}', 'post');
    expect(post.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(post.security).toEqual([{ token: ['writer'] }]);
    expect(Object.keys(post.responses)).toEqual(['200', '400', '401', '404', '413', '415', '500']);
    expect(post.responses['401']!.content['application/problem+json']!.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('names the API routes that are not described, and not pages or its own routes', async () => {
    const app = testApp();
    expect(undocumentedRoutes(app, await documentOf(app))).toEqual(['DELETE /v1/items/{id}']);
  });

  it('finds an example that breaks its schema', async () => {
    expect(invalidExamples(await documentOf(testApp()))).toEqual([]);
    const bad = invalidExamples(await documentOf(testApp({ id: 0, name: 'one', extra: true })));
    expect(bad.map((b) => b.where)).toEqual([
      'POST /v1/items/{id} request application/json example one',
    ]);
  });

  it('holds an answer to the status, media type and schema the document gives it', async () => {
    const doc = await documentOf(testApp());
    const answer = (body: unknown, status = 200, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
    expect(await answerErrors(doc, 'GET', '/v1/items', answer({ items: [] }))).toEqual([]);
    expect(await answerErrors(doc, 'GET', '/v1/items', answer({ items: [{ id: 0 }] }))).not.toEqual(
      [],
    );
    expect(await answerErrors(doc, 'GET', '/v1/items', answer({}, 202))).toEqual([
      'GET /v1/items does not describe 202',
    ]);
    expect(await answerErrors(doc, 'GET', '/v1/items', answer({}, 200, 'text/csv'))).toEqual([
      'GET /v1/items 200 does not describe text/csv',
    ]);
    const problem = {
      type: 'about:blank',
      title: 'x',
      status: 401,
      detail: 'x',
      code: 'TOKEN_MISSING',
    };
    expect(
      await answerErrors(
        doc,
        'POST',
        '/v1/items/{id}',
        answer(problem, 401, 'application/problem+json'),
      ),
    ).toEqual([]);
  });

  it('refuses a schema that JSON Schema cannot express rather than describing it as anything', () => {
    const app = new Hono();
    app.get(
      '/v1/dates',
      describeRoute({
        summary: 'A date object',
        responses: { 200: { description: 'x', content: json(z.object({ at: z.date() })) } },
      }),
      (c) => c.json({}),
    );
    expect(() => openApiDocument(app, options)).toThrow();
  });

  it('serves a reference page without script, its text escaped, under a strict policy', async () => {
    const res = await testApp().request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<title>Test &lt;service&gt; — API reference</title>');
    expect(page).toContain('Replace &lt;an&gt; item');
    expect(page).toContain('<code>/v1/items/{id}</code>');
    expect(page).toContain('href="#schema-ItemList"');
    expect(page).not.toMatch(/<script/i);
  });
});
