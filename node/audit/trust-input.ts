/**
 * The auditor's trust material, read from what a person gives on the command line or what the
 * hub publishes: the hub's Ed25519 key(s) and the log's origin (witness keys: node/tlog
 * witness-keys.ts). Pure;
 * failures are returned with the member they concern, never thrown.
 */
import { isCryptoError } from '../../crypto/errors.js';
import { importPublicJwk, type PublicKeyInfo } from '../../crypto/signing/index.js';
import { LOG_ORIGIN_TEXT } from '../../protocol/tlog.js';
import type { Parsed } from '../tlog/index.js';

export type { Parsed };

/** GET /v1/hub/keys publishes one key today; a rotation overlap may list a few. */
export const MAX_HUB_KEYS = 16;

const refused = (field: string, message: string) => ({ ok: false, field, message }) as const;

/**
 * The hub's public keys from a JWK Set (`{ "keys": [ … ] }`, as GET /v1/hub/keys serves it) or
 * a single JWK: each an Ed25519 public key (importPublicJwk checks `kty`, `crv`, `x`, and `kid`
 * when present); a private member such as `d` is refused.
 */
export async function hubKeysFromJson(json: unknown): Promise<Parsed<PublicKeyInfo[]>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refused('$', 'not a JWK or a JWK Set (a JSON object)');
  }
  const isSet = 'keys' in json;
  const items: unknown = isSet ? (json as { keys: unknown }).keys : [json];
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_HUB_KEYS) {
    return refused('keys', `1 to ${MAX_HUB_KEYS} JWKs`);
  }
  const keys: PublicKeyInfo[] = [];
  for (const [i, jwk] of items.entries()) {
    const field = isSet ? `keys[${i}]` : '$';
    try {
      keys.push(await importPublicJwk(jwk));
    } catch (e) {
      if (!isCryptoError(e)) throw e;
      return refused(e.field ? `${field}.${e.field}` : field, e.message);
    }
  }
  return { ok: true, value: keys };
}

/** A log origin a verifier accepts (protocol/tlog.ts LOG_ORIGIN_TEXT). */
export function isLogOrigin(text: string): boolean {
  return LOG_ORIGIN_TEXT.test(text);
}
