/**
 * PostgreSQL enum types of the node's schema, in one module so that table modules which refer
 * to each other (outcomes ⇄ attestations) only do so lazily, inside `references(() => …)`.
 */
import { pgEnum } from 'drizzle-orm/pg-core';
import { ATTESTATION_STATUSES } from '../../protocol/attestation.js';
import { CHECK_PURPOSES } from '../../protocol/check-request.js';
import { VERDICTS } from '../../protocol/check-verdict.js';

/** The protocol's lifecycle statuses (docs/protocol.md §5.5.2). */
export const outcomeStatus = pgEnum('outcome_status', ATTESTATION_STATUSES);

/** pending: signed, not yet sent; sent: handed to the hub, no receipt yet. */
export const ATTESTATION_DELIVERY_STATES = ['pending', 'sent', 'accepted', 'rejected'] as const;
export type AttestationDeliveryState = (typeof ATTESTATION_DELIVERY_STATES)[number];
export const attestationDelivery = pgEnum('attestation_delivery', ATTESTATION_DELIVERY_STATES);

export const checkPurpose = pgEnum('check_purpose', CHECK_PURPOSES);
export const checkVerdict = pgEnum('check_verdict', VERDICTS);

/** pending: not answered yet; answered: a verified hub response is stored; failed: gave up. */
export const CHECK_STATES = ['pending', 'answered', 'failed'] as const;
export type CheckState = (typeof CHECK_STATES)[number];
export const checkState = pgEnum('check_state', CHECK_STATES);

/** pending: to be tried at next_attempt_at; done: delivered; dead: given up, needs a person. */
export const OUTBOX_STATES = ['pending', 'done', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export const outboxState = pgEnum('outbox_state', OUTBOX_STATES);
