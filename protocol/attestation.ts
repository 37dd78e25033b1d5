/**
 * The attestation statement (docs/protocol.md §5.5): the payload a reporting agency signs
 * (compact JWS, typ `spx-attestation+jws`, §6) to say "the officer behind these tokens has this
 * outcome". Every change is a new statement that supersedes the previous one (§5.5.3).
 *
 *   { "v": 1, "id": "<UUIDv7>", "issuer": "<ORI>",
 *     "tokens": { "epoch": 3, "keys": [{ "kind": "ssn", "index": "<32 bytes>" }, …] },   1..32
 *     "categoryList": 1, "category": "termination", "useOfForce": true,
 *     "eventDate": "2023-04-02", "outcomeDate": "2023-09-14",
 *     "status": "final", "statusDate": "2023-11-01",
 *     "notified": true, "disputed": null | { "since": "2023-11-20" },
 *     "supersedes": null | "<UUIDv7>", "localRef": null | "<opaque>",
 *     "issuedAt": "2023-11-02T15:04:05Z" }
 *
 * Dates: eventDate is when the underlying conduct happened (the first day, if it spans
 * several); outcomeDate is when the outcome was decided or took effect (separation, order,
 * conviction or judgment entered, resignation, suspension imposed, finding sustained);
 * statusDate is when the current status took effect. eventDate ≤ outcomeDate ≤ statusDate ≤
 * the date of issuedAt.
 */
import { z } from 'zod';
import { MATCH_KEY_STRENGTH } from '../crypto/match-key-kind.js';
import { CATEGORIES, isCategoryIn } from './categories.js';
import {
  addIssue,
  EpochSchema,
  IsoDateSchema,
  opaqueRef,
  OriSchema,
  rejectDuplicates,
  StatementIdSchema,
  timestampDate,
  TimestampSchema,
  TokenKeySchema,
  whenFieldsValid,
} from './common.js';
import { CategoryListVersionSchema, ProtocolVersionSchema } from './version.js';

/**
 * §5.5.2 lifecycle. notice_sent: the outcome was decided and the officer notified; the time to
 * respond or appeal runs. pending_appeal: the officer appealed. final: no appeal remains — only
 * final records count as findings. overturned: reversed on appeal or by a court. retracted:
 * withdrawn by the agency (made in error, expunged). expired: past the retention period.
 */
export const ATTESTATION_STATUSES = [
  'notice_sent',
  'pending_appeal',
  'final',
  'overturned',
  'retracted',
  'expired',
] as const;
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];

/** Statuses that only make sense as a change to an earlier statement. */
export const SUPERSEDING_ONLY_STATUSES: readonly AttestationStatus[] = [
  'overturned',
  'retracted',
  'expired',
];
/** Statuses that require the agency's affirmation that the officer was heard. */
export const NOTIFIED_REQUIRED_STATUSES: readonly AttestationStatus[] = ['pending_appeal', 'final'];

export const MAX_ATTESTATION_KEYS = 32;
export const MAX_LOCAL_REF_LENGTH = 64;

export const AttestationTokensSchema = z.strictObject({
  epoch: EpochSchema,
  keys: z.array(TokenKeySchema).min(1).max(MAX_ATTESTATION_KEYS),
});

export const DisputeSchema = z.strictObject({ since: IsoDateSchema });

export const AttestationPayloadSchema = z
  .strictObject({
    v: ProtocolVersionSchema,
    id: StatementIdSchema,
    issuer: OriSchema,
    tokens: AttestationTokensSchema,
    categoryList: CategoryListVersionSchema,
    category: z.enum(CATEGORIES),
    useOfForce: z.boolean(),
    eventDate: IsoDateSchema,
    outcomeDate: IsoDateSchema,
    status: z.enum(ATTESTATION_STATUSES),
    statusDate: IsoDateSchema,
    notified: z.boolean(),
    disputed: DisputeSchema.nullable(),
    supersedes: StatementIdSchema.nullable(),
    localRef: opaqueRef(MAX_LOCAL_REF_LENGTH).nullable(),
    issuedAt: TimestampSchema,
  })
  .superRefine((a, ctx) => {
    const keys = a.tokens.keys;
    rejectDuplicates(
      ctx,
      keys,
      (k) => k.index,
      (i) => ['tokens', 'keys', i, 'index'],
    );
    if (keys.every((k) => MATCH_KEY_STRENGTH[k.kind] === 'weak')) {
      addIssue(ctx, 'not_allowed', ['tokens', 'keys'], 'needs a strong or moderate key');
    }
    if (!isCategoryIn(a.categoryList, a.category)) {
      addIssue(ctx, 'invalid_value', ['category'], 'category not in this category list');
    }
    if (a.category === 'civil_judgment_use_of_force' && !a.useOfForce) {
      addIssue(ctx, 'mismatch', ['useOfForce'], 'this category always involves use of force');
    }
    // Each rule names the field to correct: the later date, or the date that is after issuedAt.
    const issued = timestampDate(a.issuedAt);
    notBefore(ctx, a.outcomeDate, a.eventDate, ['outcomeDate'], 'outcomeDate is before eventDate');
    notBefore(ctx, a.statusDate, a.outcomeDate, ['statusDate'], 'statusDate is before outcomeDate');
    notBefore(ctx, issued, a.statusDate, ['statusDate'], 'statusDate is after issuedAt');
    if (a.disputed !== null) {
      const since = ['disputed', 'since'];
      notBefore(ctx, a.disputed.since, a.outcomeDate, since, 'dispute before the outcome');
      notBefore(ctx, issued, a.disputed.since, since, 'dispute after issuedAt');
    }
    if (NOTIFIED_REQUIRED_STATUSES.includes(a.status) && !a.notified) {
      addIssue(ctx, 'not_allowed', ['notified'], `status ${a.status} requires notified = true`);
    }
    if (a.supersedes === a.id) {
      addIssue(ctx, 'not_allowed', ['supersedes'], 'a statement cannot supersede itself');
    }
    if (SUPERSEDING_ONLY_STATUSES.includes(a.status) && a.supersedes === null) {
      addIssue(ctx, 'not_allowed', ['supersedes'], `status ${a.status} must supersede a statement`);
    }
  }, whenFieldsValid);
export type AttestationPayload = z.infer<typeof AttestationPayloadSchema>;

/** Reports `path` when date `later` is before date `earlier` (ISO dates compare as strings). */
function notBefore(
  ctx: z.RefinementCtx,
  later: string,
  earlier: string,
  path: string[],
  message: string,
): void {
  if (later < earlier) addIssue(ctx, 'out_of_order', path, message);
}
