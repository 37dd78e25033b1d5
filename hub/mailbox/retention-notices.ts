/**
 * The hub's retention notices (docs/protocol.md §5.12.3, §5.13, docs/hub.md "Mailbox"): on a
 * record's due day the hub stops listing it in checks whether or not its agency has published
 * the `expired` statement (its node may be offline for weeks). So that the agencies whose
 * earlier answers listed it are not left with a record the exchange no longer shows, the hub
 * itself sends each of them a `correction` with the one change `past_retention` (from the listed
 * status to the due day), naming the standing statement — the reporting agency's own signed
 * statement, from which the receiver recomputes the due day rather than trust the hub.
 *
 * Choices:
 * - Once per record: a row of `retention_notices`, keyed by the standing statement, is inserted
 *   (ON CONFLICT DO NOTHING) in the transaction that queues the notices, so a pass that runs
 *   again — after a restart, or on another replica at the same time — sends nothing twice; a
 *   record whose chain was already noticed for the same due day (a later statement that only
 *   re-stated it) is marked and sends nothing.
 * - Only records a check would have shown are concerned: a standing statement whose retention
 *   clock runs and whose status is disclosed (`final`; `overturned` runs the clock but was
 *   never shown, and its supersession already sent corrections).
 * - When the agency's `expired` statement arrives later, the ordinary correction still goes out
 *   (status `final` → `expired`): it changes no verdict at the receiver, and it carries the
 *   agency's own statement of the expiry.
 * - Agencies that monitor the officer and were told of the record get, in the same
 *   transaction, a `monitoring` notice `withdrawn` with `pastRetention` (the due day) — once
 *   each: the agency's `expired` statement, when it arrives, tells them nothing more
 *   (hub/monitoring/notices.ts, `sendRetentionWithdrawals`).
 */
import { NEVER_SHOWN_STATUSES } from '../../protocol/disclosure.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { CorrectionBody } from '../../protocol/mailbox.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Category } from '../../protocol/categories.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import {
  CURRENT_RETENTION_TABLE,
  RETENTION_CLOCK_STATUSES,
  retentionDue,
  retentionDueDate,
  type RetentionTable,
} from '../../protocol/retention.js';
import type { HubDatabase } from '../database.js';
import { sendRetentionWithdrawals } from '../monitoring/notices.js';
import { correctionsRepository } from './corrections.repository.js';
import type { MailboxService, OutgoingMessage } from './mailbox.service.js';
import { retentionNoticesRepository as repository } from './retention-notices.repository.js';

/** Standing statements read per page of a pass. */
const PAGE = 500;

/** The statuses whose records a retention notice concerns: clock running, and shown. */
export const NOTICED_STATUSES: readonly AttestationStatus[] = RETENTION_CLOCK_STATUSES.filter(
  (s) => !NEVER_SHOWN_STATUSES.includes(s),
);

/** The shortest time limit in `table`, in years; null when no rule has one. */
export function shortestRetention(table: RetentionTable): number | null {
  const rules = [
    table.defaultRule,
    ...Object.values(table.categories),
    ...Object.values(table.states).flatMap((byCategory) => Object.values(byCategory)),
  ];
  const years = rules.flatMap((r) => (r?.years === null || r === undefined ? [] : [r.years]));
  return years.length === 0 ? null : Math.min(...years);
}

export interface RetentionNoticeResult {
  /** Records found due and not noticed before. */
  readonly due: number;
  /** Corrections queued. */
  readonly notices: number;
  /** Monitoring notices (`withdrawn`, `pastRetention`) queued. */
  readonly monitoring: number;
}

/**
 * One pass at `now`: every record due by `now` whose agency has not expired it and that has
 * not been noticed gets its notices, one transaction per record.
 */
export async function sendRetentionNotices(
  db: HubDatabase,
  mailbox: MailboxService,
  now: Date,
  table: RetentionTable = CURRENT_RETENTION_TABLE,
): Promise<RetentionNoticeResult> {
  const years = shortestRetention(table);
  if (years === null) return { due: 0, notices: 0, monitoring: 0 };
  const today = now.toISOString().slice(0, 10);
  // §5.13's due day is statusDate with its year increased, compared as a string: a record can
  // be due only if its statusDate is on or before today with the year decreased as much.
  const cutoff = `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
  let due = 0;
  let notices = 0;
  let monitoring = 0;
  let after = '';
  for (;;) {
    const page = await repository(db).candidates(NOTICED_STATUSES, cutoff, after, PAGE);
    for (const row of page) {
      const statement = {
        category: row.category as Category,
        status: row.status as AttestationStatus,
        statusDate: row.statusDate,
      };
      const reporter = { jurisdiction: row.jurisdiction as JurisdictionLevel, state: row.state };
      if (!retentionDue(statement, reporter, now, table)) continue;
      const dueDate = retentionDueDate(statement, reporter, table)!;
      const sent = await db.transaction(async (tx) => {
        const repo = repository(tx);
        if (!(await repo.claim(row.id, dueDate, now))) return undefined;
        if (await repo.chainNoticed(row.id, dueDate)) return { corrections: 0, monitors: 0 };
        const listings = await correctionsRepository(tx).checksListingEarlier(row.id, true);
        const out = listings.map((listed): OutgoingMessage => {
          const body: CorrectionBody = {
            type: 'correction',
            checkId: listed.checkId,
            checkedAt: formatTimestamp(listed.checkedAt),
            attestationId: listed.listedId,
            current: row.jws,
            currentId: row.id,
            currentStatus: statement.status,
            changes: [{ field: 'past_retention', from: listed.status, to: dueDate }],
          };
          return { recipient: listed.requester, body };
        });
        await mailbox.sendMany(tx, out, now);
        await repo.setRecipients(row.id, out.length);
        const monitors = await sendRetentionWithdrawals(tx, mailbox, row.id, dueDate, now);
        return { corrections: out.length, monitors };
      });
      if (sent === undefined) continue;
      due++;
      notices += sent.corrections;
      monitoring += sent.monitors;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return { due, notices, monitoring };
}

/**
 * The service loop's pass (hub/server.ts, with the mailbox pruning): at most one full pass per
 * UTC day per process, since due days are whole days; a failed pass is tried again next time.
 */
export function retentionNoticePass(
  db: HubDatabase,
  mailbox: MailboxService,
): (now: Date) => Promise<RetentionNoticeResult | undefined> {
  let doneFor: string | undefined;
  return async (now) => {
    const today = now.toISOString().slice(0, 10);
    if (doneFor === today) return undefined;
    const result = await sendRetentionNotices(db, mailbox, now);
    doneFor = today;
    return result;
  };
}
