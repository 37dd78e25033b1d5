import { Agent, request } from 'node:http';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonBodyLimit } from './json-body.js';
import { closeServer, listen } from './listen.js';
import { responseHeaders } from './response-headers.js';

function app(noStore: boolean) {
  const a = new Hono();
  a.use('*', responseHeaders({ noStore }));
  a.get('/ok', (c) => c.json({ ok: true }));
  a.get('/cached', (c) => c.text('x', 200, { 'cache-control': 'public, max-age=60' }));
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.onError((_e, c) => c.json({ code: 'INTERNAL_ERROR' }, 500));
  return a;
}

describe('responseHeaders', () => {
  it.each(['/ok', '/boom', '/missing'])(
    'marks %s nosniff and no-store, whatever answered it (route, error handler, not found)',
    async (path) => {
      const res = await app(true).request(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    },
  );

  it("keeps a route's own caching, and adds no-store only when asked", async () => {
    const cached = await app(true).request('/cached');
    expect(cached.headers.get('cache-control')).toBe('public, max-age=60');
    const plain = await app(false).request('/ok');
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('cache-control')).toBeNull();
  });
});

/** One request on `agent`; resolves to the status, or to the socket error's message. */
function send(agent: Agent, port: number, method: string, body?: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const headers = body
      ? { 'content-type': 'application/json', 'content-length': body.length }
      : {};
    const req = request({ host: '127.0.0.1', port, method, path: '/x', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (e) => resolve(e.message));
    req.end(body);
  });
}

describe('a refused request with a body, over a kept-alive connection', () => {
  it('closes the connection, so the next request goes over a new one instead of failing', async () => {
    const app = new Hono();
    app.use('*', responseHeaders());
    app.post('/x', jsonBodyLimit(1024), (c) => c.json({}));
    app.get('/x', (c) => c.json({}));
    const { server, address } = await listen(app, '127.0.0.1', 0);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const statuses: (number | string)[] = [];
      for (let i = 0; i < 3; i++) {
        // Over the limit: refused unread. Without Connection: close the next request on the
        // same socket failed with "socket hang up", every time.
        statuses.push(await send(agent, address.port, 'POST', Buffer.alloc(2_000_000, 0x20)));
        statuses.push(await send(agent, address.port, 'GET'));
      }
      expect(statuses).toEqual([413, 200, 413, 200, 413, 200]);
      // A request without a body keeps its connection.
      const plain = await app.request('/missing');
      expect(plain.headers.get('connection')).toBeNull();
    } finally {
      agent.destroy();
      await closeServer(server);
    }
  });
});
