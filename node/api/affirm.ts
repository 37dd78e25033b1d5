/**
 * POST /v1/credentials/affirmations (docs/node.md "Credentials"): the agency chief's "in
 * process" affirmation (docs/protocol.md §5.16), signed with the agency key and sent to the hub.
 */
import { z } from 'zod';
import { IsoDateSchema } from '../../protocol/common.js';
import { AffirmationPayloadSchema } from '../../protocol/credential.js';
import { CredentialReceiptSchema } from '../../protocol/credential-api.js';

export const AffirmRequestSchema = z.strictObject({
  /** The day the chief affirms (default: today, UTC). */
  affirmedOn: IsoDateSchema.optional(),
});
export type AffirmRequest = z.infer<typeof AffirmRequestSchema>;

export const AffirmResponseSchema = z.object({
  affirmation: AffirmationPayloadSchema,
  /** The last day it counts (AFFIRMATION_VALIDITY_MONTHS after `affirmedOn`). */
  validUntil: IsoDateSchema,
  receipt: CredentialReceiptSchema,
});
export type AffirmResponse = z.infer<typeof AffirmResponseSchema>;
