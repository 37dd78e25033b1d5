/**
 * `spx hub report compliance` (docs/hub.md "Compliance report"): the signed compliance report of
 * a period, JSON or CSV, on the hub's database or through the running hub like the registry
 * commands. The report goes to standard output or `--out`; its detached signature to
 * `--signature`, by default `<out>.jws` beside `--out`. Each file is written whole or not at all
 * (a temporary file renamed into place).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import { isHubError } from '../errors.js';
import type { WithOperations } from '../registry/registry.cli.js';

async function writeWhole(path: string, contents: string, flag: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    throw new CliError('OUT_UNWRITABLE', `${flag}: cannot write ${path}`);
  }
}

interface ReportFlags {
  period?: string;
  asOf?: string;
  rule?: string;
  format: string;
  out?: string;
  signature?: string;
}

/** Registers `compliance` under `spx hub report`. */
export function registerComplianceCommands(
  report: Command,
  io: CliIo,
  withOperations: WithOperations,
): void {
  report
    .command('compliance')
    .description(
      'Per agency: credential, certification, timeliness of reports and grant eligibility with ' +
        'its reasons, signed by the hub.',
    )
    .option('--period <period>', "a closed period of the hub's length (default: the last closed)")
    .option(
      '--as-of <timestamp>',
      'what the hub held at this moment, e.g. 2026-07-15T00:00:00Z (default: now)',
    )
    .option('--rule <version>', 'eligibility rule version (default: the current one)')
    .option('--format <format>', 'json or csv', 'json')
    .option('--out <file>', 'write the report here instead of standard output')
    .option(
      '--signature <file>',
      'write the detached signature here (default with --out: <file>.jws)',
    )
    .addHelpText(
      'after',
      '\nThe same --period, --as-of and --rule always give the same bytes (docs/compliance.md).\n',
    )
    .action(async (o: ReportFlags) => {
      const signed = await withOperations((ops) =>
        ops.complianceReport({
          ...(o.period === undefined ? {} : { period: o.period }),
          ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
          ...(o.rule === undefined ? {} : { rule: o.rule }),
          format: o.format,
        }),
      ).catch((e: unknown) => {
        // A refusal (or the hub's key file failing) prints as `spx: CODE: message`, exit 1.
        throw isHubError(e) ? new CliError(e.code, e.message) : e;
      });
      const signaturePath = o.signature ?? (o.out === undefined ? undefined : `${o.out}.jws`);
      if (o.out === undefined) io.stdout(signed.body);
      else await writeWhole(o.out, signed.body, '--out');
      if (signaturePath !== undefined) {
        await writeWhole(signaturePath, `${signed.signature}\n`, '--signature');
      }
      if (o.out !== undefined) {
        io.stderr(
          `wrote ${o.out}${signaturePath === undefined ? '' : ` and its signature ${signaturePath}`}\n`,
        );
      }
    });
}
