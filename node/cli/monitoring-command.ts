/**
 * `spx node monitoring [status|sync]` (docs/node.md "Monitoring"): a client of a running node's
 * GET /v1/monitoring (`status`, the default) and POST /v1/monitoring/sync (`sync`: bring the
 * enrollments at the hub in step with the roster now). Not to be confused with `spx node
 * monitor`, the transparency-log monitor (monitor-command.ts).
 *
 * A sync the hub refused (`refused`, e.g. ENROLLMENT_LIMIT) prints its counts and then fails
 * with the hub's code (exit 1), so a cron job notices; the node keeps what it could not send and
 * a later sync sends it.
 */
import type { Command } from 'commander';
import { CliError } from '../../platform/cli/cli-io.js';
import type { MonitoringStatusResponse, MonitoringSyncResponse } from '../api/index.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';
import { plural } from './plural.js';

export const MONITORING_ACTIONS = ['status', 'sync'] as const;
export type MonitoringAction = (typeof MONITORING_ACTIONS)[number];

const OFF = 'Monitoring is off (SPX_NODE_MONITORING=true turns it on; docs/node.md "Monitoring").';

export function formatMonitoringStatus(s: MonitoringStatusResponse): string {
  const lines = [
    s.enabled ? 'Monitoring is on.' : OFF,
    `Enrolled: ${plural(s.officers, 'current officer')}, ${plural(s.indexes, 'hub index', 'hub indexes')}.`,
  ];
  if (s.unacknowledged > 0 || s.removing > 0) {
    lines.push(
      `Waiting for the hub: ${plural(s.unacknowledged, 'enrollment')} to send, ${plural(s.removing, 'removal')} to send (spx node monitoring sync).`,
    );
  }
  lines.push(
    s.nextExpiry === null
      ? 'Next expiry at the hub: none.'
      : `Next expiry at the hub: ${s.nextExpiry} (renewed by the node's syncs before then).`,
    `Monitoring notices received: ${s.notices} (spx node inbox).`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatMonitoringSync(r: MonitoringSyncResponse): string {
  const lines = [
    r.enabled ? 'Monitoring sync:' : `${OFF} Sync removed what was enrolled:`,
    `  ${plural(r.officers, 'current officer')} to keep enrolled` +
      (r.untokenizable > 0 ? ` (${r.untokenizable} without usable identifiers)` : ''),
    `  ${r.enrolled} enrolled, ${r.renewed} renewed, ${r.removed} removed (hub indexes)`,
  ];
  if (r.refused !== null) {
    lines.push(`  The hub REFUSED the enrollment (${r.refused}); a later sync sends the rest.`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerMonitoringCommand(group: Command, ctx: ClientCommandContext): void {
  const { run, client, withClientOptions, print } = ctx;
  withClientOptions(
    group
      .command('monitoring')
      .description(
        "Continuous monitoring of the agency's current officers: status (default) or sync now.",
      )
      .argument('[action]', MONITORING_ACTIONS.join(' or '), 'status'),
  ).action(
    run(async (actionArg: string, o: ClientFlags) => {
      const action = MONITORING_ACTIONS.find((a) => a === actionArg);
      if (action === undefined) {
        throw new CliError(
          'OPTION_INVALID',
          `action: expected ${MONITORING_ACTIONS.join(' or ')}`,
          {
            exitCode: 2,
          },
        );
      }
      const api = client(o);
      if (action === 'status') {
        const status = await api.monitoring();
        print(o.json, status, () => formatMonitoringStatus(status));
        return;
      }
      const result = await api.syncMonitoring();
      print(o.json, result, () => formatMonitoringSync(result));
      if (result.refused !== null) {
        throw new CliError(
          result.refused,
          'the hub refused the enrollment; the node sends the rest at a later sync',
        );
      }
    }),
  );
}
