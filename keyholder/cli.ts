/**
 * `spx keyholder …`: the keyholder operator's commands (docs/keyholder.md "CLI"). Each works
 * directly on the keyholder's database — from SPX_DATABASE_URL / SPX_DATA_DIR, or `--data-dir`
 * — except `split` and `gen-kek`, which only write files. With PGlite a running `serve` holds
 * the data directory: quota, admission and key-listing commands then go through its operator
 * socket (operator/); the commands that store or retire keys ask for it to be stopped. Key commands
 * are in cli-keys.ts, admissions in admissions.cli.ts; `quota` and `serve` here.
 */
import type { Command } from 'commander';
import { CliError, type CliIo } from '../platform/cli/cli-io.js';
import { MAX_DAILY_QUOTA } from './config.js';
import { registerAdmissionCommands } from './admissions.cli.js';
import { cliRunner } from '../platform/cli/cli-errors.js';
import { registerKeyCommands } from './cli-keys.js';
import { isKeyholderError } from './errors.js';
import {
  configFrom,
  DATA_DIR_HELP,
  defaultRng,
  integerFlag,
  oriFlag,
  printJson,
  withOperations,
  type KeyholderCliDeps,
} from './cli-support.js';
import { startKeyholder } from './start.js';

export type { KeyholderCliDeps } from './cli-support.js';

export function registerKeyholderCommands(
  program: Command,
  io: CliIo,
  deps: KeyholderCliDeps = {},
): void {
  // The composition root passes no deps: then this process's environment and randomness.
  const env = deps.env ?? process.env;
  const rng = deps.rng ?? defaultRng;
  const run = cliRunner(isKeyholderError);
  const group = program
    .command('keyholder')
    .description('Keyholder operator commands: keys per epoch, quotas, and the service itself.');
  registerKeyCommands(group, { io, env, rng, run });
  registerAdmissionCommands(group, { io, env, rng, run });

  group
    .command('quota')
    .description("Show or set an agency's daily allowance of evaluated elements.")
    .requiredOption('--ori <ori>', 'the agency')
    .option('--daily <n>', `its own daily allowance, 0..${MAX_DAILY_QUOTA}`)
    .option('--clear', 'return the agency to the default allowance')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(
      run(
        async (o: {
          ori: string;
          daily?: string;
          clear?: boolean;
          dataDir?: string;
          json?: boolean;
        }) => {
          const ori = oriFlag(o.ori);
          if (o.daily !== undefined && o.clear) {
            throw new CliError('OPTION_INVALID', '--daily and --clear: give one of them');
          }
          const daily =
            o.daily === undefined ? undefined : integerFlag('--daily', o.daily, 0, MAX_DAILY_QUOTA);
          const config = configFrom(env, o);
          const result = await withOperations(config, { now: io.now, rng }, (ops) =>
            ops.quota(ori, daily !== undefined ? { daily } : o.clear ? { clear: true } : undefined),
          );
          // The day and the default are the ones of the process that read them: the running
          // keyholder's when the command went through its socket.
          const { day, allowance, defaultDaily } = result;
          const limit = allowance ?? defaultDaily;
          const view = { ori, day, used: result.used, allowance, defaultDaily, limit };
          if (o.json) return printJson(io.stdout, view);
          io.stdout(
            `${ori}: ${limit} elements per UTC day ` +
              `(${allowance === null ? 'the default' : 'its own allowance'}); ` +
              `${result.used} used on ${day}\n`,
          );
        },
      ),
    );

  group
    .command('serve')
    .description('Run the keyholder service until SIGTERM or SIGINT.')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--port <port>', 'listen port (overrides SPX_KEYHOLDER_PORT; 0 picks a free one)')
    .option('--host <host>', 'listen address (overrides SPX_KEYHOLDER_HOST)')
    .action(
      run(async (o: { dataDir?: string; port?: string; host?: string }) => {
        const parsed = configFrom(env, o);
        // Flags win over SPX_KEYHOLDER_PORT / _HOST; port 0 (a free port) is for tests and demos.
        const config = {
          ...parsed,
          ...(o.port === undefined ? {} : { port: integerFlag('--port', o.port, 0, 65535) }),
          ...(o.host === undefined ? {} : { host: o.host }),
        };
        const running = await startKeyholder(config, {
          fetch: deps.fetch ?? globalThis.fetch,
          now: io.now,
          rng,
          log: deps.log ?? ((line) => io.stdout(`${line}\n`)),
          ...(deps.signals ? { signals: deps.signals } : {}),
        });
        deps.onStarted?.(running);
        await running.closed;
      }),
    );
}
