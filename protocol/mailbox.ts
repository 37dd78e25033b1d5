/**
 * The hub's mailbox (docs/protocol.md §5.12): nodes have no inbound ports, so the hub keeps an
 * ordered queue of messages per agency, which the agency's node fetches and acknowledges with
 * signed requests (§7). Every message is a statement the hub signs (typ
 * `spx-mailbox-message+jws`, §6), addressed to one agency, with a sequence number:
 *
 *   { "v": 1, "seq": 42, "to": "<ORI>", "createdAt": "…Z", "body": MessageBody }
 *
 * MessageBody is a JSON object with a `type`; this version defines `correction` (§5.12.3) and
 * `monitoring` (§5.12.4).
 * Later message types (record requests, responses) travel the same way: a receiver that does
 * not know a `type` keeps the message as received and acknowledges it, so an older node never
 * blocks its queue on a newer message.
 *
 * Fetch: `GET /v1/mailbox/messages?after=<seq>&limit=<n>` → the agency's unacknowledged
 * messages with seq > after, ascending, at most `limit`. Fetching changes nothing, so a node that
 * crashed before storing what it fetched just fetches again.
 * Ack: `POST /v1/mailbox/ack { "seqs": [...] }` → those messages are acknowledged. Acknowledging
 * twice is harmless; a seq that is not one of the agency's messages refuses the whole ack
 * (NOT_FOUND), nothing applied.
 *
 * Why explicit seqs and not "everything up to n": sequence numbers are taken before the
 * transaction that writes a message commits, so a message with a lower seq can appear after one
 * with a higher seq was fetched. Acknowledging by range would acknowledge a message the node never
 * saw; unacknowledged messages are always fetched again.
 */
import { z } from 'zod';
import { MAX_STATEMENT_LENGTH } from './check-answer.js';
import {
  addIssue,
  CompactJwsSchema,
  IsoDateSchema,
  OriSchema,
  rejectDuplicates,
  TokenKeySchema,
  StatementIdSchema,
  TimestampSchema,
  whenFieldsValid,
} from './common.js';
import { ATTESTATION_STATUSES, MAX_ATTESTATION_KEYS } from './attestation.js';
import { NEVER_SHOWN_STATUSES } from './disclosure.js';
import { ProtocolError } from './decode.js';
import type { FieldError } from './problem.js';
import { ProtocolVersionSchema } from './version.js';

/** Sequence numbers: positive JSON integers, exact in every JSON implementation. */
export const MailboxSeqSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
/** The most messages one fetch returns, and one ack names. */
export const MAX_MAILBOX_PAGE = 100;
/** The default page a node asks for. */
export const DEFAULT_MAILBOX_PAGE = 50;

// ---------------------------------------------------------------------------------------------
// Message bodies

/**
 * What changed between the statement a check answer listed and the one that now stands.
 * `past_retention` is the hub's own notice on a record's retention due day (§5.12.3, §5.13):
 * the standing statement is unchanged but no longer shown; `from` is the listed statement's
 * status and `to` the due day.
 */
export const CORRECTION_CHANGES = [
  'status',
  'disputed',
  'superseded',
  'expunged',
  'past_retention',
] as const;
export type CorrectionChange = (typeof CORRECTION_CHANGES)[number];

export const CorrectionChangeSchema = z.strictObject({
  field: z.enum(CORRECTION_CHANGES),
  /** The value in the statement the check listed (status name or dispute date), if any. */
  from: z.string().max(64).nullable(),
  /** The value now; null when cleared or when the statement was expunged. */
  to: z.string().max(64).nullable(),
});
export type CorrectionChangeItem = z.infer<typeof CorrectionChangeSchema>;

/**
 * §5.12.3: a statement that an earlier check answer of the recipient listed was superseded (a
 * status change, a dispute, a retraction, an overturn, an expiry, a re-statement) or expunged.
 * `current` is the reporting agency's statement that now stands — the recipient verifies its
 * signature against the registry as it verifies a check answer — or null when the record was
 * expunged by court order (the hub then holds nothing to show).
 */
export const CorrectionBodySchema = z
  .strictObject({
    type: z.literal('correction'),
    /** The hub's checkId of the recipient's earlier check. */
    checkId: StatementIdSchema,
    checkedAt: TimestampSchema,
    /** The statement that check's answer listed. */
    attestationId: StatementIdSchema,
    current: CompactJwsSchema.nullable(),
    currentId: StatementIdSchema.nullable(),
    /** The current statement's status; null when expunged. */
    currentStatus: z.enum(ATTESTATION_STATUSES).nullable(),
    changes: z.array(CorrectionChangeSchema).min(1).max(CORRECTION_CHANGES.length),
  })
  .superRefine((b, ctx) => {
    const expunged = b.current === null;
    if (expunged !== (b.currentId === null) || expunged !== (b.currentStatus === null)) {
      addIssue(
        ctx,
        'mismatch',
        ['current'],
        'current, currentId, currentStatus: all set or all null',
      );
    }
    rejectDuplicates(
      ctx,
      b.changes,
      (c) => c.field,
      (i) => ['changes', i, 'field'],
    );
    // A retention notice names the statement that stands (the receiver recomputes its due day
    // from it) and nothing else: it is not a change by the reporting agency.
    const retention = b.changes.findIndex((c) => c.field === 'past_retention');
    if (retention >= 0) {
      const change = b.changes[retention]!;
      if (b.changes.length > 1) {
        addIssue(ctx, 'not_allowed', ['changes'], 'past_retention comes alone');
      }
      if (expunged) {
        addIssue(ctx, 'mismatch', ['current'], 'past_retention names the standing statement');
      }
      if (change.to === null || !IsoDateSchema.safeParse(change.to).success) {
        addIssue(ctx, 'invalid_value', ['changes', retention, 'to'], 'the due day, YYYY-MM-DD');
      }
    }
  }, whenFieldsValid);
export type CorrectionBody = z.infer<typeof CorrectionBodySchema>;

/**
 * What a monitoring notice reports: a statement the recipient had not been told of (`reported`),
 * a new statement of a record it was told of (`changed`), or that a record it was told of is no
 * longer shown to checkers (`withdrawn`: overturned, retracted, expired, withheld pending,
 * expunged, or past its retention due day — then with `pastRetention`) — in which case the notice carries no statement, as a check would show none.
 */
export const MONITORING_CHANGES = ['reported', 'changed', 'withdrawn'] as const;
export type MonitoringChange = (typeof MONITORING_CHANGES)[number];

/**
 * §5.12.4: another agency reported or changed a statement holding hub indexes the recipient
 * enrolled (§5.14). `matches` names the recipient's enrolled indexes the statement holds (for
 * `withdrawn`, those named by the notice it withdraws); `statement` is the reporting agency's
 * statement, which the recipient verifies against the registry as it verifies a check answer.
 */
export const MonitoringBodySchema = z
  .strictObject({
    type: z.literal('monitoring'),
    change: z.enum(MONITORING_CHANGES),
    matches: z.array(TokenKeySchema).min(1).max(MAX_ATTESTATION_KEYS),
    /** The statement now standing (compact JWS); null for `withdrawn`. */
    statement: CompactJwsSchema.nullable(),
    /** Its id; for `withdrawn`, the id of the statement that withdrew the record (or null if expunged). */
    statementId: StatementIdSchema.nullable(),
    /** Its status; null for `withdrawn`. Never a status a check would not show. */
    status: z.enum(ATTESTATION_STATUSES).nullable(),
    /** The statement of the same record the recipient was last told of; null for `reported`. */
    previousId: StatementIdSchema.nullable(),
    /**
     * On a `withdrawn` notice the hub sends on the record's retention due day (§5.12.4, §5.13):
     * that day. `statementId` then names the standing statement, which the reporting agency has
     * not superseded; absent on every other notice.
     */
    pastRetention: IsoDateSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const withdrawn = b.change === 'withdrawn';
    if (b.pastRetention !== undefined && (!withdrawn || b.statementId === null)) {
      addIssue(
        ctx,
        'not_allowed',
        ['pastRetention'],
        'only on a withdrawn notice naming the standing statement',
      );
    }
    if (withdrawn !== (b.statement === null) || withdrawn !== (b.status === null)) {
      addIssue(ctx, 'mismatch', ['statement'], 'statement and status: null exactly when withdrawn');
    }
    if (b.status !== null && NEVER_SHOWN_STATUSES.includes(b.status)) {
      addIssue(ctx, 'not_allowed', ['status'], `a check never shows ${b.status} records`);
    }
    if (!withdrawn && b.statementId === null) {
      addIssue(ctx, 'mismatch', ['statementId'], 'required unless withdrawn');
    }
    if ((b.change === 'reported') !== (b.previousId === null)) {
      addIssue(ctx, 'mismatch', ['previousId'], 'null exactly when reported');
    }
    rejectDuplicates(
      ctx,
      b.matches,
      (k) => k.index,
      (i) => ['matches', i, 'index'],
    );
  }, whenFieldsValid);
export type MonitoringBody = z.infer<typeof MonitoringBodySchema>;

/** The message types this version defines. */
export const MESSAGE_TYPES = ['correction', 'monitoring'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Any body: an object with a type. Known types are decoded with their own schema. */
export const MessageBodySchema = z.looseObject({
  type: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/),
});

export const KnownMessageBodySchema = z.discriminatedUnion('type', [
  CorrectionBodySchema,
  MonitoringBodySchema,
]);
export type KnownMessageBody = z.infer<typeof KnownMessageBodySchema>;

// ---------------------------------------------------------------------------------------------
// The signed message

export const MailboxMessagePayloadSchema = z.strictObject({
  v: ProtocolVersionSchema,
  seq: MailboxSeqSchema,
  to: OriSchema,
  createdAt: TimestampSchema,
  body: MessageBodySchema,
});
export type MailboxMessagePayload = z.infer<typeof MailboxMessagePayloadSchema>;

/** A message on the wire: a compact JWS of at most §6.5's statement length. */
export const MailboxMessageJwsSchema = z
  .string()
  .min(1)
  .max(MAX_STATEMENT_LENGTH)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);

// ---------------------------------------------------------------------------------------------
// Fetch and ack

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/**
 * `?after=<seq>&limit=<n>` as hono's `c.req.queries()` gives it, parsed strictly: decimal
 * integers without sign or leading zero, no unknown or repeated parameter (VALIDATION_FAILED
 * naming it). `after` defaults to 0, `limit` to DEFAULT_MAILBOX_PAGE.
 */
export function parseMailboxQuery(query: Readonly<Record<string, readonly string[]>>): {
  after: number;
  limit: number;
} {
  const errors: FieldError[] = [];
  const value = (name: string, min: number, max: number, fallback: number): number => {
    const values = query[name];
    if (values === undefined) return fallback;
    const text = values[0]!;
    if (values.length > 1) {
      errors.push({ field: name, code: 'duplicate', message: 'given more than once' });
    } else if (!DECIMAL.test(text) || Number(text) < min || Number(text) > max) {
      errors.push({ field: name, code: 'invalid_value', message: `an integer ${min}–${max}` });
    }
    return Number(text);
  };
  for (const name of Object.keys(query)) {
    if (name !== 'after' && name !== 'limit') {
      errors.push({ field: name, code: 'unknown_field', message: 'unknown query parameter' });
    }
  }
  const after = value('after', 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = value('limit', 1, MAX_MAILBOX_PAGE, DEFAULT_MAILBOX_PAGE);
  if (errors.length > 0) throw new ProtocolError('VALIDATION_FAILED', 'bad query', { errors });
  return { after, limit };
}

export const MailboxPageSchema = z.strictObject({
  /** Ascending seq; each a signed message addressed to the requester. */
  messages: z.array(MailboxMessageJwsSchema).max(MAX_MAILBOX_PAGE),
  /** True when more unacknowledged messages follow the last one returned. */
  more: z.boolean(),
  /**
   * Messages to the requester that the hub deleted unacknowledged at the end of its retention
   * period (a node offline for longer than that): the node tells its operator.
   */
  expiredUnacknowledged: z.int().min(0),
});
export type MailboxPage = z.infer<typeof MailboxPageSchema>;

export const MailboxAckSchema = z
  .strictObject({ seqs: z.array(MailboxSeqSchema).min(1).max(MAX_MAILBOX_PAGE) })
  .superRefine((a, ctx) => {
    rejectDuplicates(
      ctx,
      a.seqs,
      (s) => String(s),
      (i) => ['seqs', i],
    );
  }, whenFieldsValid);
export type MailboxAck = z.infer<typeof MailboxAckSchema>;

export const MailboxAckReceiptSchema = z.strictObject({
  /** How many of the named messages this ack acknowledged (0 when all already were). */
  acknowledged: z.int().min(0),
  /** Unacknowledged messages left for the requester. */
  remaining: z.int().min(0),
});
export type MailboxAckReceipt = z.infer<typeof MailboxAckReceiptSchema>;
