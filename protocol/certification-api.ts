/**
 * The certification endpoints' answers (docs/api.md "Certifications", docs/protocol.md §5.15).
 */
import { z } from 'zod';
import { IsoDateSchema, StatementIdSchema, TimestampSchema } from './common.js';
import { MAX_PERIOD_STATEMENTS, MAX_SWORN, PERIOD_LENGTHS, PeriodSchema } from './certification.js';
import { CheckpointNoteSchema, LogIndexSchema } from './tlog.js';

export const CERTIFICATION_TIMELINESS = ['on_time', 'late'] as const;

/**
 * The hub's answer to POST /v1/certifications: `duplicate` for a byte-identical resubmission.
 * `deadline` is the last day on time for the period (§5.15.2), `timeliness` how the period's
 * first certification met it (a correction does not make an on-time period late), `log` the
 * certification's leaf index and the signed checkpoint that covers it.
 */
export const CertificationReceiptSchema = z.strictObject({
  id: StatementIdSchema,
  status: z.enum(['accepted', 'duplicate']),
  receivedAt: TimestampSchema,
  period: PeriodSchema,
  deadline: IsoDateSchema,
  timeliness: z.enum(CERTIFICATION_TIMELINESS),
  log: z.strictObject({ index: LogIndexSchema, checkpoint: CheckpointNoteSchema }),
});
export type CertificationReceipt = z.infer<typeof CertificationReceiptSchema>;

/** The most certifications GET /v1/certifications returns (the latest first). */
export const MAX_CERTIFICATIONS_PAGE = 400;

export const CertificationRecordSchema = z.strictObject({
  id: StatementIdSchema,
  period: PeriodSchema,
  sworn: z.int().min(0).max(MAX_SWORN),
  statements: z.int().min(0).max(MAX_PERIOD_STATEMENTS),
  zeroReport: z.boolean(),
  supersedes: StatementIdSchema.nullable(),
  supersededBy: StatementIdSchema.nullable(),
  receivedAt: TimestampSchema,
  deadline: IsoDateSchema,
});
export type CertificationRecord = z.infer<typeof CertificationRecordSchema>;

/** GET /v1/certifications: the authenticated agency's own certifications, latest first. */
export const CertificationListSchema = z.strictObject({
  /**
   * The hub's certification period (SPX_HUB_CERTIFICATION_PERIOD), so that a node certifies
   * and reminds on the hub's periods; absent from hubs that predate it (then a quarter).
   */
  periodLength: z.enum(PERIOD_LENGTHS).optional(),
  certifications: z.array(CertificationRecordSchema).max(MAX_CERTIFICATIONS_PAGE),
});
export type CertificationList = z.infer<typeof CertificationListSchema>;
