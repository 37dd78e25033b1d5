/**
 * GET /v1/health and GET /v1/status (docs/node.md "API"): the node's counts — records,
 * statements, outbox — and its last checks, without a candidate's identifier.
 */
import { z } from 'zod';
import { CHECK_PURPOSES } from '../../protocol/check-request.js';
import { VERDICTS } from '../../protocol/check-verdict.js';
import { IsoDateSchema, OriSchema } from '../../protocol/common.js';
import { RETENTION_ACTIONS } from '../config.js';
import { CertificationDueSchema } from './certify.js';
import { CHECK_STATES } from '../store/states.js';

export const HealthResponseSchema = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

const Count = z.int().nonnegative();

/** The status lists this many of the latest checks. */
export const STATUS_RECENT_CHECKS = 5;

export const StatusCheckSchema = z.object({
  id: z.string().max(64),
  createdAt: z.string().max(40),
  purpose: z.enum(CHECK_PURPOSES),
  state: z.enum(CHECK_STATES),
  verdict: z.enum(VERDICTS).nullable(),
  matchCount: Count.nullable(),
  errorCode: z.string().max(64).nullable(),
});

export const AffirmationDueSchema = z.object({
  affirmedOn: IsoDateSchema,
  /** The last day it counts. */
  validUntil: IsoDateSchema,
  /** Days from today to validUntil; negative once lapsed. */
  daysLeft: z.int(),
});
export type AffirmationDue = z.infer<typeof AffirmationDueSchema>;

export const StatusResponseSchema = z.object({
  ori: OriSchema,
  kid: z.string().max(100),
  officers: Count,
  outcomes: Count,
  outcomesNeverAttested: Count,
  attestations: z.object({ pending: Count, sent: Count, accepted: Count, rejected: Count }),
  /**
   * Key epochs (docs/node.md "A new key epoch"): the one the node tokenizes under (null until
   * known: an unpinned key set is fetched at first use), and the current statements of
   * outcomes that are not retracted or expired, by epoch — those under an older epoch are
   * re-stated by the next publish.
   */
  epochs: z.object({
    tokenizing: z.int().min(1).nullable(),
    current: z.array(z.object({ epoch: z.int().min(1), statements: Count })).max(1000),
  }),
  outbox: z.object({ pending: Count, done: Count, dead: Count, due: Count }),
  /**
   * Retention (docs/node.md "Retention"): SPX_NODE_RETENTION_ACTION, outcomes kept as expired,
   * and cases retired by `delete` or `archive`.
   */
  retention: z.object({
    action: z.enum(RETENTION_ACTIONS),
    expired: Count,
    deleted: Count,
    archived: Count,
  }),
  lastChecks: z.array(StatusCheckSchema).max(STATUS_RECENT_CHECKS),
  /**
   * The reminder (docs/node.md "Certifications"): the last closed period when it is not
   * certified and its deadline is within 14 days or passed; null otherwise.
   */
  certificationDue: CertificationDueSchema.nullable(),
  /**
   * The affirmation reminder (docs/node.md "Credentials"): the newest "in process" affirmation
   * this node sent, from 30 days before the last day it counts to 30 days after; null
   * otherwise. Optional: absent from nodes that predate it.
   */
  affirmationDue: AffirmationDueSchema.nullable().optional(),
});
export type StatusResponse = z.infer<typeof StatusResponseSchema>;
