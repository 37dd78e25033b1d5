import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { formatSeconds, progressBars, progressDisplay, progressWanted } from './progress-bar.js';
import { screen } from './test-support/screen.js';

const PHASES = {
  validate: { label: 'Checking', unit: 'rows' },
  write: { label: 'Writing', unit: 'rows' },
};

function capture(columns: number | undefined = 100) {
  const chunks: string[] = [];
  return { chunks, out: { write: (t: string) => void chunks.push(t), columns: () => columns } };
}

function io(terminal: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stdout: () => undefined,
    stderr: (t) => void err.push(t),
    now: () => new Date('2026-11-27T12:00:00Z'),
    ...(terminal ? { stderrTerminal: { columns: 100 } } : {}),
  };
}

describe('progress bars', () => {
  it('draws each phase on its own line and ends it at its final count', () => {
    const { chunks, out } = capture();
    const bars = progressBars(out, PHASES);
    bars.update({ phase: 'validate', done: 0, total: 40 });
    bars.update({ phase: 'validate', done: 40, total: 40 });
    bars.update({ phase: 'write', done: 10, total: 25 });
    bars.update({ phase: 'write', done: 25, total: 25 });
    bars.stop();
    const lines = screen(chunks.join(''));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Checking \[=+\] 100% \| 40\/40 rows/);
    expect(lines[1]).toMatch(/^Writing {2}\[=+\] 100% \| 25\/25 rows/);
  });

  it('trims a line to the width of the terminal', () => {
    const { chunks, out } = capture(30);
    const bars = progressBars(out, PHASES);
    bars.update({ phase: 'write', done: 1, total: 2 });
    bars.stop();
    const line = screen(chunks.join(''))[0]!;
    expect(line.length).toBeLessThanOrEqual(30);
    expect(line).toMatch(/^Writing/);
  });

  it('names a phase it has no label for, and ignores updates after stop', () => {
    const { chunks, out } = capture();
    const bars = progressBars(out, PHASES);
    bars.update({ phase: 'send', done: 3, total: 3 });
    bars.stop();
    const before = chunks.length;
    bars.update({ phase: 'send', done: 4, total: 4 });
    bars.stop();
    expect(chunks.length).toBe(before);
    expect(screen(chunks.join(''))).toEqual([expect.stringMatching(/^send +\[=+\] 100% \| 3\/3/)]);
  });

  it('draws no bar for a phase with nothing to count', () => {
    const { chunks, out } = capture();
    const bars = progressBars(out, PHASES);
    bars.update({ phase: 'validate', done: 0, total: 0 });
    bars.update({ phase: 'write', done: 2, total: 2 });
    bars.stop();
    expect(screen(chunks.join(''))).toEqual([
      expect.stringMatching(/^Writing +\[=+\] 100% \| 2\/2/),
    ]);
  });

  it('shows the time left in seconds, minutes or hours, and ? before there is a rate', () => {
    expect([0, 9.4, 65, 3600 + 7 * 60].map(formatSeconds)).toEqual(['0s', '9s', '1m05s', '1h07m']);
    expect(['NULL', 'INF', Number.NaN, -1].map(formatSeconds)).toEqual(['?', '?', '?', '?']);
  });

  it('is wanted only on a terminal and without --json or --no-progress', () => {
    expect(progressWanted(io(true), {})).toBe(true);
    expect(progressWanted(io(true), { progress: true })).toBe(true);
    expect(progressWanted(io(false), {})).toBe(false);
    expect(progressWanted(io(true), { json: true })).toBe(false);
    expect(progressWanted(io(true), { progress: false })).toBe(false);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const cli = io(false);
    expect(progressDisplay(cli, {}, PHASES)).toBeUndefined();
    expect(progressDisplay(io(true), { json: true }, PHASES)).toBeUndefined();
    expect(cli.err).toEqual([]);
  });

  it('writes the bars to the CLI stderr on a terminal', () => {
    const cli = io(true);
    const display = progressDisplay(cli, {}, PHASES)!;
    display.update({ phase: 'write', done: 7, total: 7 });
    display.stop();
    expect(screen(cli.err.join(''))).toEqual([
      expect.stringMatching(/^Writing +\[=+\] 100% \| 7\/7 rows/),
    ]);
  });
});
