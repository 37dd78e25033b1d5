import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CodedError, CryptoError } from '../../crypto/errors.js';
import { ProtocolError } from '../../protocol/decode.js';
import { ProblemDetailsSchema } from '../../protocol/problem.js';
import { problemErrorHandler, problemNotFound } from './error-handler.js';
import { jsonBodyLimit, readJsonBody } from './json-body.js';
import { serviceProblem } from './problem-response.js';

class LedgerError extends CodedError<'LEDGER_FROZEN'> {}

const Echo = z.strictObject({ name: z.string().min(1), count: z.int().min(0) });

function makeApp() {
  const reported: unknown[] = [];
  const app = new Hono();
  app.onError(
    problemErrorHandler({
      report: (e) => void reported.push(e),
      mapError: (e) =>
        e instanceof LedgerError ? serviceProblem(423, e.code, e.message) : undefined,
    }),
  );
  app.notFound(problemNotFound);
  app.post('/echo', jsonBodyLimit(64), async (c) => c.json(await readJsonBody(c, Echo)));
  app.get('/protocol', () => {
    throw new ProtocolError('CONFLICT', 'statement already recorded', {
      errors: [{ field: 'statementId', code: 'duplicate', message: 'seen before' }],
    });
  });
  app.get('/crypto', () => {
    throw new CryptoError('AUTH_EXPIRED', 'token expired at 2025-01-01T00:00:00Z', {
      field: 'exp',
    });
  });
  app.get('/typed', () => {
    throw Object.assign(new Error('quota of 10 checks used'), { code: 'QUOTA_USED', status: 429 });
  });
  app.get('/typed-5xx', () => {
    throw Object.assign(new Error('pool exhausted at 10.0.0.5'), {
      code: 'POOL_DOWN',
      status: 503,
    });
  });
  app.get('/domain', () => {
    throw new LedgerError('LEDGER_FROZEN', 'ledger frozen for audit');
  });
  app.get('/hono', () => {
    throw new HTTPException(405, { message: 'use POST' });
  });
  app.get('/bug', () => {
    throw new Error('relation "secret_table" does not exist at /srv/app/db.ts:12');
  });
  return { app, reported };
}

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body: unknown = await res.json();
  // Every body this layer emits is a valid protocol problem (docs/protocol.md §8).
  return ProblemDetailsSchema.parse(body);
}

const post = (
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => makeApp().app.request('/echo', { method: 'POST', body, headers });

describe('JSON bodies', () => {
  it('returns the parsed, validated body', async () => {
    const res = await post(JSON.stringify({ name: 'ada', count: 2 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'ada', count: 2 });
  });

  it.each(['{"name":', '', 'null', '[1,2]', '"text"'])(
    'answers the body %j with 400 MALFORMED_JSON',
    async (body) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe('MALFORMED_JSON');
    },
  );

  it('answers bytes that are not UTF-8 with 400 MALFORMED_JSON', async () => {
    const res = await post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect((await problemOf(res)).code).toBe('MALFORMED_JSON');
  });

  it('answers a schema violation with 400 VALIDATION_FAILED and one error per field', async () => {
    const res = await post(JSON.stringify({ name: '', extra: 1 }));
    const p = await problemOf(res);
    expect(res.status).toBe(400);
    expect(p.code).toBe('VALIDATION_FAILED');
    expect(p.errors?.map((e) => [e.field, e.code]).sort()).toEqual([
      ['count', 'required'],
      ['extra', 'unknown_field'],
      ['name', 'too_short'],
    ]);
  });

  it('answers a body that is not declared JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await post('name=ada', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((await problemOf(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts +json media types and parameters', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 0 }), {
      'content-type': 'application/vnd.spx+json; charset=utf-8',
    });
    expect(res.status).toBe(200);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE, by Content-Length', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(100), count: 1 }));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a chunked body over the limit with 413, counting while it streams', async () => {
    const chunk = new TextEncoder().encode('{"name":"' + 'x'.repeat(40));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await makeApp().app.request('/echo', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('error mapping to problem+json', () => {
  it('maps a ProtocolError to its status, code and field errors', async () => {
    const res = await makeApp().app.request('/protocol');
    const p = await problemOf(res);
    expect([res.status, p.code, p.detail]).toEqual([409, 'CONFLICT', 'statement already recorded']);
    expect(p.errors).toEqual([{ field: 'statementId', code: 'duplicate', message: 'seen before' }]);
  });

  it('maps an error whose code is a protocol code, naming its field', async () => {
    const res = await makeApp().app.request('/crypto');
    const p = await problemOf(res);
    expect([res.status, p.code]).toEqual([401, 'AUTH_EXPIRED']);
    expect(p.errors?.[0]?.field).toBe('exp');
  });

  it('maps a typed error carrying code and status', async () => {
    const res = await makeApp().app.request('/typed');
    const p = await problemOf(res);
    expect([res.status, p.code, p.title, p.detail]).toEqual([
      429,
      'QUOTA_USED',
      'Too Many Requests',
      'quota of 10 checks used',
    ]);
  });

  it('keeps the message of a typed 5xx error out of the response, and reports it', async () => {
    const { app, reported } = makeApp();
    const res = await app.request('/typed-5xx');
    const p = await problemOf(res);
    expect([res.status, p.code]).toEqual([503, 'POOL_DOWN']);
    expect(JSON.stringify(p)).not.toContain('10.0.0.5');
    expect(reported).toHaveLength(1);
  });

  it("uses the service's mapping for its domain errors", async () => {
    const res = await makeApp().app.request('/domain');
    expect([res.status, (await problemOf(res)).code]).toEqual([423, 'LEDGER_FROZEN']);
  });

  it("maps hono's HTTPException by status", async () => {
    const res = await makeApp().app.request('/hono');
    expect([res.status, (await problemOf(res)).code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
  });

  it('answers a body shorter than its Content-Length as a client abort: 499, nothing reported', async () => {
    // What a body read after its client disconnected looks like: it ends at what had arrived.
    const { app, reported } = makeApp();
    const res = await app.request('/echo', {
      method: 'POST',
      body: '{"name":',
      headers: { 'content-type': 'application/json', 'content-length': '40' },
    });
    expect([res.status, (await problemOf(res)).code]).toEqual([499, 'CLIENT_CLOSED_REQUEST']);
    expect(reported).toEqual([]);
  });

  it('turns an unexpected error into a 500 that leaks nothing, and reports the error', async () => {
    const { app, reported } = makeApp();
    const res = await app.request('/bug');
    const p = await problemOf(res);
    expect([res.status, p.code]).toEqual([500, 'INTERNAL_ERROR']);
    const text = JSON.stringify(p);
    for (const leak of ['secret_table', '/srv/app', 'db.ts', 'does not exist'])
      expect(text).not.toContain(leak);
    expect((reported[0] as Error).message).toContain('secret_table');
  });

  it("logs only a server error's name and SQLSTATE by default, never its message", async () => {
    // What drizzle throws for a failed statement: the parameters are in the message.
    const failed = Object.assign(
      new Error('Failed query: insert into "oprf_keys" … params: 1,c2VjcmV0LWtleQ'),
      { cause: Object.assign(new Error('boom'), { code: '23514' }) },
    );
    failed.name = 'DrizzleQueryError';
    const app = new Hono();
    app.onError(problemErrorHandler());
    app.get('/fail', () => {
      throw failed;
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await app.request('/fail')).status).toBe(500);
      expect(logged.mock.calls).toEqual([
        ['GET /fail failed with a server error: DrizzleQueryError 23514'],
      ]);
    } finally {
      logged.mockRestore();
    }
  });

  it('answers an unknown route with 404 NOT_FOUND problem+json', async () => {
    const res = await makeApp().app.request('/nowhere');
    expect([res.status, (await problemOf(res)).code]).toEqual([404, 'NOT_FOUND']);
  });
});
