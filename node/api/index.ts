/**
 * The node's local API, one definition per body for the server (node/service) and its clients
 * (node/cli, the web pages): zod schemas that clients parse answers with, and whose input types
 * the routes must answer (`Sent<typeof XSchema>`), so a renamed member is a type error on both
 * sides. docs/node.md "API" describes them.
 *
 * Why schemas rather than hono's typed client (`hc<NodeApp>`): hc checks nothing at runtime, and
 * the CLI may talk to a node of another version; and import and publish answer through
 * progress-stream.ts as a plain Response, whose body hc cannot infer.
 */
import type { z } from 'zod';

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** What a route may send for a response schema (the domain's readonly values included). */
export type Sent<S extends z.ZodType> = DeepReadonly<z.input<S>>;

export * from './certify.js';
export * from './check.js';
export * from './import.js';
export * from './problem.js';
export * from './publish.js';
export * from './status.js';
export * from './tlog.js';
export * from './inbox.js';
export * from './monitoring.js';
export * from './affirm.js';
export * from './users.js';
