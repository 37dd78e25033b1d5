/**
 * Intake (docs/protocol.md §5.6): a reporting node sends signed attestations to the hub in
 * batches and gets one receipt per attestation, in the same order.
 *
 * Batch:    { "attestations": ["<compact JWS>", …] }                               1..500
 * Receipt:  { "receipts": [{ "id": "<UUIDv7>", "status": "accepted" | "duplicate",
 *                            "receivedAt": "2025-01-02T03:04:05Z", "log"?: {…} }, …],
 *             "log"?: {…} }
 *
 * A batch is all-or-nothing: if any attestation is refused, the hub stores none and answers
 * with a problem whose field errors name `attestations[i]`. `duplicate` means the hub already
 * holds a byte-identical statement with that id (a retry); its `receivedAt` is the first one.
 *
 * `log` (batch and item) is reserved for transparency-log evidence (RFC 9162 leaf index and
 * inclusion proof, a C2SP checkpoint). Protocol version 1 does not define its content: v1 hubs
 * MUST NOT send it, and v1 nodes MUST accept and ignore a JSON object there, so a later
 * version can add the evidence without breaking v1 nodes.
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

export const MAX_INTAKE_BATCH = 500;
/** Bound on the serialized size of a reserved `log` member. */
export const MAX_LOG_EVIDENCE_CHARS = 65_536;

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

/** Nesting limit of reserved log evidence, the I-JSON depth limit of §6.3. */
export const MAX_LOG_EVIDENCE_DEPTH = 32;

/**
 * Whether `value` is plain JSON nested at most `maxDepth` deep. Iterative, so hostile nesting
 * cannot exhaust the stack before the size bound is applied.
 */
function isBoundedJson(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    if (typeof v !== 'object' || depth > maxDepth) return false;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return true;
}

/** Opaque, bounded JSON object reserved for a later protocol version (see above). */
export const ReservedLogEvidenceSchema = z
  .record(z.string().max(64), z.unknown())
  .refine((v) => isBoundedJson(v, MAX_LOG_EVIDENCE_DEPTH), {
    message: 'log evidence must be plain JSON nested at most 32 levels',
    params: { code: 'not_allowed' },
    abort: true,
  })
  .refine((v) => JSON.stringify(v).length <= MAX_LOG_EVIDENCE_CHARS, {
    message: 'log evidence too large',
    params: { code: 'too_long' },
  });

export const INTAKE_STATUSES = ['accepted', 'duplicate'] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

export const IntakeReceiptItemSchema = z.strictObject({
  id: StatementIdSchema,
  status: z.enum(INTAKE_STATUSES),
  receivedAt: TimestampSchema,
  log: ReservedLogEvidenceSchema.optional(),
});
export type IntakeReceiptItem = z.infer<typeof IntakeReceiptItemSchema>;

export const IntakeReceiptSchema = z
  .strictObject({
    receipts: z.array(IntakeReceiptItemSchema).min(1).max(MAX_INTAKE_BATCH),
    log: ReservedLogEvidenceSchema.optional(),
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
