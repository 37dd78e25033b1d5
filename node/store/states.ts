/**
 * The node's own state vocabularies (delivery, check, outbox), without drizzle: the enum types
 * of enums.table.ts are made from them, and the node's API schemas (node/api) and the pages
 * use them without loading the database layer.
 */

/** pending: signed, not yet sent; sent: handed to the hub, no receipt yet. */
export const ATTESTATION_DELIVERY_STATES = ['pending', 'sent', 'accepted', 'rejected'] as const;
export type AttestationDeliveryState = (typeof ATTESTATION_DELIVERY_STATES)[number];

/** pending: not answered yet; answered: a verified hub response is stored; failed: gave up. */
export const CHECK_STATES = ['pending', 'answered', 'failed'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/** pending: to be tried at next_attempt_at; done: delivered; dead: given up, needs a person. */
export const OUTBOX_STATES = ['pending', 'done', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
