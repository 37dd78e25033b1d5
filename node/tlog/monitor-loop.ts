/**
 * The monitor in the node's service loop (docs/node.md "Monitor"): one pass every
 * SPX_NODE_MONITOR_INTERVAL_MS, the first one interval after start-up, never two at once
 * (platform/lifecycle/periodic.ts). A pass that fails locally is logged (`monitor_failed`) and
 * the loop goes on, so the monitor can never take the process down. `stop()` cancels the next
 * pass and waits for one under way.
 */
import { startPeriodic } from '../../platform/lifecycle/periodic.js';
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
  return startPeriodic(pass, {
    intervalMs,
    ...(options.timers ? { timers: options.timers } : {}),
    onError: (e) =>
      options.log('error', 'monitor_failed', { error: (e as Error)?.name ?? 'error' }),
  });
}
