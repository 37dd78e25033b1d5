/**
 * The two timer functions the services' periodic loops use (the hub's checkpointer and ANALYZE
 * maintenance, the node's log monitor), injected so that tests fire them by hand.
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
