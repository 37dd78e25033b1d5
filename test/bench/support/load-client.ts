/**
 * The benchmarks' HTTP load: a service's Hono app served by @hono/node-server on 127.0.0.1 (as
 * `spx … serve` does), and a client in a **separate process** (forked) that replays prepared
 * requests over keep-alive loopback connections with bounded concurrency, timing each from
 * the first byte written to the last byte read.
 *
 * Why a separate process: the server's event loop then does only the server's work, as it
 * would with remote clients. Everything a client computes (request tokens, bodies) is prepared
 * by the parent before the timed run and shipped to the client, so the timed window holds HTTP
 * and server work only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';

export interface PreparedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Groups latencies in the result, e.g. `hit` / `miss`. */
  readonly tag: string;
}

export interface LoadResult {
  readonly wallSeconds: number;
  readonly requests: number;
  /** Milliseconds per request, by tag and all together. */
  readonly latencies: Record<string, number[]>;
  readonly all: number[];
  /** HTTP status → count; `error` for a failed connection. */
  readonly statuses: Record<string, number>;
}

interface RunMessage {
  readonly type: 'run';
  readonly url: string;
  readonly concurrency: number;
  readonly requests: readonly PreparedRequest[];
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function serveApp(app: { fetch: (req: Request) => Response | Promise<Response> }) {
  return new Promise<RunningServer>((resolve, reject) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (i) =>
      resolve({
        url: `http://127.0.0.1:${(i as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((e) => (e ? fail(e) : done()));
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      }),
    );
    server.once('error', reject);
  });
}

/** The parent's side: one forked client process, reused for every run of a script. */
export class LoadClient {
  readonly #child: ChildProcess;

  constructor() {
    // process.execArgv carries tsx's loader, so the child runs this TypeScript file too.
    this.#child = fork(new URL(import.meta.url), ['--load-client'], {
      execArgv: process.execArgv,
      serialization: 'advanced',
    });
  }

  run(url: string, requests: readonly PreparedRequest[], concurrency: number) {
    return new Promise<LoadResult>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load client exited (${code})`));
      this.#child.once('exit', onExit);
      this.#child.once('message', (m) => {
        this.#child.off('exit', onExit);
        resolve(m as LoadResult);
      });
      const message: RunMessage = { type: 'run', url, concurrency, requests };
      this.#child.send(message);
    });
  }

  close(): void {
    this.#child.kill();
  }
}

/** Fails loudly when any answer was not the expected status: the figures would be wrong. */
export function expectStatuses(result: LoadResult, expected: number, what: string): void {
  const bad = Object.entries(result.statuses).filter(([s]) => s !== String(expected));
  if (bad.length > 0) {
    throw new Error(`${what}: unexpected answers ${JSON.stringify(result.statuses)}`);
  }
}

async function runLoad(message: RunMessage): Promise<LoadResult> {
  const target = new URL(message.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: message.concurrency });
  const latencies: Record<string, number[]> = {};
  const all: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;

  const once = (r: PreparedRequest) =>
    new Promise<string>((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: r.method,
          path: r.path,
          headers:
            r.body === undefined
              ? r.headers
              : { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(String(res.statusCode)));
          res.on('error', () => resolve('error'));
        },
      );
      req.on('error', () => resolve('error'));
      req.end(r.body);
    });

  const lane = async () => {
    for (let i = next++; i < message.requests.length; i = next++) {
      const r = message.requests[i]!;
      const start = performance.now();
      const status = await once(r);
      const elapsed = performance.now() - start;
      statuses[status] = (statuses[status] ?? 0) + 1;
      (latencies[r.tag] ??= []).push(elapsed);
      all.push(elapsed);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: message.concurrency }, lane));
  const wallSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { wallSeconds, requests: message.requests.length, latencies, all, statuses };
}

if (process.argv.includes('--load-client') && process.send !== undefined) {
  process.on('message', (m: RunMessage) => {
    void runLoad(m).then((result) => process.send!(result));
  });
  process.on('disconnect', () => process.exit(0));
}
