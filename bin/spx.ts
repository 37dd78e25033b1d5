/**
 * The `spx` command line: one program, a subcommand per role. This file is the composition
 * root that may import both node/ and hub/; they never import each other.
 */
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { registerHubCommands } from '../hub/cli.js';
import { registerKeyholderCommands } from '../hub/keyholder/cli.js';
import { registerNodeCommands } from '../node/cli.js';
import { registerKeysCommand } from '../node/cli/keys-command.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('spx')
    .description('Safe Policing Exchange: agency node, hub and keyholder tools.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  registerKeysCommand(program, io);
  registerHubCommands(program, io);
  registerKeyholderCommands(program, io);
  registerNodeCommands(program, io);
  routeOutput(program, io);
  return program;
}

/** Every (sub)command reports through io and ends through an exception, never process.exit. */
function routeOutput(command: Command, io: CliIo): void {
  for (const sub of command.commands) {
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    routeOutput(sub, io);
  }
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
};

/** Runs the CLI and returns the exit code: 0 ok, 1 rejected input or failure, 2 usage. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CliError) {
      io.stderr(`spx: ${e.code}: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
