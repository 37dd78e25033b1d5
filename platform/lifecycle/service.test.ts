import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/json-lines.js';
import { DEFAULT_SERVER_LIMITS } from '../http/listen.js';
import { DROP_REPORT_INTERVAL_MS, listeningUrl, startService } from './service.js';
import type { SignalTarget } from './shutdown.js';

const app = { fetch: () => new Response('ok') };

/** A fake process: signals are emitted by the test, exit codes recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    on: (s, l) => emitter.on(s, l),
    off: (s, l) => emitter.off(s, l),
    exit: (code) => void exits.push(code),
  };
  return { emitter, exits, target };
}

function recordingLog() {
  const lines: string[] = [];
  const log = createLogger(
    (l) => void lines.push(l),
    () => new Date(0),
  );
  return { lines, log, events: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('listeningUrl', () => {
  it('puts an IPv6 address in brackets and leaves an IPv4 one bare', () => {
    expect(listeningUrl({ family: 'IPv4', address: '127.0.0.1', port: 8080 })).toBe(
      'http://127.0.0.1:8080',
    );
    expect(listeningUrl({ family: 'IPv6', address: '::1', port: 443 })).toBe('http://[::1]:443');
  });
});

describe('startService', () => {
  it('serves on the port bound, then closes the server before the resources opened earlier', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    const order: string[] = [];
    const running = await startService({ signals: p.target, log }, async (startup) => {
      startup.register('database', () => void order.push('database'));
      startup.register('loop', () => void order.push('loop'));
      return startup.serve(app, '127.0.0.1', 0);
    });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(running.url)).text()).toBe('ok');
    await running.close();
    await running.closed;
    expect(order).toEqual(['loop', 'database']);
    await expect(fetch(running.url)).rejects.toThrow();
    expect(p.exits).toEqual([]); // close() is not a signal: the process is not told to exit
  });

  it('closes on SIGTERM once serving, settles `closed` and exits 0', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    let databaseClosed = false;
    const running = await startService({ signals: p.target, log }, async (startup) => {
      startup.register('database', () => void (databaseClosed = true));
      return startup.serve(app, '127.0.0.1', 0);
    });
    p.emitter.emit('SIGTERM');
    await running.closed;
    await new Promise((r) => setTimeout(r, 0));
    expect(databaseClosed).toBe(true);
    expect(p.exits).toEqual([0]);
  });

  it('keeps its signal handlers while a signal closes it: a second Ctrl-C does not kill it half-way', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    let release!: () => void;
    const databaseClosing = new Promise<void>((r) => (release = r));
    const running = await startService({ signals: p.target, log }, async (startup) => {
      startup.register('database', () => databaseClosing);
      return startup.serve(app, '127.0.0.1', 0);
    });
    p.emitter.emit('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    // Still closing the database: the handlers are in place, so Node does not take the second
    // SIGINT's default action (killing the process), and it changes nothing.
    expect(p.emitter.listenerCount('SIGINT')).toBe(1);
    p.emitter.emit('SIGINT');
    release();
    await running.closed;
    await new Promise((r) => setTimeout(r, 0));
    expect(p.exits).toEqual([0]);
  });

  it('removes its signal handlers when closed in process', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    const running = await startService({ signals: p.target, log }, (startup) =>
      startup.serve(app, '127.0.0.1', 0),
    );
    await running.close();
    expect(p.emitter.listenerCount('SIGTERM')).toBe(0);
    expect(p.emitter.listenerCount('SIGINT')).toBe(0);
  });

  it('listens for signals only once the server is up', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    let listenersBeforeServe = -1;
    const running = await startService({ signals: p.target, log }, async (startup) => {
      listenersBeforeServe = p.emitter.listenerCount('SIGTERM');
      return startup.serve(app, '127.0.0.1', 0);
    });
    expect(listenersBeforeServe).toBe(0);
    expect(p.emitter.listenerCount('SIGTERM')).toBe(1);
    await running.close();
  });

  it('installs no signal handler with signals: false, and still closes in process', async () => {
    const { log } = recordingLog();
    const before = process.listenerCount('SIGTERM');
    const order: string[] = [];
    const running = await startService({ signals: false, log }, async (startup) => {
      startup.register('database', () => void order.push('database'));
      return startup.serve(app, '127.0.0.1', 0);
    });
    expect(process.listenerCount('SIGTERM')).toBe(before);
    await running.close();
    await running.closed;
    expect(order).toEqual(['database']);
  });

  it('closes what a failed start-up had opened, newest first, and rethrows its error', async () => {
    const p = fakeProcess();
    const { log } = recordingLog();
    const order: string[] = [];
    const failure = new Error('no active key');
    await expect(
      startService({ signals: p.target, log }, async (startup) => {
        startup.register('database', () => void order.push('database'));
        startup.register('loop', () => void order.push('loop'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(order).toEqual(['loop', 'database']);
    expect(p.emitter.listenerCount('SIGTERM')).toBe(0);
  });

  it('logs shutdown_failed naming each resource that failed to close, and still closes the rest', async () => {
    const p = fakeProcess();
    const { log, events } = recordingLog();
    let databaseClosed = false;
    const running = await startService({ signals: p.target, log }, async (startup) => {
      startup.register('database', () => void (databaseClosed = true));
      startup.register('outbox', () => Promise.reject(new Error('stuck')));
      return startup.serve(app, '127.0.0.1', 0);
    });
    await running.close();
    expect(databaseClosed).toBe(true);
    expect(events()).toEqual([
      {
        time: '1970-01-01T00:00:00.000Z',
        level: 'error',
        event: 'shutdown_failed',
        resource: 'outbox',
      },
    ]);
  });

  it('serves within the limits given, and reports dropped connections at most once a minute', async () => {
    const { log, events } = recordingLog();
    let clock = 0;
    const running = await startService(
      { signals: false, log, now: () => new Date(clock) },
      (startup) =>
        startup.serve(app, '127.0.0.1', 0, { ...DEFAULT_SERVER_LIMITS, maxConnections: 1 }),
    );
    const port = Number(new URL(running.url).port);
    // One connection, kept open with a request answered on it.
    const held = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => {
      held.once('data', () => resolve());
      held.write('GET / HTTP/1.1\r\nHost: test\r\n\r\n');
    });
    const refused = () =>
      new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.once('close', () => resolve());
      });
    await refused();
    await refused();
    expect(events().map((e) => [e['event'], e['count']])).toEqual([['connections_dropped', 1]]);
    clock += DROP_REPORT_INTERVAL_MS;
    await refused();
    expect(events().map((e) => [e['level'], e['event'], e['count'], e['maxConnections']])).toEqual([
      ['warn', 'connections_dropped', 1, 1],
      ['warn', 'connections_dropped', 2, 1],
    ]);
    held.destroy();
    await running.close();
  });
});
