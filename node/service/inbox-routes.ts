/**
 * GET /v1/inbox and POST /v1/inbox/poll (docs/node.md "Inbox"): the messages the node fetched
 * from the hub's mailbox, and a poll now. Absent an inbox (tests of other features): neither.
 */
import type { Hono } from 'hono';
import { serviceProblem, problemResponse } from '../../platform/http/problem-response.js';
import {
  InboxListResponseSchema,
  InboxPollResponseSchema,
  MAX_INBOX_PAGE,
  type Sent,
} from '../api/index.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { ADMIN_ONLY, UPSTREAM_PROBLEMS } from './api-docs.js';

const listDoc = describeRoute({
  summary: 'Messages fetched from the hub’s mailbox',
  description:
    'Newest first: corrections to earlier checks and monitoring notices (docs/node.md “Inbox”).',
  tags: ['inbox'],
  security: ADMIN_ONLY,
  parameters: [
    {
      name: 'limit',
      in: 'query',
      description: 'at most this many (default 50)',
      schema: { type: 'integer', minimum: 1, maximum: MAX_INBOX_PAGE },
    },
    {
      name: 'before',
      in: 'query',
      description: 'only messages with a lower seq',
      schema: { type: 'integer', minimum: 1 },
    },
  ],
  responses: {
    200: {
      description: 'the messages',
      content: json(named('InboxList', InboxListResponseSchema)),
    },
  },
  problems: {
    400: 'an unknown parameter, or one that is not one positive integer (`VALIDATION_FAILED`)',
  },
});
const pollDoc = describeRoute({
  summary: 'Fetch the hub’s mailbox now',
  tags: ['inbox'],
  security: ADMIN_ONLY,
  responses: {
    200: {
      description: 'what the poll received and did',
      content: json(named('InboxPoll', InboxPollResponseSchema)),
    },
  },
  problems: UPSTREAM_PROBLEMS,
});
import type { InboxPollResult } from '../inbox/poll-inbox.js';
import { inboxRepository, monitoringRepository, type NodeDatabase } from '../store/index.js';

export interface InboxRouteDeps {
  readonly db: NodeDatabase;
  /** One poll at a time (serialized by the caller, shared with the service loop). */
  readonly pollInbox?: (() => Promise<InboxPollResult>) | undefined;
}

const DECIMAL = /^[1-9][0-9]{0,15}$/;

function badQuery(field: string, message: string): Response {
  return problemResponse({
    ...serviceProblem(400, 'VALIDATION_FAILED', `${field}: ${message}`),
    errors: [{ field, code: 'invalid_value', message }],
  });
}

export function registerInboxRoutes(app: Hono, deps: InboxRouteDeps): void {
  const poll = deps.pollInbox;
  if (poll === undefined) return;
  const repo = inboxRepository(deps.db);

  app.get('/v1/inbox', listDoc, async (c) => {
    const query = c.req.queries();
    for (const [name, values] of Object.entries(query)) {
      if (name !== 'before' && name !== 'limit') return badQuery(name, 'unknown query parameter');
      if (values.length !== 1 || !DECIMAL.test(values[0]!)) {
        return badQuery(name, 'one positive decimal integer');
      }
    }
    const limit = query['limit'] ? Number(query['limit'][0]) : 50;
    if (limit > MAX_INBOX_PAGE) return badQuery('limit', `at most ${MAX_INBOX_PAGE}`);
    const before = query['before'] ? Number(query['before'][0]) : undefined;
    const rows = await repo.list({ limit, ...(before === undefined ? {} : { before }) });
    const corrections = await repo.corrections(rows.map((r) => r.seq));
    const notices = await monitoringRepository(deps.db).notices(rows.map((r) => r.seq));
    return c.json({
      messages: rows.map((r) => {
        const k = corrections.get(r.seq);
        const n = notices.get(r.seq);
        return {
          seq: r.seq,
          type: r.type,
          createdAt: r.createdAt.toISOString(),
          receivedAt: r.receivedAt.toISOString(),
          outcome: r.outcome,
          detail: r.detail,
          correction:
            k === undefined
              ? null
              : {
                  checkId: k.checkId,
                  attestationId: k.attestationId,
                  currentId: k.currentId,
                  currentStatus: k.currentStatus,
                  changes: k.changes as { field: string; from: string | null; to: string | null }[],
                  verdictBefore: k.verdictBefore,
                  verdictAfter: k.verdictAfter,
                },
          monitoring:
            n === undefined
              ? null
              : {
                  change: n.change,
                  statementId: n.statementId,
                  previousId: n.previousId,
                  issuer: n.issuer,
                  status: n.status,
                  category: n.category,
                  employeeIds: n.employeeIds,
                  pastRetention: n.pastRetention,
                },
        };
      }),
    } satisfies Sent<typeof InboxListResponseSchema>);
  });

  app.post('/v1/inbox/poll', pollDoc, async (c) => {
    const result = await poll();
    return c.json(result satisfies Sent<typeof InboxPollResponseSchema>);
  });
}
