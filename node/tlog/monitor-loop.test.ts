import { describe, expect, it } from 'vitest';
import { manualTimers, settle } from '../../platform/lifecycle/test-support/manual-timers.js';
import { startMonitorLoop } from './monitor-loop.js';

describe('startMonitorLoop', () => {
  it('runs a pass each interval, the first one interval after start', async () => {
    const t = manualTimers();
    let passes = 0;
    const loop = startMonitorLoop(async () => void passes++, 60_000, {
      timers: t.timers,
      log: () => undefined,
    });
    expect([passes, [...t.pending.values()].map((p) => p.ms)]).toEqual([0, [60_000]]);
    t.fire();
    await settle();
    t.fire();
    await settle();
    expect(passes).toBe(2);
    expect(t.pending.size).toBe(1);
    await loop.stop();
    expect(t.pending.size).toBe(0);
  });

  it('logs a failed pass and goes on; stop waits for a pass under way', async () => {
    const t = manualTimers();
    const lines: string[] = [];
    let release!: () => void;
    let calls = 0;
    const loop = startMonitorLoop(
      () => {
        calls++;
        if (calls === 1) return Promise.reject(new TypeError('database closed'));
        return new Promise<void>((resolve) => (release = resolve));
      },
      1000,
      {
        timers: t.timers,
        log: (level, event, fields) => lines.push(`${level} ${event} ${fields?.['error']}`),
      },
    );
    t.fire();
    await settle();
    expect(lines).toEqual(['error monitor_failed TypeError']);
    t.fire();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect([stopped, t.pending.size]).toEqual([true, 0]);
  });
});
