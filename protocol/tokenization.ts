/**
 * Tokenization messages (docs/protocol.md §4.3, §5.4): a node asks a keyholder to evaluate
 * blinded match keys, and the keyholder answers.
 *
 *   EvaluationRequest   { "epoch": 3, "blindedElements": ["<32 bytes>", …] }           1..256
 *   EvaluationResponse  { "epoch": 3, "shareIndex": 1,
 *                         "evaluatedElements": ["<32 bytes>", …], "proof": "<64 bytes>" }
 *
 * `evaluatedElements[i]` answers `blindedElements[i]`; `proof` is one RFC 9497 §2.2.1 batch DLEQ
 * proof over all of them, against the public key (or public share) of `shareIndex` for `epoch`.
 * These schemas check the JSON shape and the encodings; crypto/oprf/messages.ts then checks
 * the values as group elements and scalars and narrows shareIndex to the keyholder set (§4.9).
 * A response only makes sense next to its request: see `tokenizationResponseSchemaFor`.
 */
import { z } from 'zod';
import {
  addIssue,
  EpochSchema,
  OprfElementSchema,
  ShareIndexSchema,
  VoprfProofSchema,
  whenFieldsValid,
} from './common.js';

/** Same bounds as the keyholder's batch limit (§4.3). */
export const MAX_TOKENIZATION_BATCH = 256;

export const TokenizationRequestSchema = z.strictObject({
  epoch: EpochSchema,
  blindedElements: z.array(OprfElementSchema).min(1).max(MAX_TOKENIZATION_BATCH),
});
export type TokenizationRequest = z.infer<typeof TokenizationRequestSchema>;

export const TokenizationResponseSchema = z.strictObject({
  epoch: EpochSchema,
  shareIndex: ShareIndexSchema,
  evaluatedElements: z.array(OprfElementSchema).min(1).max(MAX_TOKENIZATION_BATCH),
  proof: VoprfProofSchema,
});
export type TokenizationResponse = z.infer<typeof TokenizationResponseSchema>;

/** The response schema a node applies to the answer to `request`. */
export function tokenizationResponseSchemaFor(request: TokenizationRequest) {
  return TokenizationResponseSchema.superRefine((res, ctx) => {
    if (res.epoch !== request.epoch) {
      addIssue(ctx, 'mismatch', ['epoch'], 'epoch differs from the request');
    }
    if (res.evaluatedElements.length !== request.blindedElements.length) {
      addIssue(ctx, 'mismatch', ['evaluatedElements'], 'one evaluated element per blinded element');
    }
  }, whenFieldsValid);
}
