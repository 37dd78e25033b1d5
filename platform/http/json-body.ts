/**
 * Request bodies: a size limit and a strict JSON reader (docs/protocol.md §8.2).
 *
 * The limit reads nothing itself: a declared Content-Length over it is refused at once (the
 * HTTP parser delivers exactly the declared length), and a body without one (chunked) is
 * replaced by a stream that counts while it is read and fails past the limit. Whatever reads
 * the body — the authentication of platform/http/agency-auth.ts once the token is verified,
 * then the handler — reads it through `readRequestBody`, so a body is never read before it is
 * needed, nor beyond the limit, and a body cut short by a disconnect is never taken as whole.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { decodeJson, ProtocolError } from '../../protocol/decode.js';
import { problem } from '../../protocol/problem.js';
import { assertBodyComplete } from './client-abort.js';
import { problemResponse } from './problem-response.js';

function tooLargeDetail(maxBytes: number): string {
  return `request body exceeds ${maxBytes} bytes`;
}

/**
 * `source`, read only when read (no chunk is pulled ahead), failing with PAYLOAD_TOO_LARGE
 * (ProtocolError, 413) as soon as more than `maxBytes` arrived; the rest is then cancelled.
 */
export function boundedBody(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= source.getReader();
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        size += value.byteLength;
        if (size > maxBytes) {
          controller.error(new ProtocolError('PAYLOAD_TOO_LARGE', tooLargeDetail(maxBytes)));
          void reader.cancel().catch(() => undefined);
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return (reader ?? source).cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Refuses a body declared larger than `maxBytes` with 413 PAYLOAD_TOO_LARGE problem+json, and
 * bounds the reading of any other (a chunked body fails with the same 413 once it exceeds it).
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      // The HTTP parser delivers exactly the declared length: nothing more to count.
      if (Number(declared) > maxBytes) {
        return problemResponse(problem('PAYLOAD_TOO_LARGE', tooLargeDetail(maxBytes)));
      }
      return next();
    }
    const body = c.req.raw.body;
    if (body !== null) {
      c.req.raw = new Request(c.req.raw, {
        body: boundedBody(body, maxBytes),
        duplex: 'half',
      } as RequestInit);
    }
    await next();
  };
}

/**
 * The body's bytes, read once (hono keeps them for later readers); bounded by jsonBodyLimit when
 * installed on the route. Rejects with the read's error: PAYLOAD_TOO_LARGE, or the client's
 * disconnect (platform/http/client-abort.ts).
 */
export async function readRequestBody(c: Context): Promise<Uint8Array> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  assertBodyComplete(c, bytes);
  return bytes;
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
 * - MALFORMED_JSON (400) when the bytes are not UTF-8 (RFC 8259 §8.1), not JSON, not an object,
 *   or repeat a member name in one object (RFC 7493 §2.3; the field error names the member);
 * - VALIDATION_FAILED (400) with field errors when the schema rejects it.
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S>> {
  if (!isJsonMediaType(c.req.header('content-type'))) {
    throw new ProtocolError('UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json');
  }
  const bytes = await readRequestBody(c);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProtocolError('MALFORMED_JSON', 'body is not valid UTF-8');
  }
  return decodeJson(schema, text);
}
