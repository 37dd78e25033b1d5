/**
 * `spx node inbox` (docs/node.md "Inbox"): the messages a running node fetched from the hub's
 * mailbox — corrections to earlier checks, monitoring notices about the agency's own officers —
 * newest first; `--poll` fetches now.
 * With `--poll`, exits 3 when the messages just fetched changed a check's verdict, so a cron job
 * notices.
 */
import type { Command } from 'commander';
import { CliError } from '../../platform/cli/cli-io.js';
import type { InboxListResponse, InboxPollResponse } from '../api/index.js';
import type { ClientCommandContext, ClientFlags } from './client-context.js';
import { plural } from './plural.js';

/** The exit code when a fetched correction changed a verdict (as the monitor's alerts). */
export const VERDICT_CHANGED_EXIT_CODE = 3;

export function formatPoll(p: InboxPollResponse): string {
  const lines = [
    `Fetched ${plural(p.received, 'new message')}; ${plural(p.verdictsChanged, 'check')} changed verdict.`,
  ];
  if (p.notices > 0) {
    lines.push(`${plural(p.notices, 'monitoring notice')} about this agency's officers.`);
  }
  if (p.expiredUnacknowledged > 0) {
    lines.push(
      `WARNING: the hub deleted ${plural(p.expiredUnacknowledged, 'message')} for this agency unread (the node was offline longer than the hub keeps them).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatInbox(list: InboxListResponse): string {
  if (list.messages.length === 0) return 'The inbox is empty.\n';
  const lines: string[] = [];
  for (const m of list.messages) {
    const k = m.correction;
    const n = m.monitoring;
    if (n !== null) {
      const officers =
        n.employeeIds.length === 0 ? 'no enrolled officer' : `officer ${n.employeeIds.join(', ')}`;
      const what =
        n.change === 'withdrawn'
          ? `record ${n.previousId ?? '—'} WITHDRAWN (${n.pastRetention ? `past retention since ${n.pastRetention}; ` : ''}no longer shown to checkers)`
          : `${n.change === 'reported' ? 'NEW RECORD' : 'record changed'} ${n.statementId ?? '—'}: ${n.category ?? '—'}, ${n.status ?? '—'}`;
      lines.push(
        `#${m.seq} ${m.createdAt} monitoring: ${officers}: ${what}${n.issuer ? ` (reported by ${n.issuer})` : ''}`,
      );
      continue;
    }
    if (k === null) {
      lines.push(
        `#${m.seq} ${m.createdAt} ${m.type}: ${m.outcome}${m.detail ? ` (${m.detail})` : ''}`,
      );
      continue;
    }
    const changes = k.changes.map((c) => `${c.field} ${c.from ?? '—'} → ${c.to ?? '—'}`).join(', ');
    const verdict =
      k.verdictBefore === k.verdictAfter
        ? `verdict unchanged (${k.verdictAfter})`
        : `VERDICT CHANGED: ${k.verdictBefore} → ${k.verdictAfter}`;
    lines.push(
      `#${m.seq} ${m.createdAt} correction to check ${k.checkId}: record ${k.attestationId} ${changes}; ${verdict}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerInboxCommand(group: Command, ctx: ClientCommandContext): void {
  const { run, client, withClientOptions, print } = ctx;
  withClientOptions(
    group
      .command('inbox')
      .description(
        "Messages from the hub's mailbox: corrections to earlier checks, monitoring notices (--poll: exit 3 if a verdict changed).",
      )
      .option('--poll', 'fetch the mailbox now, before listing')
      .option('--limit <n>', 'messages to list, newest first (1–200)', '20'),
  ).action(
    run(async (o: ClientFlags & { poll?: boolean; limit: string }) => {
      if (!/^[1-9][0-9]{0,2}$/.test(o.limit) || Number(o.limit) > 200) {
        throw new CliError('OPTION_INVALID', '--limit: a number from 1 to 200', { exitCode: 2 });
      }
      const api = client(o);
      const polled = o.poll ? await api.pollInbox() : undefined;
      const list = await api.inbox(Number(o.limit));
      print(
        o.json,
        { ...(polled ? { poll: polled } : {}), ...list },
        () => (polled ? formatPoll(polled) : '') + formatInbox(list),
      );
      if (polled !== undefined && polled.verdictsChanged > 0) {
        const what = plural(polled.verdictsChanged, 'check');
        throw new CliError('VERDICT_CHANGED', `${what} changed verdict`, {
          exitCode: VERDICT_CHANGED_EXIT_CODE,
        });
      }
    }),
  );
}
