/**
 * The hub's statement-signing keys as they reach a node or an auditor: SPX_NODE_HUB_KEYS,
 * `spx audit-log --hub-key(s)`, `spx node verify-evidence --hub-key(s)`, and the auditor's
 * unpinned GET /v1/hub/keys. One rule for all of them, so a key file one command accepts the
 * others accept too: a JWK Set (`{ "keys": [ … ] }`, as GET /v1/hub/keys serves it) or a single
 * JWK; 1 to MAX_HUB_KEYS keys; each an Ed25519 public key (importPublicJwk checks `kty`, `crv`,
 * `x`, and `kid` when present, and refuses a private member such as `d`); no key twice.
 */
import { isCryptoError } from '../../crypto/errors.js';
import { fail, ok, type Failure, type Result } from '../../crypto/result.js';
import { importPublicJwk, type PublicKeyInfo } from '../../crypto/signing/index.js';
import { isFileTooLargeError, readFileBounded } from '../../platform/fs/index.js';
import { MAX_HUB_KEYS } from '../../protocol/check-evidence.js';

export { MAX_HUB_KEYS };

/** A JWK Set of 16 keys is about 3 KiB. */
export const MAX_HUB_KEYS_FILE_BYTES = 64 * 1024;

export type HubKeysFailure = Failure<'HUB_KEYS_INVALID' | 'FILE_UNREADABLE'> & {
  readonly field: string;
  readonly message: string;
};

const invalid = (field: string, message: string) =>
  fail({ code: 'HUB_KEYS_INVALID', field, message } as const);

/** The keys of a parsed JWK or JWK Set; the failure names the member (`keys[1].x`, `$.d`). */
export async function hubKeysFromJson(
  json: unknown,
): Promise<Result<PublicKeyInfo[], HubKeysFailure>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('$', 'not a JWK or a JWK Set (a JSON object)');
  }
  const isSet = 'keys' in json;
  const items: unknown = isSet ? (json as { keys: unknown }).keys : [json];
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_HUB_KEYS) {
    return invalid('keys', `1 to ${MAX_HUB_KEYS} JWKs`);
  }
  const keys: PublicKeyInfo[] = [];
  for (const [i, jwk] of items.entries()) {
    const field = isSet ? `keys[${i}]` : '$';
    let key: PublicKeyInfo;
    try {
      key = await importPublicJwk(jwk);
    } catch (e) {
      if (!isCryptoError(e)) throw e;
      return invalid(e.field ? `${field}.${e.field}` : field, e.message);
    }
    const first = keys.findIndex((k) => k.kid === key.kid);
    if (first >= 0) return invalid(field, `repeats the key of keys[${first}]`);
    keys.push(key);
  }
  return ok(keys);
}

/**
 * The keys from `value`: inline JSON when it starts with `{` (as an environment variable may
 * hold it), else the path of a UTF-8 JSON file of at most MAX_HUB_KEYS_FILE_BYTES. The failure's
 * field is `$`/`keys[i]…` of the JSON, or `path` for a file that cannot be read.
 */
export async function readHubKeys(value: string): Promise<Result<PublicKeyInfo[], HubKeysFailure>> {
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    try {
      const bytes = await readFileBounded(value, MAX_HUB_KEYS_FILE_BYTES);
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      if (isFileTooLargeError(e)) {
        return invalid('$', `${value} is larger than ${MAX_HUB_KEYS_FILE_BYTES} bytes`);
      }
      return fail({ code: 'FILE_UNREADABLE', field: 'path', message: `cannot read ${value}` });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid('$', 'not JSON');
  }
  return hubKeysFromJson(json);
}
