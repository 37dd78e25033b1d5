/**
 * Request bodies: a size limit enforced while reading (hono's bodyLimit, which also counts a
 * chunked body that has no Content-Length) and a strict JSON reader (docs/protocol.md §8.2).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { decodeJson, ProtocolError } from '../../protocol/decode.js';
import { problem } from '../../protocol/problem.js';
import { problemResponse } from './problem-response.js';

/** Rejects bodies over `maxBytes` with 413 PAYLOAD_TOO_LARGE problem+json. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () =>
      problemResponse(problem('PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes`)),
  });
}

/** `application/json` or a structured-syntax `+json` type (RFC 6839 §3.1), any parameters. */
function isJsonMediaType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

/**
 * Reads the body as JSON and validates it with `schema`; throws ProtocolError, which
 * `problemErrorHandler` turns into problem+json:
 * - UNSUPPORTED_MEDIA_TYPE (415) when Content-Type is not JSON;
 * - MALFORMED_JSON (400) when the bytes are not UTF-8 (RFC 8259 §8.1), not JSON, or not an
 *   object;
 * - VALIDATION_FAILED (400) with field errors when the schema rejects it.
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S>> {
  if (!isJsonMediaType(c.req.header('content-type'))) {
    throw new ProtocolError('UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json');
  }
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProtocolError('MALFORMED_JSON', 'body is not valid UTF-8');
  }
  return decodeJson(schema, text);
}
