/**
 * The service's OpenAPI 3.1 document, built from its app: every route that carries a
 * describeRoute middleware (route-doc.ts) becomes an operation, its zod schemas converted by
 * `z.toJSONSchema` (JSON Schema 2020-12, OpenAPI 3.1's dialect) in `input` mode — what a client
 * may send, and what the service answers (its answers are typed `Sent<typeof Schema>`, the
 * schema's input, and its clients parse them with the same schema).
 */
import type { RouterRoute } from 'hono/types';
import {
  routeDocOf,
  type ContentDoc,
  type JsonSchema,
  type NamedSchema,
  type ParameterDoc,
  type RouteDoc,
} from './route-doc.js';
import { SchemaConverter } from './schema-converter.js';

export interface SecuritySchemeDoc {
  /** An OpenAPI Security Scheme Object. */
  readonly scheme: JsonSchema;
  /** Refusals of a request that fails it, status → when. */
  readonly problems: Readonly<Record<number, string>>;
}

export interface OpenApiOptions {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** In the order of the reference page; a route without tags goes under the first. */
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeDoc>>;
  /** The problem+json body (docs/protocol.md §8). */
  readonly problem: NamedSchema;
  /** Refusals any route may answer (500, 503 …), status → when. */
  readonly commonProblems: Readonly<Record<number, string>>;
}

export type OpenApiDocument = {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: {
    readonly schemas: Record<string, JsonSchema>;
    readonly securitySchemes: Record<string, JsonSchema>;
  };
};

type Operation = Record<string, unknown>;

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Problems of a JSON request body read by readJsonBody (platform/http/json-body.ts). */
const JSON_BODY_PROBLEMS: Readonly<Record<number, string>> = {
  400: 'the body is not a JSON object (`MALFORMED_JSON`) or breaks its schema (`VALIDATION_FAILED`, with `errors[]`)',
  413: 'the body exceeds the route’s limit (`PAYLOAD_TOO_LARGE`)',
  415: 'the body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`)',
};

/** `/v1/registry/agencies/:ori` → `/v1/registry/agencies/{ori}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}');
}

/** `post /v1/log/alerts/{id}/resolve` → `postLogAlertsByIdResolve`. */
function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s !== '' && s !== 'v1')
    .flatMap((s) => (s.startsWith('{') ? ['by', s.slice(1, -1)] : s.split(/[^A-Za-z0-9]+/)))
    .filter((w) => w !== '');
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function problemResponses(
  statuses: Readonly<Record<number, string>>,
  problem: NamedSchema,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, when] of Object.entries(statuses)) {
    out[status] = {
      description: when,
      content: {
        [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `#/components/schemas/${problem.name}` } },
      },
    };
  }
  return out;
}

/** Merges refusal tables; two reasons for one status are both kept. */
function mergeProblems(
  ...tables: readonly (Readonly<Record<number, string>> | undefined)[]
): Record<number, string> {
  const out: Record<number, string> = {};
  for (const table of tables) {
    for (const [status, when] of Object.entries(table ?? {})) {
      const key = Number(status);
      out[key] = out[key] === undefined ? when : `${out[key]}; ${when}`;
    }
  }
  return out;
}

function isJsonBody(content: ContentDoc): boolean {
  return Object.keys(content).some((t) => t === 'application/json' || t.endsWith('+json'));
}

/** What the document reads of an app: its routes, with the handlers they run. */
export interface RoutedApp {
  readonly routes: readonly RouterRoute[];
}

export function openApiDocument(app: RoutedApp, options: OpenApiOptions): OpenApiDocument {
  const described: { method: string; path: string; doc: RouteDoc }[] = [];
  for (const route of app.routes) {
    const doc = routeDocOf(route.handler);
    if (doc === undefined || route.method === 'ALL') continue;
    described.push({ method: route.method.toLowerCase(), path: openApiPath(route.path), doc });
  }

  const schemas = new SchemaConverter();
  schemas.register(options.problem);
  for (const { doc } of described) {
    for (const c of [
      doc.requestBody?.content,
      ...Object.values(doc.responses).map((r) => r.content),
    ])
      for (const m of Object.values(c ?? {})) schemas.register(m.schema);
    for (const p of doc.parameters ?? []) schemas.register(p.schema);
  }
  schemas.convert(options.problem);

  const content = (c: ContentDoc) =>
    Object.fromEntries(
      Object.entries(c).map(([type, m]) => [
        type,
        {
          ...(m.schema === undefined ? {} : { schema: schemas.convert(m.schema) }),
          ...(m.examples === undefined ? {} : { examples: m.examples }),
        },
      ]),
    );

  const parameter = (p: ParameterDoc) => ({
    name: p.name,
    in: p.in,
    ...(p.description === undefined ? {} : { description: p.description }),
    required: p.in === 'path' ? true : (p.required ?? false),
    schema: p.schema === undefined ? { type: 'string' } : schemas.convert(p.schema),
  });

  const paths: Record<string, Record<string, Operation>> = {};
  const ids = new Set<string>();
  for (const { method, path, doc } of described) {
    const operations = (paths[path] ??= {});
    if (operations[method] !== undefined) throw new Error(`${method} ${path} described twice`);
    const id = operationId(method, path);
    if (ids.has(id)) throw new Error(`operationId ${id} repeated`);
    ids.add(id);

    const parameters = (doc.parameters ?? []).map(parameter);
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
      if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
        parameters.push(parameter({ name: name!, in: 'path' }));
      }
    }
    if (doc.query !== undefined) {
      const query = schemas.convert(doc.query) as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: query.required?.includes(name) ?? false,
          schema,
        });
      }
    }

    const schemeProblems = Object.keys(doc.security ?? {}).map((name) => {
      const scheme = options.securitySchemes[name];
      if (scheme === undefined) throw new Error(`${method} ${path}: no security scheme ${name}`);
      return scheme.problems;
    });
    const bodyProblems =
      doc.requestBody !== undefined && isJsonBody(doc.requestBody.content)
        ? JSON_BODY_PROBLEMS
        : undefined;
    const problems = mergeProblems(
      bodyProblems,
      ...schemeProblems,
      doc.problems,
      options.commonProblems,
    );
    const responses: Record<string, unknown> = problemResponses(problems, options.problem);
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.headers === undefined
          ? {}
          : {
              headers: Object.fromEntries(
                Object.entries(r.headers).map(([h, d]) => [
                  h,
                  { description: d.description, schema: { type: 'string' } },
                ]),
              ),
            }),
        ...(r.content === undefined ? {} : { content: content(r.content) }),
      };
    }

    operations[method] = {
      operationId: id,
      summary: doc.summary,
      ...(doc.description === undefined ? {} : { description: doc.description }),
      tags: doc.tags ?? [options.tags[0]!.name],
      security:
        doc.security === undefined
          ? []
          : [Object.fromEntries(Object.entries(doc.security).map(([k, roles]) => [k, [...roles]]))],
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(doc.requestBody === undefined
        ? {}
        : {
            requestBody: {
              ...(doc.requestBody.description === undefined
                ? {}
                : { description: doc.requestBody.description }),
              required: doc.requestBody.required ?? true,
              content: content(doc.requestBody.content),
            },
          }),
      responses: Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
      ),
    };
  }

  const sortedPaths = Object.fromEntries(
    Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, description: options.description },
    tags: options.tags,
    paths: sortedPaths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(schemas.components).sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
      securitySchemes: Object.fromEntries(
        Object.entries(options.securitySchemes).map(([k, s]) => [k, s.scheme]),
      ),
    },
  };
}
