/**
 * Fetching the node's mailbox at the hub (docs/node.md "Inbox", docs/protocol.md §5.12): page by
 * page, each message verified against the hub's keys and addressed to this agency, stored with
 * what the node did with it, and only then acknowledged — so a crash between fetch and ack
 * fetches the same messages again, and storing them twice is a no-op (the seq is the key).
 *
 * A message the hub did not sign, or addressed to another agency, stops the poll without any
 * acknowledgement (RESPONSE_INVALID): the hub is the only sender, so such a message means the
 * hub or the connection to it is not what it should be, and the operator must look.
 *
 * A monitoring notice is verified and stored with the officers whose enrolled indexes it names
 * (monitoring-notice.ts).
 *
 * A correction is applied to the stored check it names (apply-correction.ts) when its
 * statement verifies against the reporting agency's registered keys; otherwise it is stored as
 * `refused` with the reason, and acknowledged: asking again would give the same answer. A
 * standing statement past its retention period on the message's day hides the record; the
 * hub's own `past_retention` notice is refused unless the node computes the same due day.
 */
import type { AttestationPayload } from '../../protocol/attestation.js';
import { statementDigest } from '../../protocol/check-answer.js';
import { retentionDueDate } from '../../protocol/retention.js';
import {
  CheckResponsePayloadSchema,
  type CheckResponsePayload,
} from '../../protocol/check-response.js';
import { safeDecode } from '../../protocol/decode.js';
import {
  CorrectionBodySchema,
  DEFAULT_MAILBOX_PAGE,
  MonitoringBodySchema,
  MailboxMessagePayloadSchema,
  MESSAGE_TYPES,
  type CorrectionBody,
  type MailboxMessagePayload,
} from '../../protocol/mailbox.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { parseStatement, verifyStatement, type PublicKeyInfo } from '../../crypto/signing/index.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import { agencyResolver } from '../check/check-candidate.js';
import { isCheckError } from '../check/check-error.js';
import { verifyAttestation } from '../check/verify-answer.js';
import { ClientError } from '../clients/client-error.js';
import type { HubClient } from '../clients/hub-client.js';
import {
  inboxRepository,
  monitoringRepository,
  type AppliedCorrection,
  type NodeDatabase,
} from '../store/index.js';
import { handleMonitoring, type MonitoringNotice } from './monitoring-notice.js';
import { applyCorrection, type CurrentMatches } from './apply-correction.js';

export interface InboxDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'mailbox' | 'ackMailbox' | 'agency'>;
  readonly hubKeys: () => Promise<readonly PublicKeyInfo[]>;
  /** This node's ORI: every message must be addressed to it. */
  readonly ori: string;
  readonly now: () => Date;
  readonly log: Logger;
  readonly pageSize?: number;
}

export interface InboxPollResult {
  /** Messages fetched and stored now (not counting ones stored by an earlier poll). */
  readonly received: number;
  /** Of those, corrections that changed a check's verdict. */
  readonly verdictsChanged: number;
  /** Of those, monitoring notices about this agency's enrolled officers. */
  readonly notices: number;
  readonly acknowledged: number;
  /** The hub's count of messages it deleted unread (a node offline beyond its retention). */
  readonly expiredUnacknowledged: number;
}

/** Most pages one poll reads (100 × 50 messages); the next poll goes on. */
const MAX_PAGES = 100;

function invalid(message: string, field: string): ClientError {
  return new ClientError('RESPONSE_INVALID', message, {
    service: 'hub',
    retryable: false,
    errors: [{ field, code: 'invalid_value', message }],
  });
}

async function openMessage(
  jws: string,
  field: string,
  hubKeys: readonly PublicKeyInfo[],
  ori: string,
): Promise<MailboxMessagePayload> {
  const verified = await verifyStatement(jws, {
    typ: STATEMENT_TYPES.mailboxMessage,
    resolveKey: (kid) => hubKeys.find((k) => k.kid === kid)?.publicJwk,
  });
  if (!verified.ok) throw invalid(`not signed by the hub: ${verified.error.code}`, field);
  const decoded = safeDecode(MailboxMessagePayloadSchema, verified.value.payload);
  if (!decoded.ok) throw invalid(`not a mailbox message: ${decoded.error.message}`, field);
  if (decoded.value.to !== ori) throw invalid(`addressed to ${decoded.value.to}`, `${field}.to`);
  return decoded.value;
}

type Handled =
  | { readonly outcome: 'applied' | 'no_change'; readonly correction: AppliedCorrection }
  | {
      readonly outcome: 'applied' | 'unknown_officer';
      readonly notice: MonitoringNotice;
      readonly detail: string;
    }
  | {
      readonly outcome: 'unknown_check' | 'refused' | 'unsupported';
      readonly detail: string;
    };

export function createInbox(deps: InboxDeps) {
  const repo = inboxRepository(deps.db);
  const resolveAgency = agencyResolver(deps.hub);

  /**
   * Whether `current` is past its retention period on the day the hub wrote the message
   * (§5.13), by the reporting agency's registered jurisdiction and the retention table — the
   * node's own computation, so the hub's `past_retention` notice is checked, not trusted, and
   * any correction whose standing statement is due hides the record as a check would.
   */
  async function retentionOf(
    current: AttestationPayload,
    createdAt: string,
  ): Promise<{ due: string | null; past: boolean }> {
    const agency = await resolveAgency(current.issuer);
    if (agency === undefined) return { due: null, past: false };
    const due = retentionDueDate(current, agency);
    return { due, past: due !== null && createdAt.slice(0, 10) >= due };
  }

  async function handleCorrection(body: CorrectionBody, createdAt: string): Promise<Handled> {
    const check = await repo.checkByHubId(body.checkId);
    if (check === undefined || check.responseJws === null) {
      return { outcome: 'unknown_check', detail: `no check with hub checkId ${body.checkId}` };
    }
    // The response was verified when the check was answered; it is read again, not trusted more.
    const parsed = parseStatement(check.responseJws, [STATEMENT_TYPES.checkResponse]);
    const payload = parsed.ok
      ? safeDecode(CheckResponsePayloadSchema, parsed.value.payload)
      : undefined;
    if (payload === undefined || !payload.ok) {
      return { outcome: 'refused', detail: 'the stored check response does not decode' };
    }
    const response: CheckResponsePayload = payload.value;
    let current = null;
    if (body.current !== null) {
      try {
        current = await verifyAttestation(body.current, 'body.current', resolveAgency);
      } catch (e) {
        if (!isCheckError(e)) throw e;
        return { outcome: 'refused', detail: `${e.code}: ${e.message}` };
      }
    }
    const retention = current === null ? undefined : await retentionOf(current, createdAt);
    const notice = body.changes.find((c) => c.field === 'past_retention');
    if (notice !== undefined && (retention?.past !== true || retention.due !== notice.to)) {
      return {
        outcome: 'refused',
        detail: `the statement is not past retention on ${createdAt.slice(0, 10)} (due day ${retention?.due ?? 'none'}, the notice says ${notice.to ?? 'none'})`,
      };
    }
    const result = applyCorrection({
      payload: response,
      state: (check.currentMatches ?? {}) as CurrentMatches,
      body,
      current,
      currentDigest: body.current === null ? null : statementDigest(body.current),
      pastRetention: retention?.past === true,
    });
    if (result.kind === 'refused') return { outcome: 'refused', detail: result.detail };
    return {
      outcome: result.kind,
      correction: {
        checkId: check.id,
        attestationId: body.attestationId,
        currentId: body.currentId,
        currentStatus: body.currentStatus,
        changes: body.changes,
        verdictBefore: result.verdictBefore,
        verdictAfter: result.verdictAfter,
        currentMatches: result.state,
      },
    };
  }

  async function handle(message: MailboxMessagePayload): Promise<Handled> {
    if (!(MESSAGE_TYPES as readonly string[]).includes(message.body.type)) {
      return { outcome: 'unsupported', detail: `message type ${message.body.type}` };
    }
    if (message.body.type === 'monitoring') {
      const body = safeDecode(MonitoringBodySchema, message.body);
      if (!body.ok) {
        return { outcome: 'refused', detail: `not a monitoring notice: ${body.error.message}` };
      }
      return handleMonitoring(body.value, {
        ori: deps.ori,
        resolveAgency,
        monitoring: monitoringRepository(deps.db),
      });
    }
    const body = safeDecode(CorrectionBodySchema, message.body);
    if (!body.ok) return { outcome: 'refused', detail: `not a correction: ${body.error.message}` };
    return handleCorrection(body.value, message.createdAt);
  }

  return {
    /** One poll: every unacknowledged message, stored, handled and acknowledged. */
    async poll(): Promise<InboxPollResult> {
      const pageSize = deps.pageSize ?? DEFAULT_MAILBOX_PAGE;
      const hubKeys = await deps.hubKeys();
      let received = 0;
      let verdictsChanged = 0;
      let acknowledged = 0;
      let expiredUnacknowledged = 0;
      let noticesReceived = 0;
      let after = 0;
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const page = await deps.hub.mailbox(after, pageSize);
        expiredUnacknowledged = page.expiredUnacknowledged;
        const seqs: number[] = [];
        for (const [i, jws] of page.messages.entries()) {
          const message = await openMessage(jws, `messages[${i}]`, hubKeys, deps.ori);
          if (message.seq <= after)
            throw invalid('messages out of seq order', `messages[${i}].seq`);
          after = message.seq;
          seqs.push(message.seq);
          if (await repo.has(message.seq)) continue;
          const handled = await handle(message);
          const fresh = await repo.store(
            {
              seq: message.seq,
              type: message.body.type,
              createdAt: new Date(message.createdAt),
              jws,
              outcome: handled.outcome,
              detail:
                'detail' in handled
                  ? handled.detail.slice(0, 500)
                  : `${handled.correction.verdictBefore} → ${handled.correction.verdictAfter}`,
            },
            deps.now(),
            'correction' in handled && handled.outcome === 'applied'
              ? handled.correction
              : undefined,
            'notice' in handled ? handled.notice : undefined,
          );
          if (!fresh) continue;
          received++;
          if ('correction' in handled) {
            const { verdictBefore, verdictAfter } = handled.correction;
            if (verdictBefore !== verdictAfter) verdictsChanged++;
            deps.log('info', 'check_corrected', {
              check: handled.correction.checkId,
              verdictBefore,
              verdictAfter,
            });
          } else if ('notice' in handled) {
            noticesReceived++;
            deps.log('info', 'monitoring_notice', {
              change: handled.notice.change,
              issuer: handled.notice.issuer,
              officers: handled.notice.employeeIds.length,
            });
          } else if (handled.outcome === 'refused') {
            deps.log('warn', 'inbox_message_refused', { seq: message.seq, detail: handled.detail });
          }
        }
        if (seqs.length > 0) acknowledged += (await deps.hub.ackMailbox(seqs)).acknowledged;
        if (!page.more) break;
      }
      if (expiredUnacknowledged > 0) {
        deps.log('warn', 'mailbox_messages_expired', { count: expiredUnacknowledged });
      }
      return {
        received,
        verdictsChanged,
        notices: noticesReceived,
        acknowledged,
        expiredUnacknowledged,
      };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
