import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
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
