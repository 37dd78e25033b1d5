import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createShutdown, type SignalTarget } from './shutdown.js';

/** A fake process: signals are emitted by the test, exit codes recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    on: (s, l) => emitter.on(s, l),
    off: (s, l) => emitter.off(s, l),
    exit: (code) => void exits.push(code),
  };
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { emitter, exits, target, settle };
}

describe('createShutdown', () => {
  it('closes registered resources newest first on SIGTERM and exits 0', async () => {
    const p = fakeProcess();
    const order: string[] = [];
    const shutdown = createShutdown({ target: p.target });
    shutdown.register('database', async () => void order.push('database'));
    shutdown.register('http', () => void order.push('http'));
    shutdown.listen();
    p.emitter.emit('SIGTERM');
    await p.settle();
    expect(order).toEqual(['http', 'database']);
    expect(p.exits).toEqual([0]);
  });

  it('closes only once however many signals arrive', async () => {
    const p = fakeProcess();
    let closed = 0;
    const shutdown = createShutdown({ target: p.target });
    shutdown.register('database', async () => {
      await new Promise((r) => setTimeout(r, 5));
      closed++;
    });
    shutdown.listen();
    p.emitter.emit('SIGINT');
    p.emitter.emit('SIGTERM');
    p.emitter.emit('SIGTERM');
    await p.settle();
    expect(closed).toBe(1);
    expect(await shutdown.close()).toBe(true);
    expect(closed).toBe(1);
  });

  it('keeps listening while closing, so a second signal cannot fall back to the default kill', async () => {
    const p = fakeProcess();
    const shutdown = createShutdown({ target: p.target });
    shutdown.register('slow', () => new Promise((r) => setTimeout(r, 10)));
    shutdown.listen();
    p.emitter.emit('SIGTERM');
    expect(p.emitter.listenerCount('SIGTERM')).toBe(1);
    await p.settle();
  });

  it('still closes the others when one closer fails, reports it, and exits 1', async () => {
    const p = fakeProcess();
    const failures: string[] = [];
    let dbClosed = false;
    const shutdown = createShutdown({
      target: p.target,
      onError: (name) => void failures.push(name),
    });
    shutdown.register('database', () => void (dbClosed = true));
    shutdown.register('http', () => Promise.reject(new Error('socket stuck')));
    shutdown.listen();
    p.emitter.emit('SIGTERM');
    await p.settle();
    expect(failures).toEqual(['http']);
    expect(dbClosed).toBe(true);
    expect(p.exits).toEqual([1]);
  });

  it('exits 1 when closing exceeds the deadline', async () => {
    const p = fakeProcess();
    const failures: string[] = [];
    const shutdown = createShutdown({
      target: p.target,
      timeoutMs: 10,
      onError: (name) => void failures.push(name),
    });
    shutdown.register('hung', () => new Promise<void>(() => undefined));
    shutdown.listen();
    p.emitter.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.exits).toEqual([1]);
    expect(failures).toEqual(['(all)']);
  });

  it('stops listening when the returned function is called', async () => {
    const p = fakeProcess();
    const shutdown = createShutdown({ target: p.target });
    const stop = shutdown.listen();
    stop();
    p.emitter.emit('SIGTERM');
    await p.settle();
    expect(p.exits).toEqual([]);
  });
});
