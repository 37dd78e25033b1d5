/**
 * Monitoring notices (docs/protocol.md §5.12.4): when a statement is stored, every agency that
 * enrolled one of its hub indexes — other than its issuer — is told in a `monitoring` message,
 * written in the transaction that stores the statement. A notice discloses no more than a check
 * would (protocol/disclosure.ts): a statement in a status a check never shows (overturned,
 * retracted, expired), withholds (pending, under the hub's rule) or one past its retention due
 * day (protocol/retention.ts) is not sent; an agency that
 * was told of an earlier statement of the record learns only that it was `withdrawn`.
 *
 * The fan-out is one multi-row insert (MailboxService.sendMany): a statement whose indexes a
 * thousand agencies enrolled costs one round trip for the seqs and one per thousand messages.
 */
import type { TokenKey } from '../../protocol/common.js';
import { isDisclosed, type PendingRule } from '../../protocol/disclosure.js';
import type { MonitoringBody } from '../../protocol/mailbox.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import { retentionDue } from '../../protocol/retention.js';
import type { HubDatabase } from '../database.js';
import type { StoredChange } from '../mailbox/corrections.js';
import type { MailboxService, OutgoingMessage } from '../mailbox/mailbox.service.js';
import { monitoringRepository, type LastNotice, type NoticeRow } from './monitoring.repository.js';

/**
 * The purpose a notice is disclosed for: an employer's review of its own current officers.
 * Version 1 discloses alike for every purpose (protocol/disclosure.ts).
 */
const NOTICE_PURPOSE = 'internal';

export interface NoticeOptions {
  readonly pendingRule?: PendingRule | undefined;
}

/** What one recipient is told about `head`, or undefined for nothing. */
export function noticeFor(
  head: { readonly id: string; readonly jws: string; readonly status: MonitoringBody['status'] },
  shown: boolean,
  enrolled: MonitoringBody['matches'] | undefined,
  last: LastNotice | undefined,
): MonitoringBody | undefined {
  if (shown) {
    const matches = enrolled ?? last?.matches;
    if (matches === undefined) return undefined;
    return {
      type: 'monitoring',
      change: last === undefined ? 'reported' : 'changed',
      matches,
      statement: head.jws,
      statementId: head.id,
      status: head.status,
      previousId: last?.attestationId ?? null,
    };
  }
  // Not shown: only an agency told of the record while it was shown learns it was withdrawn.
  if (last === undefined || !last.shown) return undefined;
  return {
    type: 'monitoring',
    change: 'withdrawn',
    matches: last.matches,
    statement: null,
    statementId: head.id,
    status: null,
    previousId: last.attestationId,
  };
}

/** Sends the notices owed for the statements just stored in `tx`; returns how many. */
export async function sendMonitoringNotices(
  tx: HubDatabase,
  mailbox: MailboxService,
  stored: readonly StoredChange[],
  now: Date,
  options: NoticeOptions = {},
): Promise<number> {
  const supersededInBatch = new Set(stored.map((s) => s.payload.supersedes));
  // The head of each chain in the batch; a re-statement under a new epoch says nothing new.
  const heads = stored.filter((s) => !supersededInBatch.has(s.payload.id) && s.restates !== true);
  if (heads.length === 0) return 0;
  const repo = monitoringRepository(tx);
  // Two queries for the whole batch when nobody enrolled its indexes and nobody was told of a
  // record: the cost a hub without monitoring pays at intake.
  const enrollments = await repo.enrolledAmong(
    heads.flatMap((s) => s.payload.tokens.keys.map((k) => k.index)),
    now,
  );
  const anyNotice = await repo.anyNotice();
  const out: OutgoingMessage[] = [];
  const rows: NoticeRow[] = [];
  for (const s of heads) {
    const { payload } = s;
    const keys = new Set(payload.tokens.keys.map((k) => k.index));
    const enrolled = new Map<string, TokenKey[]>();
    for (const e of enrollments) {
      if (e.agency === payload.issuer || !keys.has(e.hubIndex)) continue;
      const list = enrolled.get(e.agency) ?? [];
      list.push({ kind: e.kind as TokenKey['kind'], index: e.hubIndex });
      enrolled.set(e.agency, list);
    }
    const earlier =
      payload.supersedes === null || !anyNotice
        ? new Map<string, LastNotice>()
        : await repo.lastNoticesOfChain(payload.supersedes);
    if (enrolled.size === 0 && earlier.size === 0) continue;
    // As a check shows it (§5.8.4): disclosed for its status, and not past its retention due
    // day (a record the hub already withdrew for retention is not shown again by a change).
    const reporter = await repo.reporterOf(payload.issuer);
    const shown =
      isDisclosed(payload.status, NOTICE_PURPOSE, reporter.state, options.pendingRule) &&
      !retentionDue(
        payload,
        { jurisdiction: reporter.jurisdiction as JurisdictionLevel, state: reporter.state },
        now,
      );
    const head = { id: payload.id, jws: s.jws, status: shown ? payload.status : null };
    for (const recipient of new Set([...enrolled.keys(), ...earlier.keys()])) {
      const body = noticeFor(head, shown, enrolled.get(recipient), earlier.get(recipient));
      if (body === undefined) continue;
      out.push({ recipient, body });
      rows.push({ recipient, attestationId: payload.id, matches: body.matches, shown });
    }
  }
  await mailbox.sendMany(tx, out, now);
  await repo.recordNotices(rows, now);
  return out.length;
}

/**
 * The `withdrawn` notice to an agency last told of a record while it was shown: the matches of
 * that notice, the statement it was told of as `previousId`, no statement or status now.
 */
function withdrawal(
  recipient: string,
  last: LastNotice,
  now: { readonly statementId: string | null; readonly pastRetention?: string },
): OutgoingMessage {
  return {
    recipient,
    body: {
      type: 'monitoring',
      change: 'withdrawn',
      matches: last.matches,
      statement: null,
      statementId: now.statementId,
      status: null,
      previousId: last.attestationId,
      ...(now.pastRetention === undefined ? {} : { pastRetention: now.pastRetention }),
    },
  };
}

/**
 * For a record expunged by court order (docs/transparency.md), in the expungement's
 * transaction: every agency told of it while shown learns it was withdrawn, and the hub forgets
 * which agencies it told.
 */
export async function sendExpungementNotices(
  tx: HubDatabase,
  mailbox: MailboxService,
  chainIds: readonly string[],
  now: Date,
): Promise<number> {
  const repo = monitoringRepository(tx);
  const out: OutgoingMessage[] = [];
  for (const [recipient, last] of await repo.lastNoticesOf(chainIds)) {
    if (!last.shown) continue;
    out.push(withdrawal(recipient, last, { statementId: null }));
  }
  await mailbox.sendMany(tx, out, now);
  await repo.forgetNotices(chainIds);
  return out.length;
}

/**
 * On a record's retention due day (hub/mailbox/retention-notices.ts, in the transaction that
 * claims the record's notice): every agency told of the record while shown learns it is
 * withdrawn, `pastRetention` naming the due day and `statementId` the standing statement — the
 * reporting agency's node may be offline and its `expired` statement weeks away. The recipient's
 * last notice row is turned to "not shown" (`markWithdrawn`), so when that `expired` statement
 * arrives `sendMonitoringNotices` finds nothing more to say: one notice per agency.
 *
 * Agencies that enrolled a matching index but were never told of the record (they enrolled
 * after it was stored, and enrollment does not replay old records) are not told: their
 * monitoring view never listed it, and a check they made that listed it gets the correction.
 */
export async function sendRetentionWithdrawals(
  tx: HubDatabase,
  mailbox: MailboxService,
  headId: string,
  dueDate: string,
  now: Date,
): Promise<number> {
  const repo = monitoringRepository(tx);
  if (!(await repo.anyNotice())) return 0;
  const out: OutgoingMessage[] = [];
  const rows: NoticeRow[] = [];
  for (const [recipient, last] of await repo.lastNoticesOfChain(headId)) {
    if (!last.shown) continue;
    out.push(withdrawal(recipient, last, { statementId: headId, pastRetention: dueDate }));
    rows.push({ recipient, attestationId: headId, matches: last.matches, shown: false });
  }
  await mailbox.sendMany(tx, out, now);
  await repo.markWithdrawn(rows, now);
  return out.length;
}
