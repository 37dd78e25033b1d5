/**
 * The mailbox (docs/protocol.md §5.12): the hub signs each message it queues for an agency, a
 * node fetches its unacknowledged messages in seq order and acknowledges them by seq. Fetching is
 * read-only; acknowledging is idempotent; a seq that is not the requester's refuses the ack.
 */
import { signStatement, type JsonObject, type SigningKey } from '../../crypto/signing/index.js';
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError, safeDecode } from '../../protocol/decode.js';
import {
  KnownMessageBodySchema,
  MailboxMessagePayloadSchema,
  type KnownMessageBody,
  type MailboxAckReceipt,
  type MailboxMessagePayload,
  type MailboxPage,
} from '../../protocol/mailbox.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { HubDatabase } from '../database.js';
import { mailboxRepository } from './mailbox.repository.js';

const DAY_MS = 86_400_000;

export interface MailboxRetention {
  /** Days an unacknowledged message is kept (a node offline longer loses it, and is told). */
  readonly unacknowledgedDays: number;
  /** Days an acknowledged message is kept (for the operator's inquiries), then deleted. */
  readonly acknowledgedDays: number;
}

export const DEFAULT_MAILBOX_RETENTION: MailboxRetention = {
  unacknowledgedDays: 400,
  acknowledgedDays: 30,
};

export interface OutgoingMessage {
  readonly recipient: string;
  readonly body: KnownMessageBody;
}

export interface MailboxService {
  /**
   * Queues a message for `recipient`, signed by the hub; `db` may be the transaction of the
   * change the message reports, so the message exists exactly when the change does.
   */
  send(db: HubDatabase, recipient: string, body: KnownMessageBody, now: Date): Promise<number>;
  /**
   * Queues many messages at once — one seq query, one multi-row insert — for a fan-out (a
   * correction or a monitoring notice to many agencies); returns their seqs in order.
   */
  sendMany(db: HubDatabase, messages: readonly OutgoingMessage[], now: Date): Promise<number[]>;
  fetch(recipient: string, after: number, limit: number): Promise<MailboxPage>;
  ack(recipient: string, seqs: readonly number[], now: Date): Promise<MailboxAckReceipt>;
  prune(now: Date): Promise<{ acknowledged: number; expired: number }>;
}

export function mailboxService(
  db: HubDatabase,
  deps: { readonly signingKey: SigningKey; readonly retention?: MailboxRetention },
): MailboxService {
  const retention = deps.retention ?? DEFAULT_MAILBOX_RETENTION;
  const repo = mailboxRepository(db);
  const sendMany: MailboxService['sendMany'] = async (tx, messages, now) => {
    if (messages.length === 0) return [];
    for (const m of messages) {
      const checked = safeDecode(KnownMessageBodySchema, m.body);
      if (!checked.ok) throw new Error(`mailbox body fails its schema: ${checked.error.message}`);
    }
    const inTx = mailboxRepository(tx);
    const seqs = await inTx.nextSeqs(messages.length);
    const createdAt = formatTimestamp(now);
    const rows = await Promise.all(
      messages.map(async ({ recipient, body }, i) => {
        const seq = seqs[i]!;
        const payload: MailboxMessagePayload = {
          v: PROTOCOL_VERSION,
          seq,
          to: recipient,
          createdAt,
          body,
        };
        const self = safeDecode(MailboxMessagePayloadSchema, payload);
        if (!self.ok) throw new Error(`mailbox message fails its schema: ${self.error.message}`);
        const jws = await signStatement(payload as unknown as JsonObject, {
          typ: STATEMENT_TYPES.mailboxMessage,
          key: deps.signingKey,
        });
        return { seq, recipient, type: body.type, createdAt: now, jws };
      }),
    );
    await inTx.insertMany(rows);
    return seqs;
  };

  return {
    async send(tx, recipient, body, now) {
      const [seq] = await sendMany(tx, [{ recipient, body }], now);
      return seq!;
    },

    sendMany,

    async fetch(recipient, after, limit) {
      const rows = await repo.unacknowledged(recipient, after, limit);
      return {
        messages: rows.slice(0, limit),
        more: rows.length > limit,
        expiredUnacknowledged: await repo.expiredCount(recipient),
      };
    },

    async ack(recipient, seqs, now) {
      return db.transaction(async (tx) => {
        const inTx = mailboxRepository(tx);
        const own = await inTx.ownSeqs(recipient, seqs);
        const foreign = seqs.findIndex((s) => !own.has(s));
        if (foreign >= 0) {
          // Another agency's message and a message that never existed look the same.
          throw new ProtocolError('NOT_FOUND', `no message ${seqs[foreign]} in this mailbox`, {
            errors: [
              { field: `seqs[${foreign}]`, code: 'invalid_value', message: 'not in this mailbox' },
            ],
          });
        }
        const acknowledged = await inTx.acknowledge(recipient, seqs, now);
        return { acknowledged, remaining: await inTx.countUnacknowledged(recipient) };
      });
    },

    prune(now) {
      return repo.prune(
        new Date(now.getTime() - retention.acknowledgedDays * DAY_MS),
        new Date(now.getTime() - retention.unacknowledgedDays * DAY_MS),
        now,
      );
    },
  };
}
