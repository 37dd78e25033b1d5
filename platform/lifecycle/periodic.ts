/**
 * The services' one periodic loop (the hub's checkpointer and ANALYZE maintenance, the node's
 * log monitor and outbox sender). The concurrency rules every such loop needs, in one place:
 *
 * - One pass at a time: `runOnce()` during a pass returns that pass's result instead of
 *   starting a second.
 * - The interval runs from the end of one pass to the start of the next, so a slow pass delays
 *   the next one rather than overlapping it.
 * - A pass that throws is reported to `onError` and the loop goes on: a background task must not
 *   take the process down, and `runOnce()` never rejects.
 * - `stop()` cancels the next pass and waits for one under way, so a service closes its database
 *   only after the loop has let go of it.
 * - The timers are injected (tests fire them by hand); the default ones are unref'd.
 */
import { SYSTEM_TIMERS, type Timers } from './timers.js';

export interface PeriodicOptions {
  /** Time from the end of one pass to the start of the next. */
  readonly intervalMs: number;
  /** Start the first pass now (its result: `runOnce()`); otherwise one interval from now. */
  readonly runFirst?: boolean;
  readonly timers?: Timers;
  /** Told about each pass that threw; it must not throw itself. */
  readonly onError: (error: unknown) => void;
}

export interface Periodic<T> {
  /**
   * The pass under way, or a new one now. Resolves to its result, or to undefined if it threw
   * (the error went to `onError`).
   */
  runOnce(): Promise<T | undefined>;
  /** Cancels the next pass and waits for one under way. Idempotent. */
  stop(): Promise<void>;
}

export function startPeriodic<T>(pass: () => Promise<T>, options: PeriodicOptions): Periodic<T> {
  const timers = options.timers ?? SYSTEM_TIMERS;
  let stopped = false;
  let timer: unknown;
  let running: Promise<T | undefined> | undefined;

  async function guarded(): Promise<T | undefined> {
    try {
      return await pass();
    } catch (e) {
      options.onError(e);
      return undefined;
    }
  }

  function runOnce(): Promise<T | undefined> {
    running ??= guarded().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      // A timer that fires after stop() (an injected one not cleared in time) does nothing.
      if (stopped) return;
      void runOnce().then(schedule);
    }, options.intervalMs);
  }

  if (options.runFirst === true) void runOnce().then(schedule);
  else schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
