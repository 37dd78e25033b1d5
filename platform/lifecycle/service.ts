/**
 * The start-up and shutdown every service process shares (the keyholder, the hub, the agency
 * node): a shutdown (./shutdown.ts) that logs each resource failing to close as
 * `shutdown_failed`, a start-up that registers each resource as it opens it and, if a later step
 * throws, closes what it had opened before rethrowing; then the HTTP server, after which
 * SIGTERM/SIGINT close the service. What a service opens, and in which order, stays in its own start.ts.
 */
import type { AddressInfo } from 'node:net';
import {
  closeServer,
  DEFAULT_SERVER_LIMITS,
  listen,
  type ServerLimits,
  type TlsFiles,
} from '../http/listen.js';
import type { Logger } from '../logging/json-lines.js';
import { createShutdown, type Closer, type SignalTarget } from './shutdown.js';

export interface StartServiceOptions {
  /**
   * Where SIGTERM/SIGINT come from and exit goes to (default: this process). `false` installs
   * no handler: the caller closes the service itself (tests, an embedding process).
   */
  readonly signals?: SignalTarget | false;
  /**
   * Receives `shutdown_failed` (field `resource`) for each resource that failed to close, and
   * `connections_dropped` (warn) when connections beyond the cap were closed.
   */
  readonly log: Logger;
  /** Paces `connections_dropped`: at most one line a minute (default: the system clock). */
  readonly now?: () => Date;
}

/** At most one `connections_dropped` line per this many milliseconds. */
export const DROP_REPORT_INTERVAL_MS = 60_000;

/** What a service's start-up uses to open its resources. */
export interface ServiceStartup {
  /** Registers a resource just opened; resources close newest first. */
  register(name: string, close: Closer): void;
  /**
   * The last step: serves `app` on host:port within `limits` (default DEFAULT_SERVER_LIMITS;
   * closed first on shutdown, as `http server`), then closes the service on SIGTERM/SIGINT
   * (unless `signals: false`). Returns the URL bound.
   */
  serve(
    app: { fetch: (request: Request) => Response | Promise<Response> },
    host: string,
    port: number,
    limits?: ServerLimits,
    /** HTTPS with these files (platform/http/listen.ts); the URL is then `https://`. */
    tls?: TlsFiles,
  ): Promise<string>;
}

export interface RunningService {
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  /** Closes every resource, newest first (what SIGTERM does, without exiting). */
  close(): Promise<void>;
  /** Settles once the service has closed, by close() or by a signal. */
  readonly closed: Promise<void>;
}

/** `http://host:port` for a bound address; an IPv6 address goes in brackets (RFC 3986 §3.2.2). */
export function listeningUrl(address: AddressInfo, scheme: 'http' | 'https' = 'http'): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}

/**
 * Runs `start`, which opens the service's resources through `startup` and returns the URL that
 * `startup.serve` gave it (after logging that it started). If `start` throws, everything it
 * registered is closed before the error is rethrown.
 */
export async function startService(
  options: StartServiceOptions,
  start: (startup: ServiceStartup) => Promise<string>,
): Promise<RunningService> {
  const { log } = options;
  const shutdown = createShutdown({
    ...(options.signals ? { target: options.signals } : {}),
    onError: (name) => log('error', 'shutdown_failed', { resource: name }),
  });
  let finished!: () => void;
  const closed = new Promise<void>((resolve) => (finished = resolve));
  shutdown.register('closed', () => finished());
  // The signal handlers stay while a signal's shutdown runs — a second Ctrl-C then does nothing
  // more (shutdown.ts) instead of killing the process half-way through closing the database —
  // and are removed only when the service is closed in process.
  let stopListening = () => {};
  const startup: ServiceStartup = {
    register: (name, close) => shutdown.register(name, close),
    async serve(app, host, port, limits, tls) {
      const { server, address } = await listen(app, host, port, {
        ...(limits ? { limits } : {}),
        ...(tls ? { tls } : {}),
        onConnectionDropped: dropReporter(log, options.now ?? (() => new Date()), limits),
      });
      shutdown.register('http server', () => closeServer(server));
      if (options.signals !== false) stopListening = shutdown.listen();
      return listeningUrl(address, tls ? 'https' : 'http');
    },
  };
  const closeInProcess = async () => {
    stopListening();
    await shutdown.close();
  };
  try {
    const url = await start(startup);
    return { url, closed, close: closeInProcess };
  } catch (e) {
    await closeInProcess();
    throw e;
  }
}

/**
 * Connections refused at the cap are counted and reported at most once a minute, so that a
 * flood of connections cannot flood the log as well: the first one at once, then the count.
 */
function dropReporter(log: Logger, now: () => Date, limits: ServerLimits | undefined): () => void {
  let dropped = 0;
  let lastReport: number | undefined;
  return () => {
    dropped += 1;
    const at = now().getTime();
    if (lastReport !== undefined && at - lastReport < DROP_REPORT_INTERVAL_MS) return;
    log('warn', 'connections_dropped', {
      count: dropped,
      maxConnections: (limits ?? DEFAULT_SERVER_LIMITS).maxConnections,
    });
    dropped = 0;
    lastReport = at;
  };
}
