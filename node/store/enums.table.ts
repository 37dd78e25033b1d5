/**
 * PostgreSQL enum types of the node's schema, in one module so that table modules which refer
 * to each other (outcomes ⇄ attestations) only do so lazily, inside `references(() => …)`.
 */
import { pgEnum } from 'drizzle-orm/pg-core';
import { ATTESTATION_STATUSES } from '../../protocol/attestation.js';
import { CHECK_PURPOSES } from '../../protocol/check-request.js';
import { VERDICTS } from '../../protocol/check-verdict.js';
import { ATTESTATION_DELIVERY_STATES, CHECK_STATES, OUTBOX_STATES } from './states.js';

export {
  ATTESTATION_DELIVERY_STATES,
  CHECK_STATES,
  OUTBOX_STATES,
  type AttestationDeliveryState,
  type CheckState,
  type OutboxState,
} from './states.js';

/** The protocol's lifecycle statuses (docs/protocol.md §5.5.2). */
export const outcomeStatus = pgEnum('outcome_status', ATTESTATION_STATUSES);

export const attestationDelivery = pgEnum('attestation_delivery', ATTESTATION_DELIVERY_STATES);

export const checkPurpose = pgEnum('check_purpose', CHECK_PURPOSES);
export const checkVerdict = pgEnum('check_verdict', VERDICTS);

export const checkState = pgEnum('check_state', CHECK_STATES);

export const outboxState = pgEnum('outbox_state', OUTBOX_STATES);
