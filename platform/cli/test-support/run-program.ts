/**
 * Test support: runs commands registered on a fresh `spx` program with an io that records what
 * they print, and maps the way a command ends to its exit code as bin/spx.ts `main` does — 0,
 * a CliError's own code (printed as `spx: CODE: message`), 2 for commander's usage errors.
 */
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo } from '../cli-io.js';

export interface ProgramRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runProgram(
  register: (program: Command, io: CliIo) => void,
  args: readonly string[],
  now: Date,
): Promise<ProgramRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: () => now,
  };
  const program = new Command('spx');
  register(program, io);
  const route = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    c.commands.forEach(route);
  };
  route(program);
  let code = 0;
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else if (e instanceof CliError) {
      err.push(`spx: ${e.code}: ${e.message}\n`);
      code = e.exitCode;
    } else throw e;
  }
  return { code, out: out.join(''), err: err.join('') };
}
