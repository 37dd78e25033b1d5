/**
 * `spx node import`, `publish`, `status` (docs/node.md "CLI"): clients of a running node's
 * import, publish and status routes, with progress bars for the long ones.
 */
import type { Command } from 'commander';
import { CliError } from '../../platform/cli/cli-io.js';
import { progressDisplay, type PhaseLabel } from '../../platform/cli/progress-bar.js';
import { isFileTooLargeError, readFileBounded } from '../../platform/fs/index.js';
import { DEFAULT_IMPORT_LIMITS } from '../import/import-result.js';
import { IMPORT_KINDS, ImportRejectedSchema } from '../api/index.js';
import { MAX_SWORN, PERIOD_LENGTHS, PeriodSchema } from '../../protocol/certification.js';
import type { CertifyRequest } from '../api/index.js';
import { IsoDateSchema } from '../../protocol/common.js';
import { formatCertify, formatImport, formatPublish, formatStatus } from './cli-format.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';
import { NodeApiError } from './node-api-client.js';
import { plural } from './plural.js';

/** The phases a node streams for an import and a publish (docs/node.md "API"). */
const IMPORT_PHASES: Readonly<Record<string, PhaseLabel>> = {
  validate: { label: 'Checking', unit: 'rows' },
  write: { label: 'Writing', unit: 'rows' },
};
const PUBLISH_PHASES: Readonly<Record<string, PhaseLabel>> = {
  sign: { label: 'Signing', unit: 'outcomes' },
  send: { label: 'Sending', unit: 'statements' },
};
const NO_PROGRESS = [
  '--no-progress',
  'no progress bars (drawn only when stderr is a terminal)',
] as const;

export function registerClientCommands(group: Command, ctx: ClientCommandContext): void {
  const { io, run, client, withClientOptions, print } = ctx;

  withClientOptions(
    group
      .command('import')
      .description('Import an officers or outcomes CSV file (docs/csv-formats.md).')
      .argument('<kind>', 'officers or outcomes')
      .argument('<file>', 'the CSV file')
      .option('--dry-run', 'check the file and report what would change; write nothing')
      .option(...NO_PROGRESS),
  ).action(
    run(async (kindArg: string, file: string, o: ClientFlags & { dryRun?: boolean }) => {
      const kind = IMPORT_KINDS.find((k) => k === kindArg);
      if (kind === undefined) {
        throw new CliError('OPTION_INVALID', 'kind: expected officers or outcomes', {
          exitCode: 2,
        });
      }
      const bars = progressDisplay(io, o, IMPORT_PHASES);
      const api = client(o, bars);
      let bytes: Uint8Array;
      // Bounded while reading (a FIFO, /dev/zero or a runaway export has no honest size to
      // stat): the node refuses a CSV over its limit anyway, so nothing more is worth reading.
      const limit = DEFAULT_IMPORT_LIMITS.maxFileBytes;
      try {
        io.stderr(`Reading ${file}…\n`);
        bytes = new Uint8Array(await readFileBounded(file, limit));
      } catch (e) {
        if (isFileTooLargeError(e)) {
          throw new CliError(
            'FILE_TOO_LARGE',
            `${file} is over ${limit / 2 ** 20} MiB, the most a node imports at once: split it`,
          );
        }
        throw new CliError('FILE_UNREADABLE', `cannot read ${file}`);
      }
      const lines = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
      io.stderr(
        `Sending about ${plural(Math.max(lines - 1, 0), 'row')} to the node${o.dryRun ? ' (dry run)' : ''}…\n`,
      );
      try {
        const result = await api
          .importCsv(kind, bytes, o.dryRun ?? false)
          .finally(() => bars?.stop());
        print(o.json, result, () => formatImport(kind, result));
      } catch (e) {
        // With --json the client has printed the problem already.
        const rejected = e instanceof NodeApiError && ImportRejectedSchema.safeParse(e.problem);
        if (!o.json && rejected && rejected.success) io.stdout(formatImport(kind, rejected.data));
        throw e;
      }
    }),
  );

  withClientOptions(
    group
      .command('publish')
      .description('Attest new and changed outcomes to the hub and deliver the outbox.')
      .option(
        '--retry-rejected',
        'also publish again outcomes whose last statement the hub refused',
      )
      .option(...NO_PROGRESS),
  ).action(
    run(async (o: ClientFlags & { retryRejected?: boolean }) => {
      io.stderr('Publishing: tokenizing through the keyholders, signing, sending to the hub…\n');
      const bars = progressDisplay(io, o, PUBLISH_PHASES);
      const result = await client(o, bars)
        .publish({ retryRejected: o.retryRejected ?? false })
        .finally(() => bars?.stop());
      print(o.json, result, () => formatPublish(result));
    }),
  );

  withClientOptions(
    group.command('status').description("The node's counts: records, statements, outbox, checks."),
  ).action(
    run(async (o: ClientFlags) => {
      const result = await client(o).status();
      print(o.json, result, () => formatStatus(result));
    }),
  );

  withClientOptions(
    group
      .command('certify')
      .description(
        'Sign and send the agency\'s certification of a closed period (docs/node.md "Certifications").',
      )
      .option('--period <period>', 'YYYY-Qn, YYYY-MM or YYYY (default: the last closed quarter)')
      .option('--period-length <length>', `${PERIOD_LENGTHS.join(', ')} (default: quarter)`)
      .option('--sworn <n>', "sworn headcount (default: the roster on the period's last day)")
      .option('--dry-run', 'count and show the certification; sign and send nothing'),
  ).action(
    run(
      async (
        o: ClientFlags & {
          period?: string;
          periodLength?: string;
          sworn?: string;
          dryRun?: boolean;
        },
      ) => {
        const result = await client(o).certify(certifyRequest(o));
        print(o.json, result, () => formatCertify(result));
      },
    ),
  );
}

/** `spx node credential affirm` (docs/node.md "Credentials"). */
export function registerCredentialCommands(group: Command, ctx: ClientCommandContext): void {
  const { run, client, withClientOptions, print } = ctx;
  const credential = group
    .command('credential')
    .description('The agency\'s credentialing: the chief\'s "in process" affirmation.');
  withClientOptions(
    credential
      .command('affirm')
      .description(
        "Sign and send the chief's affirmation that the agency is in the process of being " +
          'credentialed; it counts for 12 months (docs/protocol.md §5.16).',
      )
      .option('--affirmed-on <YYYY-MM-DD>', 'the day affirmed (default: today)'),
  ).action(
    run(async (o: ClientFlags & { affirmedOn?: string }) => {
      if (o.affirmedOn !== undefined && !IsoDateSchema.safeParse(o.affirmedOn).success) {
        throw new CliError('OPTION_INVALID', '--affirmed-on: expected YYYY-MM-DD', {
          field: 'affirmedOn',
          exitCode: 2,
        });
      }
      const result = await client(o).affirm(
        o.affirmedOn === undefined ? {} : { affirmedOn: o.affirmedOn },
      );
      print(o.json, result, () =>
        [
          `Affirmed in process on ${result.affirmation.affirmedOn}; counts until ${result.validUntil}.`,
          `Receipt ${result.receipt.id}: ${result.receipt.status}, log entry ${result.receipt.log.index}`,
          '',
        ].join('\n'),
      );
    }),
  );
}

/** The certify flags, checked before anything is sent (the node checks them again). */
export function certifyRequest(o: {
  period?: string;
  periodLength?: string;
  sworn?: string;
  dryRun?: boolean;
}): CertifyRequest {
  const request: { -readonly [K in keyof CertifyRequest]: CertifyRequest[K] } = {};
  if (o.period !== undefined) {
    if (!PeriodSchema.safeParse(o.period).success) {
      throw new CliError('OPTION_INVALID', '--period: expected YYYY-Qn, YYYY-MM or YYYY', {
        field: 'period',
        exitCode: 2,
      });
    }
    request.period = o.period;
  }
  if (o.periodLength !== undefined) {
    const length = PERIOD_LENGTHS.find((l) => l === o.periodLength);
    if (length === undefined) {
      throw new CliError(
        'OPTION_INVALID',
        `--period-length: expected ${PERIOD_LENGTHS.join(', ')}`,
        {
          field: 'periodLength',
          exitCode: 2,
        },
      );
    }
    request.periodLength = length;
  }
  if (o.sworn !== undefined) {
    if (!/^[0-9]{1,6}$/.test(o.sworn) || Number(o.sworn) > MAX_SWORN) {
      throw new CliError(
        'OPTION_INVALID',
        `--sworn: expected a whole number from 0 to ${MAX_SWORN}`,
        { field: 'sworn', exitCode: 2 },
      );
    }
    request.sworn = Number(o.sworn);
  }
  if (o.dryRun === true) request.dryRun = true;
  return request;
}
