/**
 * `spx node monitor`, `spx node log-status`, `spx node resolve-alert` (docs/node.md "Monitor"):
 * clients of a running node's /v1/log routes. `monitor` runs one pass and exits
 * MONITOR_ALERT_EXIT_CODE (3) when the pass raised any alert, so a cron job or a health
 * check notices; `log-status` exits 3 while an alert is open.
 */
import type { Command } from 'commander';
import { CliError } from '../../platform/cli/cli-io.js';
import type { LogStatusResponse, MonitorResponse } from '../api/index.js';
import { MONITOR_ALERT_EXIT_CODE } from '../tlog/alerts.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';

interface Alert {
  readonly code: string;
  readonly message: string;
  readonly id?: number;
  readonly count?: number;
}

function alertLines(alerts: readonly Alert[]): string[] {
  return alerts.map(
    (a) =>
      `ALERT ${a.code}${a.id === undefined ? '' : ` #${a.id}`}: ${a.message}` +
      (a.count !== undefined && a.count > 1 ? ` (${a.count} times)` : ''),
  );
}

export function formatMonitorResult(r: MonitorResponse): string {
  const cp = r.checkpoint;
  const lines = [
    cp === null
      ? 'No checkpoint verified in this pass.'
      : `Log ${cp.origin}: checkpoint of size ${cp.size}` +
        ` (last verified: ${r.previousSize ?? 'none'})` +
        (r.stored
          ? ', verified and stored.'
          : r.alerts.length > 0
            ? ', NOT stored.'
            : ', unchanged.'),
    `Own statements proved at this size: ${r.proved} (${r.remaining} left for the next pass).`,
  ];
  if (r.cosigned !== null) lines.push(`Cosigned as a witness: ${r.cosigned ? 'yes' : 'no'}.`);
  lines.push(...alertLines(r.alerts));
  if (r.alerts.length === 0) lines.push('No alert.');
  return `${lines.join('\n')}\n`;
}

export function formatLogStatus(s: LogStatusResponse): string {
  const { checkpoint: cp, statements, witness, lastRun: run } = s;
  const lines = [
    `Log origin: ${s.origin ?? '(none seen yet)'}${s.originPinned ? ' (pinned)' : ''}`,
    cp === null
      ? 'Last verified checkpoint: none'
      : `Last verified checkpoint: size ${cp.size}, verified ${cp.verifiedAt}`,
    `Own statements: ${statements.tracked}, proved at that size: ${statements.provedAtCheckpoint}`,
    `Last monitor pass: ${run === null ? 'never' : `${run.at} (${run.ok ? 'ok' : 'alerts'})`}`,
    `Witness: ${witness.enabled ? 'on' : 'off'}; witness key: ${witness.key}`,
    ...alertLines(s.alerts),
  ];
  if (s.alerts.length === 0) lines.push('No open alert.');
  return `${lines.join('\n')}\n`;
}

export function registerMonitorCommands(group: Command, ctx: ClientCommandContext): void {
  const { run, client, withClientOptions, print } = ctx;
  const alerted = (codes: readonly string[]) => {
    const distinct = [...new Set(codes)];
    const what = codes.length === 1 ? 'log alert' : 'log alerts';
    return new CliError(codes[0] ?? 'LOG_ALERT', `${what}: ${distinct.join(', ')}`, {
      exitCode: MONITOR_ALERT_EXIT_CODE,
    });
  };

  withClientOptions(
    group
      .command('monitor')
      .description("Verify the hub's transparency log once; exit 3 if anything did not verify."),
  ).action(
    run(async (o: ClientFlags) => {
      const result = await client(o).monitor();
      print(o.json, result, () => formatMonitorResult(result));
      if (result.alerts.length > 0) throw alerted(result.alerts.map((a) => a.code));
    }),
  );

  withClientOptions(
    group
      .command('log-status')
      .description(
        'The log monitor: last verified checkpoint, last pass, open alerts (exit 3 if any).',
      ),
  ).action(
    run(async (o: ClientFlags) => {
      const status = await client(o).logStatus();
      print(o.json, status, () => formatLogStatus(status));
      if (status.alerts.length > 0) throw alerted(status.alerts.map((a) => a.code));
    }),
  );

  withClientOptions(
    group
      .command('resolve-alert')
      .description('Close an open log alert once a person has dealt with it.')
      .argument('<id>', 'the alert id (spx node log-status)'),
  ).action(
    run(async (id: string, o: ClientFlags) => {
      if (!/^[1-9][0-9]{0,9}$/.test(id))
        throw new CliError('OPTION_INVALID', 'id: a number', { exitCode: 2 });
      const result = await client(o).resolveAlert(Number(id));
      print(o.json, result, () => `Alert ${id} resolved.\n`);
    }),
  );
}
