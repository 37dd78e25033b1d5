/**
 * GET /v1/mailbox/messages and POST /v1/mailbox/ack (docs/api.md "Mailbox"): any active
 * agency reads and acknowledges its own mailbox, authenticated by a request token (§7).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import {
  MailboxAckSchema,
  parseMailboxQuery,
  DEFAULT_MAILBOX_PAGE,
  MailboxAckReceiptSchema,
  MailboxPageSchema,
  MAX_MAILBOX_PAGE,
} from '../../protocol/mailbox.js';
import type { MailboxService } from './mailbox.service.js';
import { describeRoute, json, named } from '../../platform/http/openapi/index.js';
import { mailboxAckExample, mailboxPageExample } from '../../protocol/api-examples.js';
import { AGENCY } from '../http/api-docs.js';

const tags = ['mailbox'];

const fetchDoc = describeRoute({
  summary: 'The agency’s unacknowledged messages',
  description:
    'Ascending seq above `after`; fetching changes nothing. Each message is a compact JWS signed by the hub (docs/protocol.md §5.12).',
  tags,
  security: { [AGENCY]: [] },
  parameters: [
    {
      name: 'after',
      in: 'query',
      description: 'the last seq already read (default 0)',
      schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    },
    {
      name: 'limit',
      in: 'query',
      description: `at most this many messages (default ${DEFAULT_MAILBOX_PAGE})`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_MAILBOX_PAGE },
    },
  ],
  responses: {
    200: {
      description: 'a page of messages',
      content: json(named('MailboxPage', MailboxPageSchema), {
        two: { summary: 'two messages and more to come', value: mailboxPageExample },
      }),
    },
  },
});

const ackDoc = describeRoute({
  summary: 'Acknowledge messages by seq',
  description:
    'Idempotent: acknowledging again counts 0. Nothing is applied when a seq is refused.',
  tags,
  security: { [AGENCY]: [] },
  requestBody: {
    content: json(named('MailboxAck', MailboxAckSchema), {
      three: { summary: 'three seqs', value: mailboxAckExample },
    }),
  },
  responses: {
    200: {
      description: 'how many were acknowledged, how many remain',
      content: json(named('MailboxAckReceipt', MailboxAckReceiptSchema)),
    },
  },
  problems: { 404: 'a seq is not one of the agency’s messages (`NOT_FOUND`, field `seqs[i]`)' },
});

/** An ack names at most 100 seqs: a few KiB. */
const MAX_ACK_BYTES = 16 * 1024;

export function mailboxRoutes(deps: {
  readonly mailbox: MailboxService;
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.get('/messages', fetchDoc, deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const query = parseMailboxQuery(c.req.queries());
    return c.json(await deps.mailbox.fetch(agency.ori, query.after, query.limit));
  });
  app.post('/ack', ackDoc, jsonBodyLimit(MAX_ACK_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const ack = await readJsonBody(c, MailboxAckSchema);
    return c.json(await deps.mailbox.ack(agency.ori, ack.seqs, deps.now()));
  });
  return app;
}
