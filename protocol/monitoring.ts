/**
 * Continuous monitoring of current officers (docs/protocol.md §5.14), as the FBI's Rap Back
 * does for criminal records: an agency that opts in **enrolls** the hub indexes of its current
 * officers (only hub indexes cross the wire), and the hub tells it through its mailbox
 * (§5.12, a `monitoring` message) when another agency later reports or changes a statement
 * holding one of them.
 *
 *   POST /v1/monitoring/enrollments
 *     { "epoch": 3, "enroll": [{ "kind": "ssn", "index": "<32 bytes>" }, …],   0..1000
 *                   "remove": ["<32 bytes>", …] }                                 0..1000
 *   → { "enrolled": n, "renewed": n, "removed": n, "active": n, "limit": n, "expiresAt": "…Z" }
 *
 * An enrollment lapses after the hub's term (`expiresAt`) unless the agency enrolls the index
 * again, which renews it. The hub keeps at most `limit` active enrollments per agency: a request
 * that would exceed it is refused whole (422 ENROLLMENT_LIMIT), nothing applied.
 */
import { z } from 'zod';
import {
  addIssue,
  EpochSchema,
  HubIndexSchema,
  rejectDuplicates,
  TokenKeySchema,
  whenFieldsValid,
} from './common.js';

/** Most indexes one enrollment request enrolls, and most it removes. */
export const MAX_ENROLLMENT_BATCH = 1000;

export const EnrollmentRequestSchema = z
  .strictObject({
    /** The key epoch the enrolled indexes were derived under (one the hub serves). */
    epoch: EpochSchema,
    enroll: z.array(TokenKeySchema).max(MAX_ENROLLMENT_BATCH),
    remove: z.array(HubIndexSchema).max(MAX_ENROLLMENT_BATCH),
  })
  .superRefine((r, ctx) => {
    if (r.enroll.length + r.remove.length === 0) {
      addIssue(ctx, 'invalid_value', ['enroll'], 'enroll or remove at least one index');
    }
    rejectDuplicates(
      ctx,
      r.enroll,
      (k) => k.index,
      (i) => ['enroll', i, 'index'],
    );
    rejectDuplicates(
      ctx,
      r.remove,
      (s) => s,
      (i) => ['remove', i],
    );
    const enrolled = new Set(r.enroll.map((k) => k.index));
    r.remove.forEach((index, i) => {
      if (enrolled.has(index)) addIssue(ctx, 'mismatch', ['remove', i], 'also in enroll');
    });
  }, whenFieldsValid);
export type EnrollmentRequest = z.infer<typeof EnrollmentRequestSchema>;

export const EnrollmentReceiptSchema = z.strictObject({
  /** Indexes newly enrolled by this request. */
  enrolled: z.int().min(0),
  /** Indexes already enrolled (or lapsed) whose term this request renewed. */
  renewed: z.int().min(0),
  /** Enrolled indexes this request removed (removing one not enrolled is harmless). */
  removed: z.int().min(0),
  /** The agency's active enrollments after the request. */
  active: z.int().min(0),
  /** The most active enrollments the hub keeps for one agency. */
  limit: z.int().min(1),
  /** When the indexes this request enrolled or renewed lapse unless enrolled again. */
  expiresAt: z.iso.datetime(),
});
export type EnrollmentReceipt = z.infer<typeof EnrollmentReceiptSchema>;

export const EnrollmentSummarySchema = z.strictObject({
  active: z.int().min(0),
  limit: z.int().min(1),
  termDays: z.int().min(1),
  /** The first active enrollment to lapse; null when none is active. */
  nextExpiry: z.iso.datetime().nullable(),
});
export type EnrollmentSummary = z.infer<typeof EnrollmentSummarySchema>;
