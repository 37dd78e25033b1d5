/**
 * Bodies of service endpoints that are resources rather than protocol messages (issue 3 shared
 * contract): the keyholder's published keys, the hub's registry listing, its statement-signing
 * JWKS, the public statistics and a cosignature receipt. The node's clients parse answers with
 * them, and the services' API documents (platform/http/openapi) describe the answers with them,
 * so they live here, below both.
 *
 * These schemas are open (unknown members are dropped, not refused): they describe service
 * resources, not signed or bound protocol messages, and RFC 7517 §4/§5 asks JWK Set readers to
 * ignore members they do not understand. Everything the node relies on is still checked.
 */
import { z } from 'zod';
import { MAX_KEYHOLDERS, SUITE_ID } from '../crypto/oprf/index.js';
import { addIssue, EpochSchema, OprfElementSchema, whenFieldsValid } from './common.js';
import { RegistryEntrySchema } from './registry-entry.js';

export const KEYHOLDER_KEY_STATUSES = ['active', 'retired'] as const;

/** One key record a keyholder publishes: its share (or whole key) of one epoch. */
export const KeyholderKeySchema = z.object({
  epoch: EpochSchema,
  shareIndex: z.int().min(1).max(MAX_KEYHOLDERS),
  /** K_i: this keyholder's public share (= groupPublicKey for a whole key). */
  publicKey: OprfElementSchema,
  /** K: the key set's public key, the same at every keyholder of the set. */
  groupPublicKey: OprfElementSchema,
  /** t and n of this epoch's key set (1 and 1 for a whole key); epochs may differ. */
  threshold: z.int().min(1).max(MAX_KEYHOLDERS),
  total: z.int().min(1).max(MAX_KEYHOLDERS),
  status: z.enum(KEYHOLDER_KEY_STATUSES),
});
export type KeyholderKey = z.infer<typeof KeyholderKeySchema>;

/**
 * GET /v1/keys on a keyholder. The top-level `threshold` is that of the keyholder's newest
 * active epoch, informative only: a node takes t and n from the record of the epoch it uses.
 */
export const KeyholderKeysSchema = z
  .object({
    suite: z.literal(SUITE_ID),
    threshold: z.int().min(1).max(MAX_KEYHOLDERS),
    keys: z.array(KeyholderKeySchema).min(1).max(256),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<number>();
    body.keys.forEach((k, i) => {
      if (seen.has(k.epoch)) addIssue(ctx, 'duplicate', ['keys', i, 'epoch'], 'one key per epoch');
      seen.add(k.epoch);
    });
  }, whenFieldsValid);
export type KeyholderKeys = z.infer<typeof KeyholderKeysSchema>;

/** A registry as large as the national one (~18 000 agencies) fits; more is refused. */
export const MAX_REGISTRY_ENTRIES = 100_000;

/** GET /v1/registry/agencies on the hub. */
export const RegistryListingSchema = z.object({
  agencies: z.array(RegistryEntrySchema).max(MAX_REGISTRY_ENTRIES),
});
export type RegistryListing = z.infer<typeof RegistryListingSchema>;

/**
 * GET /v1/hub/keys on the hub: a JWK Set (RFC 7517 §5). Each member is validated as an Ed25519
 * public key by crypto/signing importPublicJwk afterwards, which refuses private members.
 */
export const HubJwksSchema = z.object({
  keys: z
    .array(z.record(z.string().max(64), z.unknown()))
    .min(1)
    .max(16),
});

/**
 * GET /v1/statistics on the hub. Its table is the hub's to define (hub/statistics); the client
 * only insists on a JSON object and hands it on.
 */
export const StatisticsSchema = z.looseObject({});
export type Statistics = z.infer<typeof StatisticsSchema>;

/**
 * POST /v1/log/cosignatures on the hub: what it now holds for this witness and size (an older
 * submission leaves a newer stored timestamp in place).
 */
export const CosignatureReceiptSchema = z.object({
  size: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  keyName: z.string().min(1).max(255),
  timestamp: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type CosignatureReceipt = z.infer<typeof CosignatureReceiptSchema>;
