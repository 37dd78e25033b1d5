/**
 * Re-evaluating a stored check after a correction (docs/node.md "Inbox"): pure. The answer's
 * matches are replaced, one listed statement at a time, by the statement that now stands, and
 * the verdict is computed again under the check's own policy and checkedAt — so the change in
 * verdict comes from the change in the record alone. A retracted, overturned, expired or
 * expunged record is no longer shown at all (docs/protocol.md §5.8.4, §5.12.3), nor is one past
 * its retention period (§5.13), nor one whose corrected identifiers no longer match the
 * candidate.
 */
import { MATCH_KEY_STRENGTH, strongest } from '../../crypto/match-key-kind.js';
import type { AttestationPayload } from '../../protocol/attestation.js';
import { compareKeys } from '../../protocol/check-match.js';
import type { CheckMatch, CheckResponsePayload } from '../../protocol/check-response.js';
import { computeVerdict, type Verdict } from '../../protocol/check-verdict.js';
import { NEVER_SHOWN_STATUSES } from '../../protocol/disclosure.js';
import type { CorrectionBody } from '../../protocol/mailbox.js';

/** What stands now for one statement the answer listed; `match: null` is not shown. */
export interface CurrentEntry {
  readonly match: CheckMatch | null;
  /** The standing statement's issuedAt (null when expunged): a later one wins. */
  readonly issuedAt: string | null;
}

/** checks.current_matches: per listed attestationId. */
export type CurrentMatches = Readonly<Record<string, CurrentEntry>>;

export type CorrectionOutcome =
  | {
      readonly kind: 'applied' | 'no_change';
      readonly state: CurrentMatches;
      readonly verdictBefore: Verdict;
      readonly verdictAfter: Verdict;
    }
  | { readonly kind: 'refused'; readonly detail: string };

const NOT_SHOWN: ReadonlySet<string> = new Set(NEVER_SHOWN_STATUSES);

function shown(payload: CheckResponsePayload, state: CurrentMatches): CheckMatch[] {
  return payload.matches.flatMap((m) => {
    const entry = state[m.attestationId];
    if (entry === undefined) return [m];
    return entry.match === null ? [] : [entry.match];
  });
}

export function verdictOf(payload: CheckResponsePayload, state: CurrentMatches): Verdict {
  return computeVerdict(shown(payload, state), payload.policy, payload.checkedAt).verdict;
}

/**
 * Applies `body` to the check whose verified response is `payload`. `current` is the verified
 * payload of body.current (null when expunged) and `currentDigest` its statementDigest.
 */
export function applyCorrection(input: {
  readonly payload: CheckResponsePayload;
  readonly state: CurrentMatches;
  readonly body: CorrectionBody;
  readonly current: AttestationPayload | null;
  readonly currentDigest: string | null;
  /**
   * Whether `current` is past its retention period (§5.13) on the day of the message: then the
   * record is no longer shown, as a check on that day would not show it. Computed by the caller
   * from the reporting agency's registry entry (default: false).
   */
  readonly pastRetention?: boolean;
}): CorrectionOutcome {
  const { payload, state, body, current } = input;
  const listed = payload.matches.find((m) => m.attestationId === body.attestationId);
  if (listed === undefined) {
    return { kind: 'refused', detail: `the check's answer did not list ${body.attestationId}` };
  }
  if (current !== null) {
    if (current.issuer !== listed.reportingAgency.ori) {
      return {
        kind: 'refused',
        detail: `the correction is signed by ${current.issuer}, not the reporting agency`,
      };
    }
    if (current.id !== body.currentId || current.status !== body.currentStatus) {
      return { kind: 'refused', detail: 'currentId or currentStatus differ from the statement' };
    }
  }
  const before = verdictOf(payload, state);
  const pastRetention = input.pastRetention === true;
  const previous = state[listed.attestationId];
  // The same standing statement again changes nothing — unless it is now past retention and
  // the record is still shown (the hub's notice on the due day names the unchanged statement).
  const stale =
    previous !== undefined &&
    (previous.issuedAt === null ||
      (current !== null &&
        (previous.issuedAt > current.issuedAt ||
          (previous.issuedAt === current.issuedAt &&
            !(pastRetention && previous.match !== null)))));
  if (stale) return { kind: 'no_change', state, verdictBefore: before, verdictAfter: before };

  // The standing statement's own keys decide how it compares with the candidate (§5.8.1): a
  // correction may fix an identifier, so that the record gains or loses a contradiction, or no
  // longer matches the candidate at all (then it is not shown). A statement of another epoch
  // cannot be compared with this answer's keys; its kinds stay as listed.
  const kinds =
    current === null || current.tokens.epoch !== payload.epoch
      ? null
      : compareKeys(payload.keys, current.tokens.keys);
  const entry: CurrentEntry =
    current === null
      ? { match: null, issuedAt: null }
      : {
          issuedAt: current.issuedAt,
          match:
            NOT_SHOWN.has(current.status) || pastRetention || kinds?.matchedKinds.length === 0
              ? null
              : {
                  ...listed,
                  ...(kinds === null
                    ? {}
                    : {
                        matchedKinds: kinds.matchedKinds,
                        strength: strongest(kinds.matchedKinds.map((k) => MATCH_KEY_STRENGTH[k]))!,
                        contradictedKinds: kinds.contradictedKinds,
                      }),
                  attestationId: current.id,
                  attestationDigest: input.currentDigest!,
                  categoryList: current.categoryList,
                  category: current.category,
                  useOfForce: current.useOfForce,
                  eventDate: current.eventDate,
                  outcomeDate: current.outcomeDate,
                  status: current.status as CheckMatch['status'],
                  statusDate: current.statusDate,
                  disputed: current.disputed,
                },
        };
  const next: CurrentMatches = { ...state, [listed.attestationId]: entry };
  return {
    kind: 'applied',
    state: next,
    verdictBefore: before,
    verdictAfter: verdictOf(payload, next),
  };
}
