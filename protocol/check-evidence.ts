/**
 * The check evidence bundle (docs/transparency.md "Evidence in receipts and answers"): what a
 * hiring agency keeps in its file so that a check can be verified again later, offline, without
 * the hub and without the node — the request the node sent, the hub's answer as received, and
 * the public keys the node verified that answer with. Not a wire message between services: the
 * node's local API returns it (POST /v1/checks `evidence`) and `spx node check --evidence-out`
 * writes it; node/check/verify-evidence.ts verifies it.
 *
 *   { "v": 1,
 *     "requester": "<ORI>",              the checking agency (the request body does not name it, §5.7)
 *     "request": CheckRequest,           §5.7 as sent: purpose, consentRef, epoch, keys, policy
 *     "answer": CheckAnswer,             §5.8.2 as received, with its log evidence
 *     "agencies": [RegistryEntry, …],    §5.3, the entry of each issuer of a matched attestation
 *                                        as the node resolved it when it verified; distinct ORIs
 *     "hubKeys": { "keys": [HubJwk, …] },  the JWK Set the node verified the hub's signatures with
 *     "logOrigin": "<origin>",           the log origin the checkpoint was verified under
 *     "verifiedAt": "<timestamp>" }      when the node verified the answer
 *
 *   HubJwk: { "kty": "OKP", "crv": "Ed25519", "x", "kid", "alg"?: "Ed25519", "use"?: "sig" },
 *   kid the RFC 7638 thumbprint — the form of GET /v1/hub/keys, so that file can be pinned too.
 *
 * No raw identifier of the candidate is in a bundle. The request holds hub indexes only: keyed
 * pseudonyms that the keyholders' OPRF made from the match keys and that nothing in the bundle
 * can reverse. `consentRef` is there because the hub signs it back (the response is bound to
 * it); the node refuses a consentRef that contains one of the candidate's identifiers
 * (node/reference-guard.ts). The node's local `candidateRef` and `requestedBy` are left out:
 * they label the file the bundle is kept in and prove nothing, and candidateRef is free text the
 * node does not screen. The registry entries carry agencies' records contacts, never officer or
 * candidate data.
 *
 * The bundle is not signed as a whole: what matters in it is signed by others (the response and
 * the checkpoint by the hub, the attestations by their issuers). `hubKeys` only records what the
 * node used; a verifier that wants more than consistency pins the hub's keys itself.
 */
import { z } from 'zod';
import { Ed25519PublicJwkSchema, jwkThumbprint, KidSchema } from './agency-key.js';
import { CheckAnswerSchema } from './check-answer.js';
import { CheckRequestSchema } from './check-request.js';
import { MAX_CHECK_MATCHES } from './check-response.js';
import {
  addIssue,
  OriSchema,
  rejectDuplicates,
  TimestampSchema,
  whenFieldsValid,
} from './common.js';
import { LogOriginSchema } from './tlog.js';
import { RegistryEntrySchema } from './registry-entry.js';

export const CHECK_EVIDENCE_VERSION = 1;
/** The hub publishes one key, a few around a rotation; GET /v1/hub/keys allows 16. */
export const MAX_HUB_KEYS = 16;

/**
 * The bundle's `v`. Any positive integer parses as a version, so that a bundle of a later
 * format is reported as `unsupported_version`, not as a type error.
 */
export const CheckEvidenceVersionSchema = z
  .int()
  .min(1)
  .max(65_535)
  .superRefine((v, ctx) => {
    if (v !== CHECK_EVIDENCE_VERSION) {
      addIssue(ctx, 'unsupported_version', [], `evidence bundle version ${v} is not supported`);
    }
  });

export const HubJwkSchema = Ed25519PublicJwkSchema.extend({
  kid: KidSchema,
  alg: z.literal('Ed25519').optional(),
  use: z.literal('sig').optional(),
}).superRefine((key, ctx) => {
  if (jwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x }) !== key.kid) {
    addIssue(ctx, 'mismatch', ['kid'], 'kid is not the RFC 7638 thumbprint of the key');
  }
}, whenFieldsValid);
export type HubJwk = z.infer<typeof HubJwkSchema>;

/** A JWK Set of the hub's statement-signing keys (RFC 7517 §5), distinct kids. */
export const HubKeySetSchema = z
  .strictObject({ keys: z.array(HubJwkSchema).min(1).max(MAX_HUB_KEYS) })
  .superRefine((jwks, ctx) => {
    rejectDuplicates(
      ctx,
      jwks.keys,
      (k) => k.kid,
      (i) => ['keys', i, 'kid'],
    );
  }, whenFieldsValid);
export type HubKeySet = z.infer<typeof HubKeySetSchema>;

export const CheckEvidenceSchema = z
  .strictObject({
    v: CheckEvidenceVersionSchema,
    requester: OriSchema,
    request: CheckRequestSchema,
    answer: CheckAnswerSchema,
    agencies: z.array(RegistryEntrySchema).max(MAX_CHECK_MATCHES),
    hubKeys: HubKeySetSchema,
    logOrigin: LogOriginSchema,
    verifiedAt: TimestampSchema,
  })
  .superRefine((bundle, ctx) => {
    rejectDuplicates(
      ctx,
      bundle.agencies,
      (a) => a.ori,
      (i) => ['agencies', i, 'ori'],
    );
  }, whenFieldsValid);
export type CheckEvidence = z.infer<typeof CheckEvidenceSchema>;
