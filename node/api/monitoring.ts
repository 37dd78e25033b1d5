/**
 * Continuous monitoring at the node (docs/node.md "Monitoring"): GET /v1/monitoring reports the
 * enrollments this node keeps at the hub; POST /v1/monitoring/sync brings them in step with the
 * roster now (publish does too). Counts only.
 */
import { z } from 'zod';

const Count = z.int().nonnegative();

export const MonitoringSyncResponseSchema = z.object({
  enabled: z.boolean(),
  officers: Count,
  untokenizable: Count,
  enrolled: Count,
  renewed: Count,
  removed: Count,
  /** The hub's refusal code (e.g. ENROLLMENT_LIMIT) when it refused; else null. */
  refused: z.string().max(64).nullable(),
});
export type MonitoringSyncResponse = z.infer<typeof MonitoringSyncResponseSchema>;

export const MonitoringStatusResponseSchema = z.object({
  enabled: z.boolean(),
  /** Officers with indexes to keep enrolled, and those indexes (distinct). */
  officers: Count,
  indexes: Count,
  /** Enrollment rows the hub has not acknowledged yet; rows waiting to be removed there. */
  unacknowledged: Count,
  removing: Count,
  /** The first enrollment the hub will let lapse unless renewed. */
  nextExpiry: z.string().max(40).nullable(),
  /** Monitoring notices received. */
  notices: Count,
});
export type MonitoringStatusResponse = z.infer<typeof MonitoringStatusResponseSchema>;
