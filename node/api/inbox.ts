/**
 * The inbox routes (docs/node.md "Inbox"): GET /v1/inbox lists the messages fetched from the
 * hub's mailbox, newest first, with what the node did with each; POST /v1/inbox/poll fetches
 * now. Types and outcomes are read as text: a newer node's message must still be listed.
 */
import { z } from 'zod';

const Count = z.int().nonnegative();
const Timestamp = z.string().max(40);
/** Messages per page of GET /v1/inbox. */
export const MAX_INBOX_PAGE = 200;

export const InboxCorrectionSchema = z.object({
  /** The node's own check id (the one `spx node check` printed). */
  checkId: z.string().max(64),
  attestationId: z.string().max(64),
  currentId: z.string().max(64).nullable(),
  currentStatus: z.string().max(40).nullable(),
  changes: z
    .array(
      z.object({
        field: z.string().max(40),
        from: z.string().max(64).nullable(),
        to: z.string().max(64).nullable(),
      }),
    )
    .max(10),
  verdictBefore: z.string().max(40),
  verdictAfter: z.string().max(40),
});

export const InboxMonitoringSchema = z.object({
  /** `reported`, `changed` or `withdrawn` (docs/protocol.md §5.12.4). */
  change: z.string().max(40),
  statementId: z.string().max(64).nullable(),
  previousId: z.string().max(64).nullable(),
  /** The reporting agency's ORI. */
  issuer: z.string().max(16).nullable(),
  status: z.string().max(40).nullable(),
  category: z.string().max(80).nullable(),
  /** This agency's officers (employee ids) whose enrolled indexes the notice named. */
  employeeIds: z.array(z.string().max(64)).max(1000),
  /** On a `withdrawn` notice the hub sent on the record's retention due day: that day. */
  pastRetention: z.string().max(10).nullable(),
});

export const InboxMessageSchema = z.object({
  seq: Count,
  type: z.string().max(64),
  createdAt: Timestamp,
  receivedAt: Timestamp,
  outcome: z.string().max(40),
  detail: z.string().max(1000).nullable(),
  correction: InboxCorrectionSchema.nullable(),
  monitoring: InboxMonitoringSchema.nullable(),
});

export const InboxListResponseSchema = z.object({
  messages: z.array(InboxMessageSchema).max(MAX_INBOX_PAGE),
});
export type InboxListResponse = z.infer<typeof InboxListResponseSchema>;

export const InboxPollResponseSchema = z.object({
  received: Count,
  verdictsChanged: Count,
  notices: Count,
  acknowledged: Count,
  expiredUnacknowledged: Count,
});
export type InboxPollResponse = z.infer<typeof InboxPollResponseSchema>;
