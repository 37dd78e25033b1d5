import { describe, expect, it } from 'vitest';
import { startPeriodic } from './periodic.js';
import { manualTimers, settle } from './test-support/manual-timers.js';
import { SYSTEM_TIMERS } from './timers.js';

/** A pass the test finishes by hand: `release()` resolves the call under way. */
function heldPass() {
  let calls = 0;
  let release: (value: number) => void = () => undefined;
  const pass = () => {
    calls++;
    return new Promise<number>((resolve) => (release = resolve));
  };
  return { pass, calls: () => calls, release: (value: number) => release(value) };
}

const noError = (e: unknown) => {
  throw new Error(`unexpected pass error ${String(e)}`);
};

describe('startPeriodic', () => {
  it('waits one interval for the first pass unless runFirst, and counts the interval from the end of a pass', async () => {
    const t = manualTimers();
    const held = heldPass();
    const loop = startPeriodic(held.pass, { intervalMs: 500, timers: t.timers, onError: noError });
    expect([held.calls(), [...t.pending.values()].map((p) => p.ms)]).toEqual([0, [500]]);
    t.fire();
    expect(held.calls()).toBe(1);
    await settle();
    expect(t.pending.size).toBe(0); // no next pass scheduled while this one runs
    held.release(1);
    await settle();
    expect([...t.pending.values()].map((p) => p.ms)).toEqual([500]);
    await loop.stop();

    const first = manualTimers();
    const eager = startPeriodic(async () => 7, {
      intervalMs: 500,
      runFirst: true,
      timers: first.timers,
      onError: noError,
    });
    expect(await eager.runOnce()).toBe(7);
    await settle();
    expect(first.pending.size).toBe(1);
    await eager.stop();
  });

  it('runs one pass at a time: runOnce during a pass shares its result', async () => {
    const t = manualTimers();
    const held = heldPass();
    const loop = startPeriodic(held.pass, { intervalMs: 100, timers: t.timers, onError: noError });
    t.fire();
    const a = loop.runOnce();
    const b = loop.runOnce();
    held.release(42);
    expect([await a, await b, held.calls()]).toEqual([42, 42, 1]);
    const c = loop.runOnce();
    held.release(43);
    expect([await c, held.calls()]).toEqual([43, 2]);
    await loop.stop();
  });

  it('reports a pass that throws, resolves runOnce to undefined and goes on', async () => {
    const t = manualTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const boom = new TypeError('database closed');
    const loop = startPeriodic(
      async () => {
        calls++;
        if (calls === 1) throw boom;
        return calls;
      },
      { intervalMs: 100, timers: t.timers, onError: (e) => errors.push(e) },
    );
    expect(await loop.runOnce()).toBeUndefined();
    expect(errors).toEqual([boom]);
    t.fire();
    await settle();
    expect([calls, t.pending.size, errors.length]).toEqual([2, 1, 1]);
    await loop.stop();
  });

  it('stop cancels the next pass and waits for one under way', async () => {
    const t = manualTimers();
    const held = heldPass();
    const loop = startPeriodic(held.pass, { intervalMs: 100, timers: t.timers, onError: noError });
    t.fire();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    held.release(1);
    await stopping;
    await settle();
    expect([stopped, t.pending.size, held.calls()]).toEqual([true, 0, 1]);
  });

  it('does nothing when a timer fires after stop', async () => {
    const t = manualTimers();
    const held = heldPass();
    const loop = startPeriodic(held.pass, { intervalMs: 100, timers: t.timers, onError: noError });
    const [timer] = [...t.pending.values()];
    await loop.stop();
    timer!.callback();
    expect(held.calls()).toBe(0);
  });

  it("uses unref'd system timers by default, so a pending pass keeps no process alive", () => {
    const handle = SYSTEM_TIMERS.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    try {
      expect(handle.hasRef()).toBe(false);
    } finally {
      SYSTEM_TIMERS.clearTimeout(handle);
    }
  });
});
