/**
 * Runs `spx` as separate operating-system processes, the way operators run the services: the
 * demo and the end-to-end test start the keyholder, the hub and agency nodes with this, each
 * with its own environment, data directory and log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's `spx` command (bin/spx.mjs, which runs the build in dist/), found from this
 * module whether it runs as source (bin/demo/) under vitest or built (dist/bin/demo/).
 */
function spxCommand(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'bin', 'spx.mjs');
    if (path.dirname(dir) === dir) throw new Error('spx: no package.json above bin/demo');
  }
}

let spxPath: string | undefined;
const SPX = (): string => (spxPath ??= spxCommand());

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one `spx` command to completion (`command`: another copy's bin/spx.mjs). */
export function runSpx(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  command: string = SPX(),
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like runSpx, but a non-zero exit is an error that carries the command's output. */
export async function spx(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<string> {
  const r = await runSpx(args, env);
  if (r.code !== 0) {
    throw new Error(`spx ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

export interface ServiceProcess {
  readonly name: string;
  /** `http://host:port` the service reported it bound (its `started` log line). */
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then waits for the exit code (SIGKILL after the grace period). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartServiceOptions {
  readonly name: string;
  readonly args: readonly string[];
  /**
   * The service's environment. Leave its port at 0 (or set it so): the operating system picks a
   * free one, which the service reports, so parallel runs never race for a port.
   */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr of the process are appended here. */
  readonly logFile: string;
  readonly timeoutMs?: number;
  /** The `spx` script to run: this package's bin/spx.mjs by default (an installed copy's too). */
  readonly command?: string;
}

/**
 * The URL in a service's `started` log line (hub, keyholder and node all write one, as JSON on
 * stdout, once their port is bound); undefined for any other line.
 */
export function startedUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const event = JSON.parse(line) as { event?: unknown; url?: unknown };
    return event.event === 'started' && typeof event.url === 'string' ? event.url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `spx <args>` and resolves once it has reported the address it bound and answered
 * `/v1/health` there with 200.
 */
export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [options.command ?? SPX(), ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let url: string | undefined;
  let partial = '';
  const findUrl = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) url ??= startedUrl(line);
    if (url !== undefined) child.stdout!.off('data', findUrl);
  };
  child.stdout!.on('data', findUrl);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    log.end();
    return code;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) {
      log.end();
      throw new Error(
        `${options.name} exited with ${child.exitCode} before it was healthy; see ${options.logFile}`,
      );
    }
    if (url !== undefined) {
      try {
        const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return { name: options.name, url, pid: child.pid, stop };
      } catch {
        // bound, but not answering yet
      }
    }
    if (Date.now() > deadline) {
      await stop(2_000);
      throw new Error(`${options.name} did not become healthy in time; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, url === undefined ? 50 : 250));
  }
}
