/**
 * `spx node monitor`, `spx node log-status`, `spx node resolve-alert` (docs/node.md "Monitor"):
 * clients of a running node's /v1/log routes. `monitor` runs one pass and exits
 * MONITOR_ALERT_EXIT_CODE (3) when the pass raised any alert, so a cron job or a health
 * check notices; `log-status` exits 3 while an alert is open.
 */
import type { Command } from 'commander';
import { CliError, type CliIo } from '../../platform/cli/cli-io.js';
import type { NodeApiClient } from './node-api-client.js';

/** Exit code of a monitor pass or status with alerts (1 stays "the command failed"). */
export const MONITOR_ALERT_EXIT_CODE = 3;

interface Flags {
  nodeUrl?: string;
  token?: string;
  json?: boolean;
}

export interface MonitorCommandContext {
  readonly io: CliIo;
  /** The node CLI's error mapping around an action. */
  readonly run: <A extends unknown[]>(
    fn: (...args: A) => Promise<void>,
  ) => (...args: A) => Promise<void>;
  /** A client of the running node from --node-url / --token. */
  readonly client: (flags: Flags) => NodeApiClient;
  /** Adds --node-url, --token, --json. */
  readonly withClientOptions: (command: Command) => Command;
}

type Alert = { code: string; message: string; id?: number; count?: number };

function alertLines(alerts: readonly Alert[]): string[] {
  return alerts.map(
    (a) =>
      `ALERT ${a.code}${a.id === undefined ? '' : ` #${a.id}`}: ${a.message}` +
      (a.count !== undefined && a.count > 1 ? ` (${a.count} times)` : ''),
  );
}

export function formatMonitorResult(r: Record<string, unknown>): string {
  const cp = r['checkpoint'] as { size: number; origin: string } | null;
  const alerts = (r['alerts'] as Alert[] | undefined) ?? [];
  const lines = [
    cp === null
      ? 'No checkpoint verified in this pass.'
      : `Log ${cp.origin}: checkpoint of size ${cp.size}` +
        ` (last verified: ${r['previousSize'] ?? 'none'})` +
        (r['stored']
          ? ', verified and stored.'
          : alerts.length > 0
            ? ', NOT stored.'
            : ', unchanged.'),
    `Own statements proved at this size: ${r['proved']} (${r['remaining']} left for the next pass).`,
  ];
  if (r['cosigned'] !== null) lines.push(`Cosigned as a witness: ${r['cosigned'] ? 'yes' : 'no'}.`);
  lines.push(...alertLines(alerts));
  if (alerts.length === 0) lines.push('No alert.');
  return `${lines.join('\n')}\n`;
}

export function formatLogStatus(s: Record<string, unknown>): string {
  const cp = s['checkpoint'] as { size: number; origin: string; verifiedAt: string } | null;
  const statements = s['statements'] as { tracked: number; provedAtCheckpoint: number };
  const witness = s['witness'] as { enabled: boolean; key: string };
  const run = s['lastRun'] as { at: string; ok: boolean } | null;
  const alerts = (s['alerts'] as Alert[] | undefined) ?? [];
  const lines = [
    `Log origin: ${s['origin'] ?? '(none seen yet)'}${s['originPinned'] ? ' (pinned)' : ''}`,
    cp === null
      ? 'Last verified checkpoint: none'
      : `Last verified checkpoint: size ${cp.size}, verified ${cp.verifiedAt}`,
    `Own statements: ${statements.tracked}, proved at that size: ${statements.provedAtCheckpoint}`,
    `Last monitor pass: ${run === null ? 'never' : `${run.at} (${run.ok ? 'ok' : 'alerts'})`}`,
    `Witness: ${witness.enabled ? 'on' : 'off'}; witness key: ${witness.key}`,
    ...alertLines(alerts),
  ];
  if (alerts.length === 0) lines.push('No open alert.');
  return `${lines.join('\n')}\n`;
}

export function registerMonitorCommands(group: Command, ctx: MonitorCommandContext): void {
  const { io, run, client, withClientOptions } = ctx;
  const print = (json: boolean | undefined, value: unknown, human: () => string) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());
  const alerted = (codes: readonly string[]) =>
    new CliError(codes[0] ?? 'LOG_ALERT', `log alert(s): ${[...new Set(codes)].join(', ')}`, {
      exitCode: MONITOR_ALERT_EXIT_CODE,
    });

  withClientOptions(
    group
      .command('monitor')
      .description("Verify the hub's transparency log once; exit 3 if anything did not verify."),
  ).action(
    run(async (o: Flags) => {
      const result = await client(o).monitor();
      print(o.json, result, () => formatMonitorResult(result));
      const alerts = (result['alerts'] as Alert[] | undefined) ?? [];
      if (alerts.length > 0) throw alerted(alerts.map((a) => a.code));
    }),
  );

  withClientOptions(
    group
      .command('log-status')
      .description(
        'The log monitor: last verified checkpoint, last pass, open alerts (exit 3 if any).',
      ),
  ).action(
    run(async (o: Flags) => {
      const status = await client(o).logStatus();
      print(o.json, status, () => formatLogStatus(status));
      const alerts = (status['alerts'] as Alert[] | undefined) ?? [];
      if (alerts.length > 0) throw alerted(alerts.map((a) => a.code));
    }),
  );

  withClientOptions(
    group
      .command('resolve-alert')
      .description('Close an open log alert once a person has dealt with it.')
      .argument('<id>', 'the alert id (spx node log-status)'),
  ).action(
    run(async (id: string, o: Flags) => {
      if (!/^[1-9][0-9]{0,9}$/.test(id))
        throw new CliError('OPTION_INVALID', 'id: a number', { exitCode: 2 });
      const result = await client(o).resolveAlert(Number(id));
      print(o.json, result, () => `Alert ${id} resolved.\n`);
    }),
  );
}
