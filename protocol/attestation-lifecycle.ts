/**
 * Rules that relate an attestation to its predecessor and to the receiver's clock
 * (docs/protocol.md §5.5.3). They are pure: the hub passes the superseded statement and the
 * time as data.
 *
 *   notice_sent ──► pending_appeal ──► final ──► expired
 *        │               │  ▲            │ ▲
 *        │               ▼  │            ▼ │
 *        └─────────────► overturned ◄────┘ │      any non-terminal ──► retracted
 *                             └────────────┘
 *
 * A status may also be restated unchanged (to add a dispute or correct a date). retracted and
 * expired are terminal: nothing supersedes them.
 *
 * A chain never moves back to an older OPRF key epoch (§4.8): a successor under an older epoch
 * would take the record out of checks under the newer one. A successor that changes nothing but
 * its tokens, under a newer epoch, is a *re-statement* (§5.5.3): the same record, re-tokenized.
 */
import { ProtocolError } from './decode.js';
import type { AttestationPayload, AttestationStatus } from './attestation.js';
import type { FieldError } from './problem.js';

export const ALLOWED_TRANSITIONS: Readonly<
  Record<AttestationStatus, readonly AttestationStatus[]>
> = {
  notice_sent: ['notice_sent', 'pending_appeal', 'final', 'overturned', 'retracted'],
  pending_appeal: ['pending_appeal', 'final', 'overturned', 'retracted'],
  // A final decision can still be challenged in court, reversed, withdrawn or age out.
  final: ['final', 'pending_appeal', 'overturned', 'retracted', 'expired'],
  // An overturning can itself be appealed (by the agency) and reinstated.
  overturned: ['overturned', 'pending_appeal', 'final', 'retracted', 'expired'],
  retracted: [],
  expired: [],
};

export function isAllowedTransition(from: AttestationStatus, to: AttestationStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/**
 * The field errors that make `next` an invalid successor of `previous` (empty when valid).
 * Only the originating agency may change its attestation; the successor is issued later.
 */
export function supersessionErrors(
  previous: AttestationPayload,
  next: AttestationPayload,
): FieldError[] {
  const errors: FieldError[] = [];
  if (next.supersedes !== previous.id) {
    errors.push({ field: 'supersedes', code: 'mismatch', message: 'does not name previous' });
  }
  if (next.issuer !== previous.issuer) {
    errors.push({
      field: 'issuer',
      code: 'not_allowed',
      message: 'only the originating agency can supersede its attestation',
    });
  }
  if (next.issuedAt <= previous.issuedAt) {
    errors.push({
      field: 'issuedAt',
      code: 'out_of_order',
      message: 'must be later than the superseded statement',
    });
  }
  if (!isAllowedTransition(previous.status, next.status)) {
    errors.push({
      field: 'status',
      code: 'not_allowed',
      message: `cannot go from ${previous.status} to ${next.status}`,
    });
  }
  if (next.tokens.epoch < previous.tokens.epoch) {
    errors.push({
      field: 'tokens.epoch',
      code: 'out_of_order',
      message: `epoch ${next.tokens.epoch} is older than the superseded statement's ${previous.tokens.epoch}`,
    });
  }
  return errors;
}

/**
 * Whether `next` re-states `previous` (§5.5.3): it supersedes it under a newer epoch and every
 * member but `id`, `tokens`, `supersedes` and `issuedAt` is equal. A re-statement says nothing
 * new about the officer: checks under the older epoch keep finding `previous` (§5.8.1), and it
 * is not a correction that earlier recipients are told of.
 */
export function isRestatement(previous: AttestationPayload, next: AttestationPayload): boolean {
  return (
    next.supersedes === previous.id &&
    next.tokens.epoch > previous.tokens.epoch &&
    RESTATED_MEMBERS.every((m) => sameMember(previous[m], next[m]))
  );
}

/** The members a re-statement repeats unchanged: all but id, tokens, supersedes, issuedAt. */
const RESTATED_MEMBERS = [
  'v',
  'issuer',
  'categoryList',
  'category',
  'useOfForce',
  'eventDate',
  'outcomeDate',
  'status',
  'statusDate',
  'notified',
  'disputed',
  'localRef',
] as const satisfies readonly (keyof AttestationPayload)[];

// A member added to the payload must be listed above or among the four a re-statement changes.
type Unlisted = Exclude<
  keyof AttestationPayload,
  (typeof RESTATED_MEMBERS)[number] | 'id' | 'tokens' | 'supersedes' | 'issuedAt'
>;
const everyMemberListed: [Unlisted] extends [never] ? true : never = true;
void everyMemberListed;

function sameMember(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  // `disputed`, the one object member: { since }.
  return (a as { since?: unknown }).since === (b as { since?: unknown }).since;
}

/** Throws SUPERSESSION_INVALID when `next` may not supersede `previous`. */
export function assertSupersession(previous: AttestationPayload, next: AttestationPayload): void {
  const errors = supersessionErrors(previous, next);
  if (errors.length > 0) {
    throw new ProtocolError('SUPERSESSION_INVALID', 'invalid supersession', { errors });
  }
}

/** Clock skew the hub tolerates on `issuedAt` (§5.5.4). */
export const MAX_ISSUED_AT_SKEW_SECONDS = 300;

/**
 * The hub refuses statements dated in its future: a back- or forward-dated statement would
 * distort reporting timeliness (§8 of the design) and the log's order.
 */
export function issuedAtErrors(
  payload: Pick<AttestationPayload, 'issuedAt'>,
  now: Date,
  maxSkewSeconds: number = MAX_ISSUED_AT_SKEW_SECONDS,
): FieldError[] {
  const issued = Date.parse(payload.issuedAt);
  if (issued > now.getTime() + maxSkewSeconds * 1000) {
    return [{ field: 'issuedAt', code: 'not_allowed', message: 'issuedAt is in the future' }];
  }
  return [];
}
