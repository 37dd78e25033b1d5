/**
 * The transparency-log routes (docs/node.md "Monitor"): GET /v1/log/status, POST
 * /v1/log/monitor, POST /v1/log/alerts/{id}/resolve. Alert codes are read as text, not as this
 * version's list (node/tlog/alerts.ts): a newer node's alert must still reach the person.
 */
import { z } from 'zod';

const Count = z.int().nonnegative();
const Code = z.string().min(1).max(64);
const Message = z.string().max(2000);
const Timestamp = z.string().max(40);
/** Open alerts listed (the store's page, node/store/tlog.repository.ts openAlerts). */
export const MAX_LISTED_ALERTS = 100;

/** Sizes, roots, indexes and ids (node/tlog/alerts.ts AlertDetail); shown, never acted on. */
const AlertDetailSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((d) => Object.keys(d).length <= 50, 'at most 50 members');

export const MonitorResultSchema = z.object({
  ok: z.boolean(),
  at: Timestamp,
  checkpoint: z
    .object({ size: Count, origin: z.string().max(300), root: z.string().max(100) })
    .nullable(),
  previousSize: Count.nullable(),
  stored: z.boolean(),
  proved: Count,
  remaining: Count,
  cosigned: z.boolean().nullable(),
  alerts: z
    .array(z.object({ code: Code, message: Message, detail: AlertDetailSchema.optional() }))
    .max(MAX_LISTED_ALERTS),
});
export type MonitorResponse = z.infer<typeof MonitorResultSchema>;

/** The last pass as stored: a MonitorResult, of this or an earlier version. */
export const LastRunSchema = z.looseObject({ at: Timestamp, ok: z.boolean() });

export const LogStatusResponseSchema = z.object({
  origin: z.string().max(300).nullable(),
  originPinned: z.boolean(),
  checkpoint: z
    .object({
      size: Count,
      origin: z.string().max(300),
      root: z.string().max(100),
      source: z.string().max(100),
      verifiedAt: Timestamp,
      note: z.string().max(65_536),
    })
    .nullable(),
  lastRun: LastRunSchema.nullable(),
  alerts: z
    .array(
      z.object({
        id: z.int().positive(),
        code: Code,
        message: Message,
        detail: AlertDetailSchema,
        at: Timestamp,
        lastAt: Timestamp,
        count: z.int().positive(),
      }),
    )
    .max(MAX_LISTED_ALERTS),
  statements: z.object({ tracked: Count, provedAtCheckpoint: Count }),
  witnesses: z.object({ keys: z.array(z.string().max(500)).max(100), quorum: Count }),
  witness: z.object({ enabled: z.boolean(), key: z.string().max(500) }),
});
export type LogStatusResponse = z.infer<typeof LogStatusResponseSchema>;

export const ResolveAlertResponseSchema = z.object({
  id: z.int().positive(),
  resolved: z.literal(true),
});
export type ResolveAlertResponse = z.infer<typeof ResolveAlertResponseSchema>;
