/** Timers a test fires by hand (platform/lifecycle/timers.ts), for the periodic loops' tests. */
import type { Timers } from '../timers.js';

export interface ManualTimers {
  readonly timers: Timers;
  /** Timers set and not yet fired or cleared, by handle: callback and delay. */
  readonly pending: Map<number, { readonly callback: () => void; readonly ms: number }>;
  /** Runs the oldest pending timer's callback (it must exist). */
  fire(): void;
}

export function manualTimers(): ManualTimers {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    timers: {
      setTimeout(callback, ms) {
        pending.set(++next, { callback, ms });
        return next;
      },
      clearTimeout(handle) {
        pending.delete(handle as number);
      },
    },
    pending,
    fire() {
      const first = [...pending.entries()][0];
      if (first === undefined) throw new Error('no timer pending');
      pending.delete(first[0]);
      first[1].callback();
    },
  };
}

/** Lets every promise callback queued so far run (a pass's continuation, the next schedule). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
