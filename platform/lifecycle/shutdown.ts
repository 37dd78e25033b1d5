/**
 * Clean shutdown for a service process. Resources (HTTP server, database, timers) are
 * registered as they are opened; the first SIGTERM or SIGINT closes them once, newest first
 * (the HTTP server stops taking requests before the database under it closes), then exits 0,
 * or 1 if a closer failed or the whole run exceeded its deadline. Later signals while closing
 * do nothing more: a second Ctrl-C must not interrupt a PGlite checkpoint half-way.
 *
 * The process is injected (signals, exit) so the logic is tested without sending signals; a
 * child-process test covers the real thing (platform/db/process.test.ts).
 */

export type Closer = () => Promise<void> | void;

/** The part of `process` the shutdown uses. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  readonly target?: SignalTarget;
  /** Deadline for all closers together, after which the process exits 1 (default 10 s). */
  readonly timeoutMs?: number;
  /** Told about each closer that failed (default: console.error). */
  readonly onError?: (name: string, error: unknown) => void;
}

export interface Shutdown {
  /** Registers a resource; closers run in reverse registration order. */
  register(name: string, close: Closer): void;
  /**
   * Closes everything once; every call returns the same promise, resolving to true when all
   * closers succeeded within the deadline.
   */
  close(): Promise<boolean>;
  /** Closes on the first of `signals`, then exits; returns a function that stops listening. */
  listen(signals?: readonly NodeJS.Signals[]): () => void;
}

export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const target = options.target ?? process;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const onError =
    options.onError ??
    ((name: string, error: unknown) => console.error(`shutdown: closing ${name} failed`, error));
  const closers: { name: string; close: Closer }[] = [];
  let closing: Promise<boolean> | undefined;

  async function closeAll(): Promise<boolean> {
    let ok = true;
    for (const { name, close } of [...closers].reverse()) {
      try {
        await close();
      } catch (e) {
        ok = false;
        onError(name, e);
      }
    }
    return ok;
  }

  function close(): Promise<boolean> {
    closing ??= new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        onError('(all)', new Error(`shutdown exceeded ${timeoutMs} ms`));
        resolve(false);
      }, timeoutMs);
      // The deadline must not by itself keep an otherwise finished process alive.
      timer.unref?.();
      void closeAll().then((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
    return closing;
  }

  return {
    register(name, closeFn) {
      closers.push({ name, close: closeFn });
    },
    close,
    listen(signals = DEFAULT_SHUTDOWN_SIGNALS) {
      let signalled = false;
      const onSignal = () => {
        if (signalled) return; // later signals while closing do nothing more
        signalled = true;
        void close().then((ok) => target.exit(ok ? 0 : 1));
      };
      // `on`, not `once`: with no listener left, a second SIGTERM would kill the process
      // mid-close (Node's default action), which is what this helper exists to prevent.
      for (const s of signals) target.on(s, onSignal);
      return () => {
        for (const s of signals) target.off(s, onSignal);
      };
    },
  };
}
