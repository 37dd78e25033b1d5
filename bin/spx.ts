/**
 * The `spx` command line: one program, a subcommand per role. This file is the composition
 * root that may import both node/ and hub/; they never import each other.
 */
import { inspect } from 'node:util';
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { internalErrorSummary } from '../platform/error-summary.js';
import { DEPRECATED_SETTING_NAMES } from './deprecated-names.js';

type Register = (program: Command, io: CliIo) => void;

/**
 * Each top-level command, in the order help lists them, and how to load the module that
 * registers it. Loading is most of a command's start-up time, so a command loads its own role's
 * modules only: `spx node check` does not load the hub's or the keyholder's.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  keys: async () => (await import('../node/cli/keys-command.js')).registerKeysCommand,
  hub: async () => (await import('../hub/cli.js')).registerHubCommands,
  keyholder: async () => (await import('../keyholder/cli.js')).registerKeyholderCommands,
  node: async () => (await import('../node/cli.js')).registerNodeCommands,
  body: async () => (await import('../body/cli.js')).registerBodyCommands,
  'audit-log': async () => (await import('../node/audit/cli.js')).registerAuditCommand,
};

/**
 * The program for `argv`: with only the command argv[0] names, or with every command when it
 * names none (help, a typo: commander then lists or suggests them all).
 */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('spx')
    .description('Safe Policing Exchange: agency node, hub and keyholder tools.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  const named = argv[0];
  const wanted =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, io);
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
  // A terminal's WriteStream has a live `columns`: bars follow a resized window.
  ...(process.stderr.isTTY ? { stderrTerminal: process.stderr } : {}),
  now: () => new Date(),
};

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 rejected input or failure, 2 usage. A setting
 * given under a deprecated name (docs/configuration.md) is warned about on stderr first.
 *
 * An error that is not a CliError is a failure the commands did not foresee (a database
 * statement failing, a bug): it is printed as `spx: INTERNAL_ERROR: <name>[ <SQLSTATE>]` and
 * exit code 1, never with its message or stack, which can hold a statement's parameters — an
 * OPRF secret, an agency's contact details. SPX_DEBUG=1 prints the whole error as well, for an
 * operator debugging on their own terminal.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  // Warned here, once per run, so every command that reads the settings tells the operator.
  // The settings tables of every service are loaded only when an old name is actually set.
  if (
    Object.keys(env).some((name) => DEPRECATED_SETTING_NAMES.has(name) && env[name] !== undefined)
  ) {
    const { deprecationWarnings } = await import('./settings.js');
    for (const warning of deprecationWarnings(env)) io.stderr(`spx: warning: ${warning}\n`);
  }
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync([...argv], { from: 'user' });
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
    io.stderr(`spx: INTERNAL_ERROR: ${internalErrorSummary(e)}\n`);
    if (env['SPX_DEBUG'] === '1') io.stderr(`${inspect(e, { depth: 5 })}\n`);
    else io.stderr('(set SPX_DEBUG=1 to print the whole error, which may contain secrets)\n');
    return 1;
  }
}
