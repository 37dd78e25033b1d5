/**
 * GET /v1/mailbox/messages and POST /v1/mailbox/ack (docs/api.md "Mailbox"): any active
 * agency reads and acknowledges its own mailbox, authenticated by a request token (§7).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authenticatedAgency } from '../../platform/http/agency-auth.js';
import { jsonBodyLimit, readJsonBody } from '../../platform/http/json-body.js';
import { MailboxAckSchema, parseMailboxQuery } from '../../protocol/mailbox.js';
import type { MailboxService } from './mailbox.service.js';

/** An ack names at most 100 seqs: a few KiB. */
const MAX_ACK_BYTES = 16 * 1024;

export function mailboxRoutes(deps: {
  readonly mailbox: MailboxService;
  readonly auth: MiddlewareHandler;
  readonly now: () => Date;
}): Hono {
  const app = new Hono();
  app.get('/messages', deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const query = parseMailboxQuery(c.req.queries());
    return c.json(await deps.mailbox.fetch(agency.ori, query.after, query.limit));
  });
  app.post('/ack', jsonBodyLimit(MAX_ACK_BYTES), deps.auth, async (c) => {
    const agency = authenticatedAgency(c);
    const ack = await readJsonBody(c, MailboxAckSchema);
    return c.json(await deps.mailbox.ack(agency.ori, ack.seqs, deps.now()));
  });
  return app;
}
