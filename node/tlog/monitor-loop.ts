/**
 * The monitor in the node's service loop (docs/node.md "Monitor"): one pass every
 * SPX_NODE_MONITOR_INTERVAL_MS, the first one interval after start-up, never two at once.
 * Timers are injected (tests drive them by hand); a pass that fails locally is logged and the
 * loop goes on, so the monitor can never take the process down. `stop()` cancels the next pass
 * and waits for one under way.
 */
import type { Logger } from '../../platform/logging/json-lines.js';
import { SYSTEM_TIMERS, type Timers } from '../../platform/lifecycle/timers.js';

export { SYSTEM_TIMERS, type Timers };

export interface MonitorLoop {
  stop(): Promise<void>;
}

export function startMonitorLoop(
  pass: () => Promise<unknown>,
  intervalMs: number,
  options: { readonly timers?: Timers; readonly log: Logger },
): MonitorLoop {
  const timers = options.timers ?? SYSTEM_TIMERS;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let handle: unknown;
  const schedule = () => {
    handle = timers.setTimeout(tick, intervalMs);
  };
  function tick(): void {
    handle = undefined;
    running = pass()
      .then(
        () => undefined,
        (e: unknown) =>
          options.log('error', 'monitor_failed', { error: (e as Error)?.name ?? 'error' }),
      )
      .finally(() => {
        if (!stopped) schedule();
      });
  }
  schedule();
  return {
    async stop() {
      stopped = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      await running;
    },
  };
}
