/**
 * JSON data as signed: I-JSON (RFC 7493) values serialised with the JSON
 * Canonicalization Scheme (RFC 8785, through the `canonicalize` package).
 *
 * JCS is only defined over I-JSON, so before serialising we check that a value
 * really is plain JSON data: no `undefined`, functions, symbols, BigInts, class
 * instances (a Date would be silently turned into a string by `toJSON`), no
 * non-finite numbers (RFC 8785 §3.2.2.3) and no lone surrogates (RFC 7493 §2.1),
 * which would otherwise give one statement two meanings across languages.
 */
import canonicalizeModule from 'canonicalize';
import { CryptoError } from '../errors.js';
import { fromUtf8, utf8 } from '../encoding.js';

// The package is CommonJS (`module.exports = serialize`) but ships an ES-style
// `export default` declaration; under NodeNext the default import is the function
// at run time while TypeScript types it as the module. Say what it really is.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [member: string]: JsonValue;
}

/** Nesting bound: keeps hostile input from exhausting the stack (arrays and objects count). */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The path (e.g. `$.outcome.dates[2]`) of the first part of `value` that is not
 * I-JSON data, or undefined when all of it is.
 */
export function findNonJson(value: unknown, path = '$', depth = 0): string | undefined {
  switch (typeof value) {
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : path;
    case 'string':
      return LONE_SURROGATE.test(value) ? path : undefined;
    case 'object':
      break;
    default:
      return path;
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findNonJson(value[i], `${path}[${i}]`, depth + 1);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return path;
  for (const [name, member] of Object.entries(value)) {
    const memberPath = `${path}.${name}`;
    if (LONE_SURROGATE.test(name)) return memberPath;
    const bad = findNonJson(member, memberPath, depth + 1);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !findNonJson(value)
  );
}

/**
 * RFC 8785 canonical form of an I-JSON value. Throws STATEMENT_NOT_JSON, with
 * `field` naming the offending path, for anything that is not plain JSON data.
 */
export function canonicalJson(value: unknown): string {
  const bad = findNonJson(value);
  if (bad !== undefined) {
    throw new CryptoError('STATEMENT_NOT_JSON', `not I-JSON data at ${bad}`, { field: bad });
  }
  // canonicalize returns undefined only for undefined/functions/symbols, excluded above.
  return canonicalize(value) as string;
}

/** UTF-8 bytes of the RFC 8785 canonical form: what is signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}

/**
 * Parses received bytes as an I-JSON object: fatal UTF-8, JSON.parse, object at
 * the top, every value I-JSON. Returns undefined instead of throwing; the caller
 * checks canonical form separately (it is a different failure).
 */
export function parseJsonObject(bytes: Uint8Array): JsonObject | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch {
    return undefined;
  }
  return isJsonObject(parsed) ? parsed : undefined;
}
