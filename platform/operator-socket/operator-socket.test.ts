/**
 * The operator socket's two ends on real Unix sockets in a temporary folder: serveOnSocket
 * (owner-only, stale socket replaced, paths the system would truncate refused) and socketFetch
 * (whether a failed request reached the server or not).
 */
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxSocketPathBytes } from './socket-path.js';
import { serveOnSocket } from './socket-server.js';
import { socketFetch } from './socket-fetch.js';

let dir: string;
let n = 0;
const socketIn = () => path.join(dir, `s${++n}.sock`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-sock-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function echoApp(): Hono {
  const app = new Hono();
  app.get('/v1/ping', (c) => c.json({ pong: c.req.query('q') ?? null }));
  app.post('/v1/echo', async (c) => c.json({ got: await c.req.json<unknown>() }, 201));
  return app;
}

function netListen(server: NetServer, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
}

/** A socket file nobody listens on, as a killed service leaves it (Node unlinks on close). */
async function staleSocketAt(file: string): Promise<void> {
  const server = createNetServer();
  await netListen(server, `${file}.tmp`);
  await rename(`${file}.tmp`, file);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('serveOnSocket and socketFetch', () => {
  it('serve an app on a socket only its owner may use, and remove it on close', async () => {
    const file = socketIn();
    const served = await serveOnSocket(echoApp(), file);
    try {
      const stats = await stat(file);
      expect([stats.isSocket(), (stats.mode & 0o777).toString(8)]).toEqual([true, '600']);
      const call = socketFetch(file);
      const pong = await call(new Request('http://hub/v1/ping?q=a%20b'));
      expect([pong.status, await pong.json()]).toEqual([200, { pong: 'a b' }]);
      const echoed = await call(
        new Request('http://hub/v1/echo', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ori: 'CA0194200' }),
        }),
      );
      expect([echoed.status, await echoed.json()]).toEqual([201, { got: { ori: 'CA0194200' } }]);
    } finally {
      await served.close();
    }
    expect(await readdir(dir)).not.toContain(path.basename(file));
    expect(await codeOf(socketFetch(file)(new Request('http://hub/v1/ping')))).toBe(
      'OPERATOR_SOCKET_UNREACHABLE',
    );
  });

  it('replace the socket a killed service left behind', async () => {
    const file = socketIn();
    await staleSocketAt(file);
    expect((await stat(file)).isSocket()).toBe(true);
    // Connecting to it is refused: the request was never sent.
    expect(await codeOf(socketFetch(file)(new Request('http://hub/v1/ping')))).toBe(
      'OPERATOR_SOCKET_UNREACHABLE',
    );
    const served = await serveOnSocket(echoApp(), file);
    try {
      expect((await socketFetch(file)(new Request('http://hub/v1/ping'))).status).toBe(200);
    } finally {
      await served.close();
    }
  });

  it('refuse to replace something that is not a socket', async () => {
    const file = socketIn();
    await writeFile(file, 'not a socket');
    expect(await codeOf(serveOnSocket(echoApp(), file))).toBe('OPERATOR_SOCKET_UNAVAILABLE');
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('refuse a path the system would truncate, binding nothing anywhere', async () => {
    const max = maxSocketPathBytes()!;
    // A folder whose socket path is just too long; the truncated path would land beside it.
    const deep = path.join(dir, 'd'.repeat(Math.max(1, max - dir.length - 8)));
    await mkdir(deep, { recursive: true });
    const file = path.join(deep, 'spx-operator.sock');
    expect(Buffer.byteLength(`${file}~`)).toBeGreaterThan(max);
    const before = await readdir(dir);
    expect(await codeOf(serveOnSocket(echoApp(), file))).toBe('OPERATOR_SOCKET_UNAVAILABLE');
    expect([await readdir(dir), await readdir(deep)]).toEqual([before, []]);
    expect(await codeOf(socketFetch(file)(new Request('http://hub/v1/ping')))).toBe(
      'OPERATOR_SOCKET_UNREACHABLE',
    );
  });

  it('say the outcome is unknown when the connection breaks after the request', async () => {
    const file = socketIn();
    const server = createNetServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":');
        socket.destroy();
      });
    });
    await netListen(server, file);
    try {
      expect(await codeOf(socketFetch(file)(new Request('http://hub/v1/ping')))).toBe(
        'OPERATOR_SOCKET_FAILED',
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stop reading an answer larger than the bound', async () => {
    const file = socketIn();
    const app = new Hono();
    app.get('/big', (c) => c.text('x'.repeat(10_000)));
    const served = await serveOnSocket(app, file);
    try {
      const call = socketFetch(file, { maxResponseBytes: 1000 });
      expect(await codeOf(call(new Request('http://hub/big')))).toBe('OPERATOR_SOCKET_FAILED');
    } finally {
      await served.close();
    }
  });

  it('know the socket path limits of the systems', () => {
    expect([
      maxSocketPathBytes('linux'),
      maxSocketPathBytes('darwin'),
      maxSocketPathBytes('freebsd'),
      maxSocketPathBytes('win32'),
    ]).toEqual([107, 103, 103, undefined]);
  });
});
