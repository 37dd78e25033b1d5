/**
 * Corrections reach earlier recipients (docs/protocol.md §5.12.3): when a statement is
 * superseded — a status change, a dispute, a retraction, an overturn, an expiry, a
 * re-statement — every agency whose earlier check answer listed a statement of that record gets
 * a `correction` message naming its check, the statement its answer listed, the statement that
 * now stands and what changed. The messages are written in the transaction that stores the new
 * statement, so a correction exists exactly when the change does.
 */
import type { AttestationPayload } from '../../protocol/attestation.js';
import type { CorrectionBody, CorrectionChangeItem } from '../../protocol/mailbox.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { HubDatabase } from '../database.js';
import { retentionNoticesRepository } from './retention-notices.repository.js';
import { correctionsRepository, type ListedStatement } from './corrections.repository.js';
import type { MailboxService, OutgoingMessage } from './mailbox.service.js';

export interface StoredChange {
  readonly payload: AttestationPayload;
  readonly jws: string;
  /**
   * A re-statement under a newer key epoch that changes nothing else (§4.8): no correction —
   * an epoch changeover would otherwise notify every earlier checker of every record.
   */
  readonly restates?: boolean;
}

/** What differs between the statement a check listed and the one that now stands. */
export function correctionChanges(
  listed: Pick<ListedStatement, 'listedId' | 'status' | 'disputedSince'>,
  current: AttestationPayload,
): CorrectionChangeItem[] {
  const changes: CorrectionChangeItem[] = [];
  if (listed.status !== current.status) {
    changes.push({ field: 'status', from: listed.status, to: current.status });
  }
  const since = current.disputed?.since ?? null;
  if (listed.disputedSince !== since) {
    changes.push({ field: 'disputed', from: listed.disputedSince, to: since });
  }
  // A re-statement that changes neither (dates, category, tokens): the record still changed.
  if (changes.length === 0) {
    changes.push({ field: 'superseded', from: listed.listedId, to: current.id });
  }
  return changes;
}

/**
 * Sends the corrections for the statements just stored in `tx`. Only the head of each chain is
 * followed: a batch that supersedes a statement twice sends one correction per earlier check.
 */
export async function sendCorrections(
  tx: HubDatabase,
  mailbox: MailboxService,
  stored: readonly StoredChange[],
  now: Date,
): Promise<number> {
  const supersededInBatch = new Set(stored.map((s) => s.payload.supersedes));
  const repo = correctionsRepository(tx);
  const out: OutgoingMessage[] = [];
  for (const s of stored) {
    if (s.payload.supersedes === null || supersededInBatch.has(s.payload.id)) continue;
    if (s.restates === true) continue;
    for (const listed of await repo.checksListingEarlier(s.payload.id)) {
      const body: CorrectionBody = {
        type: 'correction',
        checkId: listed.checkId,
        checkedAt: formatTimestamp(listed.checkedAt),
        attestationId: listed.listedId,
        current: s.jws,
        currentId: s.payload.id,
        currentStatus: s.payload.status,
        changes: correctionChanges(listed, s.payload),
      };
      out.push({ recipient: listed.requester, body });
    }
  }
  // One multi-row insert for the whole fan-out (a record many agencies checked).
  await mailbox.sendMany(tx, out, now);
  return out.length;
}

/**
 * Sends the corrections for a record expunged by court order (docs/transparency.md): run in the
 * expungement's transaction before the statements are erased, for every answered check that
 * listed a version of it. `current` is null: the hub holds nothing to show.
 */
export async function sendExpungementCorrections(
  tx: HubDatabase,
  mailbox: MailboxService,
  chainIds: readonly string[],
  now: Date,
): Promise<number> {
  const listings = await correctionsRepository(tx).checksListingAny(chainIds);
  const out = listings.map((listed): OutgoingMessage => ({
    recipient: listed.requester,
    body: {
      type: 'correction',
      checkId: listed.checkId,
      checkedAt: formatTimestamp(listed.checkedAt),
      attestationId: listed.listedId,
      current: null,
      currentId: null,
      currentStatus: null,
      changes: [{ field: 'expunged', from: listed.status, to: null }],
    },
  }));
  await mailbox.sendMany(tx, out, now);
  // The hub forgets which of the record's statements it sent retention notices for.
  await retentionNoticesRepository(tx).forget(chainIds);
  return out.length;
}
