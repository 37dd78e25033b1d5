/**
 * The node over a real socket: a client that aborts its upload is a client's doing, logged as
 * such (status 499, info), never as a server error. And the admin token is checked before any
 * body is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { closeServer, listen, type ListeningServer } from '../../platform/http/listen.js';
import { rawClient, requestHead } from '../../platform/http/test-support/raw-client.js';
import { createWorld } from '../clients/test-support/world.js';
import type { NodeTables } from '../store/index.js';
import { openNodeTestDatabase } from '../store/testing.js';
import type { NodeApp } from './app.js';
import { TEST_ADMIN_TOKEN, testNodeApp } from './test-support.js';

let handle: DatabaseHandle<NodeTables>;
let app: NodeApp;
let running: ListeningServer;
const lines: Record<string, unknown>[] = [];
let onLine: (() => void) | undefined;

beforeAll(async () => {
  handle = await openNodeTestDatabase();
  app = testNodeApp(await createWorld(), handle.db, {
    seed: 'node connection',
    logLine: (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      onLine?.();
    },
  });
  running = await listen(app, '127.0.0.1', 0);
});
afterAll(async () => {
  await closeServer(running.server);
  await handle?.close();
});

async function logLine(event: string): Promise<Record<string, unknown>> {
  for (;;) {
    const line = lines.find((l) => l['event'] === event);
    if (line) return line;
    await new Promise<void>((resolve) => (onLine = resolve));
  }
}

describe('the node over a socket', () => {
  it('logs a client that aborts its upload as a 499 at info level, with no error line', async () => {
    const client = rawClient(running.address.port);
    client.socket.write(
      requestHead('POST', '/v1/checks', {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-length': '4000',
      }),
    );
    client.socket.write('{"candidate": {"lastName": "', () => client.socket.destroy());
    const line = await logLine('request');
    expect([line['level'], line['status'], line['route']]).toEqual(['info', 499, '/v1/checks']);
    expect(lines.filter((l) => l['level'] === 'error')).toEqual([]);
  });

  it.each(['/v1/checks', '/v1/import/officers', '/v1/publish'])(
    'refuses POST %s without the admin token before reading its body',
    async (path) => {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulled += 64 * 1024;
            controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
          },
        },
        { highWaterMark: 0 },
      );
      const res = await app.request(path, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(401);
      expect(pulled).toBe(0);
    },
  );
});
