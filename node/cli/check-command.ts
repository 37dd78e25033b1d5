/**
 * `spx node check` (docs/node.md "CLI"): a candidate from a file, stdin or flags
 * (candidate-input.ts) checked by a running node; the verdict and matches printed, and with
 * `--evidence-out` the evidence bundle written for the hiring file (evidence-file.ts).
 */
import type { Command } from 'commander';
import { formatCheckText } from '../check/present.js';
import { checkBodyFromOptions, type CheckOptions } from './candidate-input.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';
import { reserveEvidenceFile } from './evidence-file.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export interface CheckCommandDeps {
  /** $USER, the default --requested-by. */
  readonly user: string | undefined;
  /** Standard input, read by `--candidate-file -` only. */
  readonly stdin: () => AsyncIterable<Uint8Array | string>;
}

export function registerCheckCommand(
  group: Command,
  ctx: ClientCommandContext,
  deps: CheckCommandDeps,
): void {
  const { io, run, client, withClientOptions, print } = ctx;
  withClientOptions(
    group
      .command('check')
      .description('Check a candidate against the outcomes other agencies reported.')
      .option(
        '--candidate-file <path>',
        "JSON file of the candidate's identifiers ('-': stdin), as POST /v1/checks `candidate`; " +
          'unlike the identifier flags below, kept out of shell history and the process list',
      )
      .option('--first-name <name>', 'first (given) name')
      .option('--last-name <name>', 'last (family) name')
      .option('--middle-name <name>', 'middle name')
      .option('--dob <date>', 'date of birth, YYYY-MM-DD')
      .option('--ssn <ssn>', 'Social Security number')
      .option('--license <state:number>', 'POST licence, e.g. TX:12-345-678')
      .option('--alias <[first:]last>', 'a former or other name (repeatable)', collect, [])
      .option(
        '--purpose <purpose>',
        'hiring, promotion, assignment, task_force or internal',
        'hiring',
      )
      .requiredOption('--consent-ref <ref>', "reference to the candidate's signed consent")
      .option('--candidate-ref <ref>', "your own reference to the candidate's file (kept locally)")
      .option('--requested-by <name>', 'who asks (default: $USER)')
      .option(
        '--evidence-out <file>',
        'write the evidence bundle for the hiring file (mode 0600; never overwritten); ' +
          'verify it later with verify-evidence',
      ),
  ).action(
    run(async (o: ClientFlags & CheckOptions & { evidenceOut?: string }) => {
      const body = await checkBodyFromOptions(o, deps.user, { io, stdin: deps.stdin });
      // Before anything is sent: a check whose evidence cannot be written is not run.
      const evidenceFile =
        o.evidenceOut === undefined ? undefined : await reserveEvidenceFile(o.evidenceOut);
      const result = await client(o)
        .check(body)
        .catch(async (e: unknown) => {
          await evidenceFile?.discard();
          throw e;
        });
      print(
        o.json,
        result,
        () => `${formatCheckText(result.result)}\nStored as check ${result.check.id}.\n`,
      );
      if (evidenceFile !== undefined) {
        await evidenceFile.write(result.evidence);
        if (!o.json) io.stdout(`Evidence bundle written to ${o.evidenceOut} (mode 0600).\n`);
      }
    }),
  );
}
