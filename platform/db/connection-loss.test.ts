import net from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connectionErrorCode, isConnectionLost, isDatabaseUnavailable } from './connection-loss.js';
import { connectPostgres, reconnectDelaySeconds } from './postgres.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** drizzle's wrapper around a driver error. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: …'), { cause });

describe('telling a database that is gone from one that answered with an error', () => {
  it('counts a session the server ended, or a socket that closed, as a lost connection', () => {
    for (const code of ['57P01', '57P02', '08006', '08003', 'CONNECTION_CLOSED', 'ECONNRESET']) {
      expect(isConnectionLost(wrapped({ code })), code).toBe(true);
      expect(isDatabaseUnavailable(wrapped({ code })), code).toBe(true);
    }
  });

  it('counts a refused connection or a server starting up as unavailable, not as lost', () => {
    for (const code of ['ECONNREFUSED', '57P03', '53300', 'CONNECT_TIMEOUT', 'ENOTFOUND']) {
      expect(isConnectionLost(wrapped({ code })), code).toBe(false);
      expect(isDatabaseUnavailable(wrapped({ code })), code).toBe(true);
    }
  });

  it('leaves errors of the query or the data alone', () => {
    for (const e of [
      wrapped({ code: '23505', constraint_name: 'x' }),
      wrapped({ code: '40001' }),
      new Error('ECONNREFUSED in a message is not a code'),
      { code: 'DB_LOCKED' },
      // The service closed its own pool: a defect if a request still runs, not an outage.
      wrapped({ code: 'CONNECTION_ENDED' }),
      null,
      'CONNECTION_CLOSED',
    ]) {
      expect(isDatabaseUnavailable(e)).toBe(false);
      expect(isConnectionLost(e)).toBe(false);
    }
  });

  it("names the driver's code for the logs", () => {
    expect(connectionErrorCode(wrapped({ code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(connectionErrorCode(wrapped({ code: '57P01' }))).toBeUndefined();
  });

  it('classifies a real query against a server that is not there as unavailable', async () => {
    const port = await closedPort();
    const { db, close } = connectPostgres(`postgres://spx@127.0.0.1:${port}/hub`);
    try {
      const failure = await db.execute(sql`select 1`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeDefined();
      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(connectionErrorCode(failure)).toBe('ECONNREFUSED');
    } finally {
      await close();
    }
  });
});

describe('reconnecting after an outage', () => {
  it('backs off from 50 ms to at most a second, however long the outage lasted', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(reconnectDelaySeconds)).toEqual([
      0.05, 0.1, 0.2, 0.4, 0.8, 1, 1,
    ]);
  });
});
