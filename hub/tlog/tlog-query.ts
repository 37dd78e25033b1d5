/**
 * Query parameters of the public log endpoints (docs/api.md, "Transparency log"), parsed
 * strictly: decimal integers without sign or leading zero, base64url hashes, no unknown or
 * repeated parameter. A bad one is a VALIDATION_FAILED problem naming it. Sizes are checked
 * against the log's current size here too, so a request never reaches the node store with a
 * range the tree does not have.
 */
import { fromBase64url } from '../../crypto/encoding.js';
import { ProtocolError } from '../../protocol/decode.js';
import { MAX_LOG_ENTRIES_PAGE } from '../../protocol/tlog.js';
import type { FieldError, FieldErrorCode } from '../../protocol/problem.js';

/** All values of each query parameter, as hono's `c.req.queries()` returns them. */
export type QueryParams = Readonly<Record<string, readonly string[]>>;

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

function fail(field: string, code: FieldErrorCode, message: string): never {
  throw new ProtocolError('VALIDATION_FAILED', `${field}: ${message}`, {
    errors: [{ field, code, message }],
  });
}

function checkNames(query: QueryParams, allowed: readonly string[]): void {
  const errors: FieldError[] = [];
  for (const [name, values] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      errors.push({ field: name, code: 'unknown_field', message: 'unknown query parameter' });
    } else if (values.length > 1) {
      errors.push({ field: name, code: 'duplicate', message: 'given more than once' });
    }
  }
  if (errors.length > 0) throw new ProtocolError('VALIDATION_FAILED', 'bad query', { errors });
}

function one(query: QueryParams, name: string): string | undefined {
  return query[name]?.[0];
}

function integer(query: QueryParams, name: string): number | undefined {
  const text = one(query, name);
  if (text === undefined) return undefined;
  if (!DECIMAL.test(text)) fail(name, 'invalid_format', 'a decimal integer without sign');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) fail(name, 'too_big', 'beyond any log size');
  return n;
}

function required(query: QueryParams, name: string): number {
  const n = integer(query, name);
  if (n === undefined) fail(name, 'required', 'required');
  return n;
}

/** A size the tree has: at most `head`. */
function withinHead(name: string, n: number, head: number): number {
  if (n > head) fail(name, 'too_big', `beyond the log's current size ${head}`);
  return n;
}

export type InclusionQuery =
  | { readonly by: 'index'; readonly index: number; readonly size: number }
  | { readonly by: 'leafHash'; readonly leafHash: string; readonly size: number };

/** `?index=I&size=N` or `?leafHash=<base64url>&size=N`, with I < N ≤ head. */
export function parseInclusionQuery(query: QueryParams, head: number): InclusionQuery {
  checkNames(query, ['index', 'leafHash', 'size']);
  const size = withinHead('size', required(query, 'size'), head);
  if (size === 0) fail('size', 'too_small', 'the empty tree includes nothing');
  const index = integer(query, 'index');
  const leafHash = one(query, 'leafHash');
  if (index !== undefined && leafHash !== undefined) {
    fail('leafHash', 'not_allowed', 'give index or leafHash, not both');
  }
  if (leafHash !== undefined) {
    const bytes = fromBase64url(leafHash);
    if (bytes === undefined) fail('leafHash', 'invalid_encoding', 'not unpadded base64url');
    if (bytes.length !== 32) fail('leafHash', 'invalid_length', 'a leaf hash is 32 bytes');
    return { by: 'leafHash', leafHash, size };
  }
  if (index === undefined) fail('index', 'required', 'give index or leafHash');
  if (index >= size) fail('index', 'too_big', `a tree of size ${size} has indexes below ${size}`);
  return { by: 'index', index, size };
}

/** `?from=M&to=N` with 1 ≤ M ≤ N ≤ head (a proof from the empty tree proves nothing). */
export function parseConsistencyQuery(
  query: QueryParams,
  head: number,
): { readonly from: number; readonly to: number } {
  checkNames(query, ['from', 'to']);
  const from = required(query, 'from');
  const to = withinHead('to', required(query, 'to'), head);
  if (from === 0) fail('from', 'too_small', 'a proof from the empty tree proves nothing');
  if (from > to) fail('from', 'too_big', 'from is larger than to');
  return { from, to };
}

/** `?start=S&end=E`: entries [S, E), 0 ≤ S < E ≤ head, at most MAX_LOG_ENTRIES_PAGE of them. */
export function parseEntriesQuery(
  query: QueryParams,
  head: number,
): { readonly start: number; readonly end: number } {
  checkNames(query, ['start', 'end']);
  const start = required(query, 'start');
  const end = withinHead('end', required(query, 'end'), head);
  if (start >= end) fail('start', 'too_big', 'start must be below end');
  if (end - start > MAX_LOG_ENTRIES_PAGE) {
    fail('end', 'too_big', `at most ${MAX_LOG_ENTRIES_PAGE} entries per request`);
  }
  return { start, end };
}

/** A checkpoint size in a path, `/v1/log/checkpoints/{size}`. */
export function parseSizeParam(text: string): number {
  if (!DECIMAL.test(text)) fail('size', 'invalid_format', 'a decimal integer without sign');
  const n = Number(text);
  if (!Number.isSafeInteger(n)) fail('size', 'too_big', 'beyond any log size');
  return n;
}
