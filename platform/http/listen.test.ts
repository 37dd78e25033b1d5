import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { problemErrorHandler } from './error-handler.js';
import { closeServer, listen, type ListeningServer, type ServerLimits } from './listen.js';
import { rawClient } from './test-support/raw-client.js';

/** Small limits, so that every test waits for an event a fraction of a second away. */
const LIMITS: ServerLimits = {
  headersTimeoutMs: 200,
  requestTimeoutMs: 400,
  keepAliveTimeoutMs: 300,
  maxConnections: 2,
};

let running: ListeningServer | undefined;
afterEach(async () => {
  if (running) await closeServer(running.server);
  running = undefined;
});

async function serve(app: Hono, onConnectionDropped?: () => void) {
  running = await listen(app, '127.0.0.1', 0, {
    limits: LIMITS,
    ...(onConnectionDropped ? { onConnectionDropped } : {}),
  });
  return running.address.port;
}

const get = 'GET /ok HTTP/1.1\r\nHost: test\r\n\r\n';

function okApp(): Hono {
  const app = new Hono();
  app.get('/ok', (c) => c.text('ok'));
  return app;
}

describe('server limits (real sockets)', () => {
  it('cuts off a client that sends its headers too slowly, with 408', async () => {
    const client = rawClient(await serve(okApp()));
    await client.connected;
    client.socket.write('GET /ok HTTP/1.1\r\nHost: test\r\n'); // …and never the blank line
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a body that does not arrive within the request timeout; no 500 is reported', async () => {
    const app = new Hono();
    const reported: unknown[] = [];
    const answered = new Promise<number>((resolve) => {
      app.use(async (c, next) => {
        await next();
        resolve(c.res.status);
      });
    });
    app.onError(problemErrorHandler({ report: (e) => void reported.push(e) }));
    app.post('/upload', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
    const client = rawClient(await serve(app));
    await client.connected;
    client.socket.write(
      'POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n0123456789',
    );
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    // The handler's read failed because the connection was closed: a client abort, not a 500.
    expect(await answered).toBe(499);
    expect(reported).toEqual([]);
  });

  it('bounds receiving a request only: a handler may answer after the request timeout', async () => {
    const app = new Hono();
    app.post('/slow', async (c) => {
      await c.req.arrayBuffer();
      // Three request timeouts: the server's checker has run past the limit several times.
      await new Promise((resolve) => setTimeout(resolve, 3 * LIMITS.requestTimeoutMs));
      return c.text('late');
    });
    const client = rawClient(await serve(app));
    client.socket.write('POST /slow HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nok');
    expect(await client.responses(1)).toEqual([200]);
    client.socket.destroy();
  });

  it('closes connections beyond the cap at once, and still serves the open ones', async () => {
    let dropped = 0;
    const port = await serve(okApp(), () => dropped++);
    const first = rawClient(port);
    const second = rawClient(port);
    first.socket.write(get);
    second.socket.write(get);
    expect(await first.responses(1)).toEqual([200]);
    expect(await second.responses(1)).toEqual([200]);

    const third = rawClient(port);
    third.socket.write(get);
    await third.closed;
    expect(third.received()).toBe('');
    expect(dropped).toBe(1);

    // The two connections kept alive are still served.
    first.socket.write(get);
    second.socket.write(get);
    expect(await first.responses(2)).toEqual([200, 200]);
    expect(await second.responses(2)).toEqual([200, 200]);
    first.socket.destroy();
    second.socket.destroy();
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const client = rawClient(await serve(okApp()));
    client.socket.write(get);
    expect(await client.responses(1)).toEqual([200]);
    expect(client.received()).toMatch(/\r\nconnection: keep-alive\r\n/i);
    await client.closed; // by the server: the client never closes it
    expect(running?.server.keepAliveTimeout).toBe(LIMITS.keepAliveTimeoutMs);
  });

  it('refuses limits Node would reject or misread', async () => {
    await expect(
      listen(okApp(), '127.0.0.1', 0, { limits: { ...LIMITS, headersTimeoutMs: 500 } }),
    ).rejects.toThrow(/headers timeout/);
    await expect(
      listen(okApp(), '127.0.0.1', 0, { limits: { ...LIMITS, maxConnections: 0 } }),
    ).rejects.toThrow(/maxConnections/);
  });
});

describe('HTTPS', () => {
  it('serves over TLS with the given certificate and key, and not over plain HTTP', async () => {
    const dir = new URL('./test-support/tls/', import.meta.url);
    const cert = await readFile(new URL('cert.pem', dir), 'utf8');
    const key = await readFile(new URL('key.pem', dir), 'utf8');
    running = await listen(okApp(), '127.0.0.1', 0, { limits: LIMITS, tls: { cert, key } });
    const port = running.address.port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: '/ok', ca: cert, servername: 'localhost' },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('ok');
    await expect(fetch(`http://127.0.0.1:${port}/ok`)).rejects.toThrow();
  });
});
