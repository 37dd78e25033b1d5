/**
 * Runs `spx` as separate operating-system processes, the way operators run the services: the
 * demo and the end-to-end test start the keyholder, the hub and agency nodes with this, each
 * with its own environment, data directory and log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SPX = fileURLToPath(new URL('../spx.mjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one `spx` command to completion. */
export function runSpx(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SPX, ...args], {
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
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then waits for the exit code (SIGKILL after the grace period). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartServiceOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Base URL; `${url}/v1/health` must answer 200 before the service counts as started. */
  readonly url: string;
  /** stdout and stderr of the process are appended here. */
  readonly logFile: string;
  readonly timeoutMs?: number;
}

export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [SPX, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
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
    try {
      const res = await fetch(`${options.url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(2_000);
      throw new Error(`${options.name} did not become healthy in time; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name: options.name, url: options.url, pid: child.pid, stop };
}
