/**
 * A route's description in the service's OpenAPI 3.1 document (docs/api.md "API documents"),
 * kept beside the route it describes: `describeRoute(doc)` is a middleware that does nothing at
 * run time and carries `doc`, and the document (document.ts) is built by walking the app's
 * routes (`app.routes`) for these middlewares — so a route and its description are registered
 * in one statement, and a route without one is found by the services' coverage tests.
 *
 * Bodies are described by the zod schemas the routes validate with (readJsonBody) and answer
 * with (`Sent<typeof Schema>`), converted by zod's own `z.toJSONSchema`; a schema given with a
 * name becomes a component (`#/components/schemas/<name>`). Raw JSON Schema is for the few
 * bodies no zod schema describes (text/plain checkpoints, CSV, compact JWS strings).
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';

/** A JSON Schema object, for bodies and parameters that no zod schema describes. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A zod schema under its component name (`#/components/schemas/<name>`). */
export interface NamedSchema {
  readonly name: string;
  readonly schema: z.ZodType;
}

export type SchemaDoc = NamedSchema | z.ZodType | JsonSchema;

export interface ExampleDoc {
  readonly summary: string;
  readonly value: unknown;
}

export interface MediaTypeDoc {
  readonly schema?: SchemaDoc;
  /** Each validates against `schema` (the services' document tests check it). */
  readonly examples?: Readonly<Record<string, ExampleDoc>>;
}

/** Media type → its body. */
export type ContentDoc = Readonly<Record<string, MediaTypeDoc>>;

export interface ParameterDoc {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description?: string;
  readonly required?: boolean;
  readonly schema?: SchemaDoc;
}

export interface ResponseDoc {
  readonly description: string;
  readonly content?: ContentDoc;
  readonly headers?: Readonly<Record<string, { readonly description: string }>>;
}

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  /** Groups on the reference page; default the document's first tag. */
  readonly tags?: readonly string[];
  /**
   * Who may call: security scheme name → the roles it needs (OpenAPI 3.1 §4.8.30 allows role
   * names for non-OAuth schemes). Absent: public.
   */
  readonly security?: Readonly<Record<string, readonly string[]>>;
  /** Path parameters not listed here are documented as plain strings. */
  readonly parameters?: readonly ParameterDoc[];
  /** A zod object whose members are the query parameters (optional members: optional). */
  readonly query?: z.ZodObject;
  readonly requestBody?: {
    readonly description?: string;
    /** Default true. */
    readonly required?: boolean;
    readonly content: ContentDoc;
  };
  /** Successful answers, and refusals with a body of their own. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /**
   * Refusals answered as problem+json (docs/protocol.md §8), status → when. Those of a JSON
   * request body (400, 413, 415), of the route's security scheme and of every route are added by
   * the document.
   */
  readonly problems?: Readonly<Record<number, string>>;
}

export const ROUTE_DOC = Symbol('spx.routeDoc');

export type DescribedMiddleware = MiddlewareHandler & { readonly [ROUTE_DOC]: RouteDoc };

/** A pass-through middleware carrying `doc`; put it first in the route's handlers. */
export function describeRoute(doc: RouteDoc): DescribedMiddleware {
  const middleware: MiddlewareHandler = (_c, next) => next();
  return Object.assign(middleware, { [ROUTE_DOC]: doc });
}

/** The description a route handler carries, if it is a describeRoute middleware. */
export function routeDocOf(handler: unknown): RouteDoc | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as Partial<DescribedMiddleware>)[ROUTE_DOC];
}

export function named(name: string, schema: z.ZodType): NamedSchema {
  return { name, schema };
}

/** An `application/json` body. */
export function json(
  schema: SchemaDoc,
  examples?: Readonly<Record<string, ExampleDoc>>,
): ContentDoc {
  return { 'application/json': examples === undefined ? { schema } : { schema, examples } };
}

/** GET /v1/health's answer on the hub and the keyholder. */
export const HealthSchema = z.strictObject({ status: z.literal('ok') });
