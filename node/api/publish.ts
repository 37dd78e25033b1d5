/**
 * POST /v1/publish (docs/node.md "Publish"): attest new and changed outcomes, then deliver the
 * outbox; the answer counts both. Failures carry codes and fields only, never values.
 */
import { z } from 'zod';
import { MonitoringSyncResponseSchema } from './monitoring.js';

export const PublishRequestSchema = z.strictObject({ retryRejected: z.boolean().optional() });
export type PublishRequest = z.infer<typeof PublishRequestSchema>;

const Count = z.int().nonnegative();

/** A run lists every outcome it could not publish; bounded only against a runaway answer. */
export const MAX_PUBLISH_FAILURES = 1_000_000;

export const PublishFailureSchema = z.object({
  outcomeId: z.int(),
  employeeId: z.string().max(100),
  caseNumber: z.string().max(100),
  errors: z
    .array(z.object({ code: z.string().min(1).max(64), field: z.string().max(100).nullable() }))
    .max(100),
});

export const PublishResponseSchema = z.object({
  publish: z.object({
    /** The OPRF key epoch the run tokenized under. */
    epoch: z.int().min(1),
    considered: Count,
    signed: Count,
    /** Of `signed`, statements that only re-state a current one under a newer epoch. */
    restated: Count,
    batches: Count,
    waiting: Count,
    rejectedBefore: Count,
    failed: z.array(PublishFailureSchema).max(MAX_PUBLISH_FAILURES),
  }),
  delivery: z.object({
    accepted: Count,
    duplicate: Count,
    rejected: Count,
    unverified: Count,
    retrying: Count,
  }),
  /** The monitoring sync after the publish; null when monitoring is off or the sync failed. */
  monitoring: MonitoringSyncResponseSchema.nullable().optional(),
});
export type PublishResponse = z.infer<typeof PublishResponseSchema>;
