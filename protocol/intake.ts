/**
 * Intake (docs/protocol.md §5.6): a reporting node sends signed attestations to the hub in
 * batches and gets one receipt per attestation, in the same order.
 *
 * Batch:    { "attestations": ["<compact JWS>", …] }                               1..500
 * Receipt:  { "receipts": [{ "id": "<UUIDv7>", "status": "accepted" | "duplicate",
 *                            "receivedAt": "2025-01-02T03:04:05Z",
 *                            "log": { "index": 41, "salt": "<b64url>", "proof": ["<b64url>", …] } },
 *                          …],
 *             "log": { "checkpoint": "<signed note>" } }
 *
 * A batch is all-or-nothing: if any attestation is refused, the hub stores none and answers
 * with a problem whose field errors name `attestations[i]`. `duplicate` means the hub already
 * holds a byte-identical statement with that id (a retry); its `receivedAt` is the first one.
 *
 * `log` is the transparency-log evidence (protocol/tlog.ts, docs/transparency.md): the batch's
 * `log.checkpoint` is a C2SP checkpoint signed by the hub, and each item's `log` is that
 * statement's leaf index, the salt of its commitment and its RFC 9162 inclusion proof against
 * that checkpoint — for a duplicate too, at the index where it was first appended.
 */
import { z } from 'zod';
import {
  addIssue,
  CompactJwsSchema,
  rejectDuplicates,
  StatementIdSchema,
  TimestampSchema,
  whenFieldsValid,
} from './common.js';
import { CheckpointEvidenceSchema, InclusionEvidenceSchema } from './tlog.js';

export const MAX_INTAKE_BATCH = 500;

export const IntakeBatchSchema = z
  .strictObject({
    attestations: z.array(CompactJwsSchema).min(1).max(MAX_INTAKE_BATCH),
  })
  .superRefine((batch, ctx) => {
    rejectDuplicates(
      ctx,
      batch.attestations,
      (s) => s,
      (i) => ['attestations', i],
    );
  }, whenFieldsValid);
export type IntakeBatch = z.infer<typeof IntakeBatchSchema>;

export const INTAKE_STATUSES = ['accepted', 'duplicate'] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

export const IntakeReceiptItemSchema = z.strictObject({
  id: StatementIdSchema,
  status: z.enum(INTAKE_STATUSES),
  receivedAt: TimestampSchema,
  log: InclusionEvidenceSchema,
});
export type IntakeReceiptItem = z.infer<typeof IntakeReceiptItemSchema>;

export const IntakeReceiptSchema = z
  .strictObject({
    receipts: z.array(IntakeReceiptItemSchema).min(1).max(MAX_INTAKE_BATCH),
    log: CheckpointEvidenceSchema,
  })
  .superRefine((r, ctx) => {
    rejectDuplicates(
      ctx,
      r.receipts,
      (x) => x.id,
      (i) => ['receipts', i, 'id'],
    );
  }, whenFieldsValid);
export type IntakeReceipt = z.infer<typeof IntakeReceiptSchema>;

/**
 * The receipt schema a node applies to the answer to its batch, given the ids of the
 * attestations it sent, in order: one receipt per attestation, same order, same ids.
 */
export function intakeReceiptSchemaFor(sentIds: readonly string[]) {
  return IntakeReceiptSchema.superRefine((r, ctx) => {
    if (r.receipts.length !== sentIds.length) {
      addIssue(ctx, 'mismatch', ['receipts'], 'one receipt per attestation sent');
      return;
    }
    r.receipts.forEach((item, i) => {
      if (item.id !== sentIds[i]) {
        addIssue(ctx, 'mismatch', ['receipts', i, 'id'], 'id differs from the attestation sent');
      }
    });
  }, whenFieldsValid);
}
