/**
 * What a check discloses (docs/protocol.md §5.8.4): a written rule per status and purpose,
 * applied by the hub before it lists a match, and by a node to what it shows of an earlier
 * answer after a correction. Pure.
 *
 * - Retracted, overturned and expired records are never shown, for any purpose: an answer must
 *   never say "no record" and list one beside it.
 * - Final records are shown.
 * - Pending records (notice sent, pending appeal) are shown as pending, with their status and
 *   dates — unless the hub's rule withholds them: for every reporting agency
 *   (`pending: 'withhold'`) or for the reporting agencies of the listed states (state law that
 *   keeps open cases confidential).
 * - A disputed record carries its dispute (`disputed.since`); the officer's statement of
 *   disagreement stays at the reporting node.
 *
 * Version 1 applies the same rule to every purpose (CHECK_PURPOSES); the table is keyed by
 * purpose so a later version can differ without changing the shape.
 */
import type { AttestationStatus } from './attestation.js';
import type { CheckPurpose } from './check-request.js';

export type Disclosure = 'shown' | 'pending' | 'never';

/** Per status: shown as it is, shown subject to the pending rule, or never shown. */
export const STATUS_DISCLOSURE: Readonly<Record<AttestationStatus, Disclosure>> = {
  notice_sent: 'pending',
  pending_appeal: 'pending',
  final: 'shown',
  overturned: 'never',
  retracted: 'never',
  expired: 'never',
};

/** Statuses never shown to a checker. */
export const NEVER_SHOWN_STATUSES = (Object.keys(STATUS_DISCLOSURE) as AttestationStatus[]).filter(
  (s) => STATUS_DISCLOSURE[s] === 'never',
);

export interface PendingRule {
  /** `show` (default) or `withhold` pending records of every reporting agency. */
  readonly pending: 'show' | 'withhold';
  /** USPS codes of states whose reporting agencies' pending records are withheld. */
  readonly withholdPendingStates: readonly string[];
}

export const DEFAULT_PENDING_RULE: PendingRule = { pending: 'show', withholdPendingStates: [] };

/**
 * Whether a record of `status`, reported by an agency in `reportingState` (null: federal or
 * multi-state), may be listed in an answer for `purpose` under `rule`.
 */
export function isDisclosed(
  status: AttestationStatus,
  // Keyed by purpose for later versions; version 1 discloses alike for every purpose.
  _purpose: CheckPurpose,
  reportingState: string | null,
  rule: PendingRule = DEFAULT_PENDING_RULE,
): boolean {
  switch (STATUS_DISCLOSURE[status]) {
    case 'never':
      return false;
    case 'shown':
      return true;
    case 'pending':
      if (rule.pending === 'withhold') return false;
      return reportingState === null || !rule.withholdPendingStates.includes(reportingState);
  }
}
