/**
 * What `spx audit-log` reports (docs/transparency.md "Auditing the log from the public
 * endpoints"). Codes are public API — in `--json` output and as the printed error code of exit
 * 3 — and each keeps its meaning once released.
 *
 * Some failures are *evidence*: the hub signed two things that cannot both be true
 * (AUDIT_HISTORY_REWRITTEN, AUDIT_ROLLBACK: the saved note and the new one), or signed a root
 * that the entries it serves do not produce (AUDIT_ROOT_MISMATCH and the page failures, which
 * an auditor can reproduce by fetching the page again). The others say the log could not be
 * verified this time (AUDIT_UNREACHABLE, AUDIT_HUB_KEYS_INVALID, AUDIT_QUORUM_NOT_MET).
 */
import {
  AGENCY_LOG_EVENTS,
  type AgencyLogEvent,
  type LogEntry,
  type LogEntryKind,
} from '../../protocol/tlog.js';

export const AUDIT_FAILURE_CODES = [
  /** The hub gave no usable answer: network error, timeout, HTTP error, oversized or not JSON. */
  'AUDIT_UNREACHABLE',
  /** The hub's keys were not pinned and GET /v1/hub/keys is not a usable Ed25519 JWK Set. */
  'AUDIT_HUB_KEYS_INVALID',
  /** The checkpoint is malformed, not signed by a trusted hub key under the origin, or carries
   *  a cosignature by a configured witness that does not verify. */
  'AUDIT_BAD_SIGNATURE',
  /** A checkpoint of another log than the pinned origin (--origin or the saved state's). */
  'AUDIT_ORIGIN_MISMATCH',
  /** Fewer configured witnesses cosigned the checkpoint than --quorum requires. */
  'AUDIT_QUORUM_NOT_MET',
  /** The hub's latest checkpoint is smaller than the one this auditor saved. */
  'AUDIT_ROLLBACK',
  /** The log at the saved size no longer has the saved root (or a checkpoint of the saved
   *  size has another root): history was rewritten. */
  'AUDIT_HISTORY_REWRITTEN',
  /** A page is not `{ start, entries: [{ index, entry }] }` for what was asked: another start,
   *  more entries than asked, or indexes that do not count up from start. */
  'AUDIT_PAGE_INVALID',
  /** A page has fewer entries than asked: the log served is shorter than its checkpoint. */
  'AUDIT_ENTRIES_INCOMPLETE',
  /** An entry is not the canonical JSON of a known kind (parseLogEntry); detail.index says which. */
  'AUDIT_ENTRY_INVALID',
  /** The root of every entry served differs from the checkpoint's signed root. */
  'AUDIT_ROOT_MISMATCH',
] as const;
export type AuditFailureCode = (typeof AUDIT_FAILURE_CODES)[number];

/** Detail values are small and public: sizes, indexes, roots, notes, reasons. */
export type AuditDetail = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditFailure {
  readonly code: AuditFailureCode;
  readonly message: string;
  readonly detail: AuditDetail;
}

export function auditFailure(
  code: AuditFailureCode,
  message: string,
  detail: AuditDetail = {},
): AuditFailure {
  return { code, message, detail };
}

export interface EntryCounts {
  /** Entries reparsed, hashed and folded (all of them when the audit passed). */
  audited: number;
  readonly byKind: Record<LogEntryKind, number>;
  /** `agency` entries by event: the registry's history as the log tells it. */
  readonly agencyEvents: Record<AgencyLogEvent, number>;
}

export function emptyCounts(): EntryCounts {
  return {
    audited: 0,
    byKind: {
      attestation: 0,
      agency: 0,
      keyholder_key: 0,
      certification: 0,
      credentialing_body: 0,
      credential: 0,
      credential_revocation: 0,
      credential_affirmation: 0,
      statistics_release: 0,
    },
    agencyEvents: Object.fromEntries(AGENCY_LOG_EVENTS.map((e) => [e, 0])) as Record<
      AgencyLogEvent,
      number
    >,
  };
}

export function countEntry(counts: EntryCounts, entry: LogEntry): void {
  counts.audited += 1;
  counts.byKind[entry.kind] += 1;
  if (entry.kind === 'agency') counts.agencyEvents[entry.event] += 1;
}

/** A tree head as printed: the root in standard base64, as the checkpoint's third line. */
export interface PrintedHead {
  readonly size: number;
  readonly root: string;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly failures: readonly AuditFailure[];
  /** The log's origin: pinned, or (originPinned false) as the checkpoint named it. */
  readonly origin: string | null;
  readonly originPinned: boolean;
  /** Whether the hub's keys came from --hub-key (pinned) or from the hub itself. */
  readonly hubKeys: { readonly pinned: boolean; readonly kids: readonly string[] };
  /** The checkpoint audited, once its signature verified. */
  readonly checkpoint:
    (PrintedHead & { readonly cosigners: readonly string[]; readonly note: string }) | null;
  /** The saved checkpoint it was held against, if any. */
  readonly previous: PrintedHead | null;
  readonly entries: EntryCounts;
  readonly elapsedMs: number;
}
