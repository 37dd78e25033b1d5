/**
 * The hub's statement-signing key (docs/hub.md, "Signing key"): an Ed25519 key (RFC 8032) that
 * signs check responses (docs/protocol.md §5.8) and statistics release manifests (§5.17), kept in a JSON file holding the private JWK
 * (RFC 8037 §2) — `{ "kty": "OKP", "crv": "Ed25519", "x", "d", "kid" }` — readable by the hub's
 * user only (mode 0600), the same format as agency key files. The public half is published as
 * a JWK Set (RFC 7517 §5) at GET /v1/hub/keys.
 */
import { isCodedError } from '../../crypto/errors.js';
import {
  publishedJwk,
  signingKeyFromKeyFileText,
  type PublishedJwk,
} from '../../crypto/signing/key-file.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import { keyFileErrorCode, readKeyFile, writeNewKeyFile } from '../../platform/fs/key-file.js';
import { HubError } from '../errors.js';

export {
  publishedJwk,
  type PrivateKeyFile,
  type PublishedJwk,
} from '../../crypto/signing/key-file.js';

/** The JWK Set of GET /v1/hub/keys. */
export function hubJwks(keys: readonly Pick<SigningKey, 'kid' | 'publicJwk'>[]): {
  keys: PublishedJwk[];
} {
  return { keys: keys.map(publishedJwk) };
}

/** Key-file failures (platform/fs/key-file.ts) as the HubError of the same KEY_FILE_* code. */
async function asHubError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const code = keyFileErrorCode(e);
    if (code === undefined || !isCodedError(e)) throw e;
    throw new HubError(code, e.message, { field: e.field, cause: e });
  }
}

/** Parses a private key file's text (crypto/signing/key-file.ts); KEY_FILE_INVALID names the member. */
export function signingKeyFromFileJson(text: string): Promise<SigningKey> {
  return asHubError(signingKeyFromKeyFileText(text));
}

/**
 * Reads the hub's key file. Refuses a file that group or others may read (as ssh does with
 * private keys): a leaked hub key lets anyone forge check answers.
 */
export function readSigningKeyFile(path: string): Promise<SigningKey> {
  return asHubError(readKeyFile(path));
}

/**
 * Creates a new key file at `path` with mode 0600; never overwrites one (KEY_FILE_EXISTS).
 * Returns the key, whose public half the operator publishes.
 */
export function writeNewSigningKeyFile(
  path: string,
  rng: (n: number) => Uint8Array,
): Promise<SigningKey> {
  return asHubError(writeNewKeyFile(path, rng));
}
