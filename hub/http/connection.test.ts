/**
 * The hub over a real socket, for what `app.request` cannot show: when it reads a body, and what
 * it logs when a client goes away in the middle of one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatAuthorization } from '../../crypto/request-auth/authorization-header.js';
import { createRequestToken } from '../../crypto/request-auth/request-token.js';
import { utf8 } from '../../crypto/encoding.js';
import { closeServer, listen, type ListeningServer } from '../../platform/http/listen.js';
import { rawClient, requestHead } from '../../platform/http/test-support/raw-client.js';
import { createHubApp } from '../app.js';
import {
  enrollAgency,
  keyFromByte,
  openHubTestDatabase,
  seededRng,
  TEST_APP_CONFIG,
  TestClock,
  START,
  type HubTestHandle,
} from '../test-support.js';

let handle: HubTestHandle;
let running: ListeningServer | undefined;
const clock = new TestClock(START);
const rng = seededRng('hub connection');
const lines: Record<string, unknown>[] = [];
let onLine: (() => void) | undefined;

beforeAll(async () => {
  handle = await openHubTestDatabase();
  const app = createHubApp({
    db: handle.db,
    signingKey: await keyFromByte(0xaa),
    config: TEST_APP_CONFIG,
    now: clock.now,
    rng,
    log: (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      onLine?.();
    },
  });
  running = await listen(app, '127.0.0.1', 0);
});
afterEach(() => void lines.splice(0));
afterAll(async () => {
  if (running) await closeServer(running.server);
  await handle.close();
});

/** Resolves with the first log line of `event` (already written or still to come). */
async function logLine(event: string): Promise<Record<string, unknown>> {
  for (;;) {
    const line = lines.find((l) => l['event'] === event);
    if (line) return line;
    await new Promise<void>((resolve) => (onLine = resolve));
  }
}

const NINE_MIB = 9 * 1024 * 1024;

describe('the hub over a socket', () => {
  it('refuses an unauthenticated 9 MiB upload with 401 while the client is still sending it', async () => {
    // A well-formed token, signed by a key no agency registered.
    const token = await createRequestToken({
      key: await keyFromByte(0x66),
      issuer: 'TX0000001',
      audience: 'spx-hub',
      method: 'POST',
      path: '/v1/attestations',
      body: utf8('the body it claims'),
      now: clock.now(),
      rng,
    });
    const client = rawClient(running!.address.port);
    client.socket.write(
      requestHead('POST', '/v1/attestations', {
        authorization: formatAuthorization(token),
        'content-type': 'application/json',
        'content-length': String(NINE_MIB),
      }),
    );
    client.socket.write(Buffer.alloc(64 * 1024, 0x20)); // then nothing more
    // Before the fix the hub read the whole body first: no answer ever came.
    expect(await client.responses(1)).toEqual([401]);
    expect(client.received()).toMatch(/"code":"AUTH_UNKNOWN_KEY"/);
    expect(client.received()).toMatch(/\r\nconnection: close\r\n/i);
    client.socket.destroy();
  });

  it('logs a client that aborts its upload as a 499 at info level, with no error line', async () => {
    const agency = await enrollAgency(handle.db, 'CA0194200', await keyFromByte(1));
    const body = utf8(JSON.stringify({ attestations: ['x'.repeat(4000)] }));
    const token = await createRequestToken({
      key: agency.key,
      issuer: agency.ori,
      audience: 'spx-hub',
      method: 'POST',
      path: '/v1/attestations',
      body,
      now: clock.now(),
      rng,
    });
    const client = rawClient(running!.address.port);
    client.socket.write(
      requestHead('POST', '/v1/attestations', {
        authorization: formatAuthorization(token),
        'content-type': 'application/json',
        'content-length': String(body.byteLength),
      }),
    );
    client.socket.write(body.subarray(0, 1000), () => client.socket.destroy());
    const line = await logLine('request');
    expect([line['level'], line['status'], line['route']]).toEqual([
      'info',
      499,
      '/v1/attestations',
    ]);
    expect(lines.filter((l) => l['level'] === 'error')).toEqual([]);
  });
});
