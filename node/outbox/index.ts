/** Delivering the outbox to the hub with retries and backoff (docs/node.md "Outbox"). */
export {
  createOutboxSender,
  type DeliveryCounts,
  type OutboxSender,
  type OutboxSenderDeps,
} from './sender.js';
export {
  ATTESTATIONS_OUTBOX_KIND,
  attestationsItem,
  type AttestationsOutboxPayload,
} from './attestations-item.js';
export {
  AGENCY_REFUSAL_MIN_BACKOFF_MS,
  agencyRefusalDelayMs,
  backoffDelayMs,
  unitInterval,
  type BackoffPolicy,
} from './backoff.js';
export { classifyIntakeFailure, type IntakeFailure } from './intake-failure.js';
