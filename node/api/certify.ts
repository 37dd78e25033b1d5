/**
 * POST /v1/certifications and GET /v1/certifications/due (docs/node.md "Certifications"): sign
 * and send the agency's certification of a closed period (docs/protocol.md §5.15).
 */
import { z } from 'zod';
import { CertificationReceiptSchema } from '../../protocol/certification-api.js';
import {
  CertificationPayloadSchema,
  MAX_SWORN,
  PERIOD_LENGTHS,
  PeriodSchema,
} from '../../protocol/certification.js';
import { IsoDateSchema } from '../../protocol/common.js';

export const CertifyRequestSchema = z.strictObject({
  /** Default: the last closed period of `periodLength`. */
  period: PeriodSchema.optional(),
  /** Default: quarter (the hub's default SPX_HUB_CERTIFICATION_PERIOD). */
  periodLength: z.enum(PERIOD_LENGTHS).optional(),
  /** Default: the roster's sworn officers on the period's last day. */
  sworn: z.int().min(0).max(MAX_SWORN).optional(),
  /** Count and build, sign nothing, send nothing. */
  dryRun: z.boolean().optional(),
});
export type CertifyRequest = z.infer<typeof CertifyRequestSchema>;

export const CertifyResponseSchema = z.object({
  /**
   * `certified`: a new certification was accepted; `corrected`: it superseded an earlier one;
   * `unchanged`: the period is already certified with the same figures (nothing sent);
   * `dry_run`: nothing signed.
   */
  outcome: z.enum(['certified', 'corrected', 'unchanged', 'dry_run']),
  certification: CertificationPayloadSchema.or(
    z.object({
      period: PeriodSchema,
      sworn: z.int().min(0),
      statements: z.int().min(0),
      zeroReport: z.boolean(),
    }),
  ),
  swornSource: z.enum(['flag', 'roster']),
  deadline: IsoDateSchema,
  receipt: CertificationReceiptSchema.nullable(),
});
export type CertifyResponse = z.infer<typeof CertifyResponseSchema>;

export const CertificationDueSchema = z.object({
  period: PeriodSchema,
  deadline: IsoDateSchema,
  /** Days from today to the deadline; negative once passed. */
  daysLeft: z.int(),
});
export type CertificationDue = z.infer<typeof CertificationDueSchema>;
