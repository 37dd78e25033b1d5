/**
 * Progress bars for long CLI work (import, publish), drawn on stderr with cli-progress — only
 * when stderr is a terminal and neither `--json` nor `--no-progress` was given. In a pipe, in
 * CI or with `--json` nothing is drawn, so scripts see the same output with or without bars.
 *
 * Work comes in phases (an import checks its rows, then writes them); each phase gets its own
 * bar, and a finished phase stays on screen as one line at its final count.
 */
// A CommonJS package: Node's ESM loader finds only some of its names (not `Format`), so take
// the whole module.exports.
import cliProgress, { type GenericFormatter } from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** `done` of `total` units of one phase of the work. */
export interface ProgressUpdate {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface ProgressDisplay {
  update(progress: ProgressUpdate): void;
  /**
   * Draws the last count and ends the bar. Call it before printing the result, and whatever
   * happens: a running bar redraws on a timer that keeps the process alive.
   */
  stop(): void;
}

/** How a phase is shown: `Writing [=====…] 40% | 400/1000 rows | ETA 6s`. */
export interface PhaseLabel {
  readonly label: string;
  readonly unit: string;
}

export interface ProgressFlags {
  readonly json?: boolean | undefined;
  /** false with `--no-progress` (commander's negated option). */
  readonly progress?: boolean | undefined;
}

/** Where bars go: text to write, and the terminal's width when known. */
export interface BarOutput {
  readonly write: (text: string) => void;
  readonly columns: () => number | undefined;
}

/** Bars only on a terminal, and never with `--json` or `--no-progress`. */
export function progressWanted(io: CliIo, flags: ProgressFlags): boolean {
  return io.stderrTerminal !== undefined && flags.json !== true && flags.progress !== false;
}

/** Bars on the CLI's stderr when they are wanted (progressWanted), otherwise undefined. */
export function progressDisplay(
  io: CliIo,
  flags: ProgressFlags,
  phases: Readonly<Record<string, PhaseLabel>>,
): ProgressDisplay | undefined {
  const terminal = io.stderrTerminal;
  if (terminal === undefined || !progressWanted(io, flags)) return undefined;
  return progressBars({ write: io.stderr, columns: () => terminal.columns }, phases);
}

/** Draws bars on `out` unconditionally (progressDisplay decides whether to). */
export function progressBars(
  out: BarOutput,
  phases: Readonly<Record<string, PhaseLabel>>,
): ProgressDisplay {
  const width = Math.max(0, ...Object.values(phases).map((p) => p.label.length));
  const stream = terminalStream(out);
  let current: { phase: string; bar: cliProgress.SingleBar } | undefined;
  let stopped = false;

  const finish = () => {
    current?.bar.stop();
    current = undefined;
  };
  return {
    update({ phase, done, total }) {
      if (stopped) return;
      if (current?.phase !== phase) {
        finish();
        // Nothing to count (a publish with nothing new): no bar rather than an empty 0/0 one.
        if (total === 0) return;
        const bar = new cliProgress.SingleBar({
          stream,
          format: lineFormat(phases[phase] ?? { label: phase, unit: '' }, width),
          barsize: 30,
          // true trims a line to the terminal's width and leaves line wrapping as it was (false
          // would switch wrapping off, and a killed process would leave it off).
          linewrap: true,
          etaBuffer: 20,
          formatTime: formatSeconds,
        });
        bar.start(total, done);
        current = { phase, bar };
        return;
      }
      current.bar.setTotal(total);
      current.bar.update(done);
    },
    stop() {
      finish();
      stopped = true;
    },
  };
}

/** While running, the time left; once done, the time it took. */
function lineFormat(shown: PhaseLabel, width: number): GenericFormatter {
  const head = `${shown.label.padEnd(width)} [{bar}] {percentage}% | {value}/{total} ${shown.unit}`;
  const running = `${head} | ETA {eta_formatted}`;
  const done = `${head} | in {duration_formatted}`;
  return (options, params, payload) =>
    cliProgress.Format.Formatter(
      { ...options, format: params.value >= params.total ? done : running },
      params,
      payload,
    );
}

/** `42s`, `3m05s`, `1h07m`; `?` until there is a rate to estimate from (cli-progress: NULL, INF). */
export function formatSeconds(t: unknown): string {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return '?';
  const s = Math.round(t);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  return `${s}s`;
}

/**
 * cli-progress writes to a stream and moves the cursor with node:readline, which needs only
 * `write`; it checks `isTTY` and reads `columns`. This is that much of a tty.WriteStream.
 */
function terminalStream(out: BarOutput): NodeJS.WritableStream {
  const stream = {
    isTTY: true,
    get columns() {
      return out.columns();
    },
    write(text: string, callback?: () => void) {
      out.write(text);
      callback?.();
      return true;
    },
  };
  return stream as unknown as NodeJS.WritableStream;
}
