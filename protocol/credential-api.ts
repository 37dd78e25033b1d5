/**
 * The credential endpoints' answers (docs/api.md "Credentials", docs/protocol.md §5.16).
 */
import { z } from 'zod';
import { IsoDateSchema, OriSchema, StatementIdSchema, TimestampSchema } from './common.js';
import { BodyIdSchema, REVOCATION_REASONS } from './credential.js';
import { MAX_STANDARDS, STANDARD_ID_PATTERN } from './credential-standards.js';
import { CheckpointNoteSchema, LogIndexSchema } from './tlog.js';

/**
 * The hub's answer to POST /v1/credentials, /v1/credentials/revocations and
 * /v1/credentials/affirmations: `duplicate` for a byte-identical resubmission; `validUntil` the
 * last day a credential or affirmation counts (null for a revocation); `log` the statement's
 * leaf and the signed checkpoint that covers it.
 */
export const CredentialReceiptSchema = z.strictObject({
  id: StatementIdSchema,
  status: z.enum(['accepted', 'duplicate']),
  receivedAt: TimestampSchema,
  validUntil: IsoDateSchema.nullable(),
  log: z.strictObject({ index: LogIndexSchema, checkpoint: CheckpointNoteSchema }),
});
export type CredentialReceipt = z.infer<typeof CredentialReceiptSchema>;

/** The most records one list answer holds (the newest first). */
export const MAX_CREDENTIALS_PAGE = 1000;

export const CredentialRecordSchema = z.strictObject({
  id: StatementIdSchema,
  body: BodyIdSchema,
  ori: OriSchema,
  standardsList: z.int().min(1),
  standards: z.array(z.string().regex(STANDARD_ID_PATTERN)).max(MAX_STANDARDS),
  mandatoryMet: z.boolean(),
  assessedOn: IsoDateSchema,
  validUntil: IsoDateSchema,
  receivedAt: TimestampSchema,
  revocation: z
    .strictObject({
      id: StatementIdSchema,
      reason: z.enum(REVOCATION_REASONS),
      revokedOn: IsoDateSchema,
    })
    .nullable(),
  /** The signed credential, for anyone to verify against the body's key. */
  jws: z.string(),
});
export type CredentialRecord = z.infer<typeof CredentialRecordSchema>;

/** GET /v1/credentials?ori=&body=: public, newest assessment first. */
export const CredentialListSchema = z.strictObject({
  credentials: z.array(CredentialRecordSchema).max(MAX_CREDENTIALS_PAGE),
});
export type CredentialList = z.infer<typeof CredentialListSchema>;

export const AffirmationRecordSchema = z.strictObject({
  id: StatementIdSchema,
  ori: OriSchema,
  affirmedOn: IsoDateSchema,
  validUntil: IsoDateSchema,
  receivedAt: TimestampSchema,
  jws: z.string(),
});
export type AffirmationRecord = z.infer<typeof AffirmationRecordSchema>;

/** GET /v1/credentials/affirmations?ori=: public, newest first. */
export const AffirmationListSchema = z.strictObject({
  affirmations: z.array(AffirmationRecordSchema).max(MAX_CREDENTIALS_PAGE),
});
export type AffirmationList = z.infer<typeof AffirmationListSchema>;

/** The list routes' query: optional filters. */
export const CredentialQuerySchema = z.strictObject({
  ori: OriSchema.optional(),
  body: BodyIdSchema.optional(),
});
