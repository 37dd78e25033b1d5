/**
 * An agency's public signing key as it appears in the registry (docs/protocol.md §5.3):
 *
 *   { "kid": "<RFC 7638 thumbprint, 43 chars>", "status": "active" | "retired",
 *     "jwk": { "kty": "OKP", "crv": "Ed25519", "x": "<32 bytes base64url>" } }
 *
 * The JWK holds exactly the members RFC 7638 §3.2 hashes for an OKP key (RFC 8037 §2), so a
 * key has one spelling; `kid` MUST be its thumbprint, which the schema recomputes.
 */
import { z } from 'zod';
import { jwkThumbprint as cryptoJwkThumbprint } from '../crypto/signing/keys.js';
import { addIssue, fixedBytes, whenFieldsValid } from './common.js';

/** Ed25519 public keys are 32 bytes (RFC 8032 §5.1.5). */
export const ED25519_PUBLIC_KEY_BYTES = 32;
/** A SHA-256 thumbprint, base64url: 43 characters. */
export const KidSchema = fixedBytes(32);

export const Ed25519PublicJwkSchema = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: fixedBytes(ED25519_PUBLIC_KEY_BYTES),
});
export type Ed25519PublicJwk = z.infer<typeof Ed25519PublicJwkSchema>;

/** RFC 7638 thumbprint of a key: its `kid` (docs/protocol.md §6.2). */
export const jwkThumbprint: (jwk: Ed25519PublicJwk) => string = cryptoJwkThumbprint;

export const KEY_STATUSES = ['active', 'retired'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export const AgencyKeySchema = z
  .strictObject({
    kid: KidSchema,
    status: z.enum(KEY_STATUSES),
    jwk: Ed25519PublicJwkSchema,
  })
  .superRefine((key, ctx) => {
    if (jwkThumbprint(key.jwk) !== key.kid) {
      addIssue(ctx, 'mismatch', ['kid'], 'kid is not the RFC 7638 thumbprint of jwk');
    }
  }, whenFieldsValid);
export type AgencyKey = z.infer<typeof AgencyKeySchema>;
