/**
 * One page of GET /v1/log/entries?start=S&end=E, checked before any of it is used: the
 * protocol's shape, exactly the entries asked for with indexes S, S+1, … E−1, and every entry
 * the canonical JSON of a known kind (`parseLogEntry`, docs/protocol.md §9.2) — so that each
 * entry has exactly one leaf hash. Pure.
 */
import { fail, ok, type Result } from '../../crypto/result.js';
import {
  LogEntriesResponseSchema,
  logEntryLeafHash,
  parseLogEntry,
  type LogEntry,
} from '../../protocol/tlog.js';
import { auditFailure, type AuditFailure } from './audit-result.js';

export interface CheckedPage {
  readonly entries: readonly LogEntry[];
  /** RFC 9162 leaf hashes, in index order. */
  readonly leaves: readonly Uint8Array[];
}

export type PageCheck = Result<CheckedPage, AuditFailure>;

const failed = (failure: AuditFailure): PageCheck => fail(failure);

export function checkEntriesPage(body: unknown, start: number, end: number): PageCheck {
  const parsed = LogEntriesResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '$';
    return failed(
      auditFailure('AUDIT_PAGE_INVALID', `entries page [${start}, ${end}): ${field} is invalid`, {
        start,
        end,
        field,
        reason: issue?.message ?? 'invalid',
      }),
    );
  }
  const page = parsed.data;
  const asked = end - start;
  if (page.start !== start || page.entries.length > asked) {
    return failed(
      auditFailure('AUDIT_PAGE_INVALID', `entries page [${start}, ${end}) is for another range`, {
        start,
        end,
        servedStart: page.start,
        received: page.entries.length,
      }),
    );
  }
  if (page.entries.length < asked) {
    return failed(
      auditFailure(
        'AUDIT_ENTRIES_INCOMPLETE',
        `entries page [${start}, ${end}) has ${page.entries.length} of ${asked} entries`,
        { start, end, received: page.entries.length },
      ),
    );
  }
  const entries: LogEntry[] = [];
  const leaves: Uint8Array[] = [];
  for (const [i, item] of page.entries.entries()) {
    const index = start + i;
    if (item.index !== index) {
      return failed(
        auditFailure('AUDIT_PAGE_INVALID', `entry ${index} is served as index ${item.index}`, {
          index,
          servedIndex: item.index,
        }),
      );
    }
    const entry = parseLogEntry(item.entry);
    if (!entry.ok) {
      return failed(
        auditFailure('AUDIT_ENTRY_INVALID', `entry ${index}: ${entry.error}`, {
          index,
          reason: entry.error,
        }),
      );
    }
    entries.push(entry.entry);
    leaves.push(logEntryLeafHash(entry.entry));
  }
  return ok({ entries, leaves });
}
