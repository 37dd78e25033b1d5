/**
 * `spx hub certifications` (docs/hub.md "Certifications"): every agency's standing on a
 * reporting period — on time, late, due, missing — with zero reports marked. On the hub's
 * database or through the running hub, like the registry commands.
 */
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import {
  lastClosedPeriod,
  periodLength,
  PeriodSchema,
  type Period,
} from '../../protocol/certification.js';
import type { HubAppConfig } from '../config.js';
import { MAX_STATUS_PERIODS } from '../operator/operator.schemas.js';
import type { WithOperations } from '../registry/registry.cli.js';
import { formatCertificationStatus } from './certification-status.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerCertificationCommands(
  hub: Command,
  io: CliIo,
  withOperations: WithOperations,
  appConfig: () => HubAppConfig,
): void {
  hub
    .command('certifications')
    .description(
      "List every agency's period certification: on time, late, due or missing, and zero reports.",
    )
    .option(
      '--period <period>',
      'a period, e.g. 2026-Q1 (repeatable; default: the last closed one)',
      collect,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (o: { period: string[]; json?: boolean }) => {
      const length = appConfig().certificationPeriod ?? 'quarter';
      if (o.period.length > MAX_STATUS_PERIODS) {
        throw new CliError('PERIOD_INVALID', `--period: at most ${MAX_STATUS_PERIODS} periods`);
      }
      const periods: Period[] = [];
      for (const p of o.period) {
        if (!PeriodSchema.safeParse(p).success) {
          throw new CliError(
            'PERIOD_INVALID',
            `--period: ${p} is not a period (2026-Q1, 2026-03 or 2026)`,
          );
        }
        if (periodLength(p) !== length) {
          throw new CliError(
            'PERIOD_INVALID',
            `--period: this hub certifies by ${length}; ${p} is not one`,
          );
        }
        periods.push(p);
      }
      if (periods.length === 0) periods.push(lastClosedPeriod(io.now(), length));
      const rows = await withOperations((ops) => ops.certificationStatus(periods));
      io.stdout(
        o.json
          ? `${JSON.stringify({ certifications: rows }, null, 2)}\n`
          : formatCertificationStatus(rows),
      );
    });
}
