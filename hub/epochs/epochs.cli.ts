/**
 * `spx hub epochs` (docs/hub.md "Epochs"): the epochs the hub serves now, and how far a key
 * changeover has come — the current statements under each epoch, by agency. On the hub's
 * database or through the running hub, like the registry commands.
 */
import type { Command } from 'commander';
import type { CliIo } from '../../platform/cli/cli-io.js';
import type { ServedEpochs } from '../../protocol/served-epochs.js';
import type { HubAppConfig } from '../config.js';
import type { WithOperations } from '../registry/registry.cli.js';
import { epochWindow } from './epoch-window.js';
import type { EpochStanding } from './epochs.repository.js';

export interface EpochReport {
  readonly served: ServedEpochs;
  readonly standing: readonly EpochStanding[];
}

/** The report as an operator reads it. */
export function formatEpochReport({ served, standing }: EpochReport): string {
  const newest = served.epochs[served.epochs.length - 1]!.epoch;
  const lines = [
    `Served now: ${served.epochs
      .map((e) => `epoch ${e.epoch}${e.retiresAt === null ? '' : ` (until ${e.retiresAt})`}`)
      .join(', ')}`,
  ];
  for (const s of standing) {
    const by = s.agencies.map((a) => `${a.ori} (${a.statements})`).join(', ');
    const state = s.epoch < newest ? ' not yet re-stated' : '';
    lines.push(`epoch ${s.epoch}: ${s.statements} current statements${state}, from ${by}`);
  }
  const left = standing.filter((s) => s.epoch < newest).reduce((n, s) => n + s.statements, 0);
  if (served.epochs.length > 1) {
    lines.push(
      left === 0
        ? `Every current record is under epoch ${newest}: the older epochs can be retired.`
        : `${left} current statements are under an older epoch: a check under epoch ${newest} ` +
            'finds them only once their agencies re-state them (spx node publish).',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerEpochCommands(
  hub: Command,
  io: CliIo,
  withOperations: WithOperations,
  appConfig: () => HubAppConfig,
): void {
  hub
    .command('epochs')
    .description(
      'Show the key epochs the hub serves and the current statements under each, by agency: ' +
        'what is left to re-state before an old epoch is retired.',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const report: EpochReport = await withOperations(async (operations) => {
        const { epochs, epochWindowEnd } = appConfig();
        return {
          served: epochWindow(epochs, epochWindowEnd).describe(io.now()),
          standing: await operations.epochStanding(),
        };
      });
      io.stdout(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatEpochReport(report));
    });
}
