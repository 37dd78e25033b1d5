/** Delivering the outbox to the hub with retries and backoff (docs/node.md "Outbox"). */
export {
  createOutboxSender,
  type DeliveryCounts,
  type OutboxSender,
  type OutboxSenderDeps,
} from './sender.js';
export { backoffDelayMs, unitInterval, type BackoffPolicy } from './backoff.js';
