/**
 * The two timer functions the services' periodic loops use (periodic.ts: the hub's checkpointer
 * and ANALYZE maintenance, the node's log monitor and outbox sender), injected so that tests
 * fire them by hand (test-support/manual-timers.ts).
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a pending pass must not keep a finished process alive. */
export const SYSTEM_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
