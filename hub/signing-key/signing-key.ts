/**
 * The hub's statement-signing key (docs/hub.md, "Signing key"): an Ed25519 key (RFC 8032) that
 * signs check responses (docs/protocol.md §5.8), kept in a JSON file holding the private JWK
 * (RFC 8037 §2) — `{ "kty": "OKP", "crv": "Ed25519", "x", "d", "kid" }` — readable by the hub's
 * user only (mode 0600), the same format as agency key files. The public half is published as
 * a JWK Set (RFC 7517 §5) at GET /v1/hub/keys.
 */
import { writeFile } from 'node:fs/promises';
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import {
  generateSigningKey,
  SEED_LENGTH,
  SIGNATURE_ALG,
  signingKeyFromSeed,
  type PublicJwk,
  type SigningKey,
} from '../../crypto/signing/keys.js';
import { isPermissionsTooOpenError, readOwnerOnlyFile } from '../../platform/fs/owner-only.js';
import { HubError } from '../errors.js';

export interface PrivateKeyFile {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid: string;
}

/** A published verification key: the public JWK with its kid, algorithm and use. */
export interface PublishedJwk extends PublicJwk {
  readonly kid: string;
  readonly alg: typeof SIGNATURE_ALG;
  readonly use: 'sig';
}

const KEY_FILE_MEMBERS = new Set(['kty', 'crv', 'x', 'd', 'kid']);

export function keyFileContents(seed: Uint8Array, key: SigningKey): PrivateKeyFile {
  return { ...key.publicJwk, d: toBase64url(seed), kid: key.kid };
}

export function publishedJwk(key: Pick<SigningKey, 'kid' | 'publicJwk'>): PublishedJwk {
  return { ...key.publicJwk, kid: key.kid, alg: SIGNATURE_ALG, use: 'sig' };
}

/** The JWK Set of GET /v1/hub/keys. */
export function hubJwks(keys: readonly Pick<SigningKey, 'kid' | 'publicJwk'>[]): {
  keys: PublishedJwk[];
} {
  return { keys: keys.map(publishedJwk) };
}

/**
 * Parses a private key file's JSON and rebuilds the key from `d`, checking that `x` and `kid`
 * (when present) belong to it — a file whose halves disagree is refused rather than trusted.
 */
export async function signingKeyFromFileJson(text: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HubError('KEY_FILE_INVALID', 'the key file is not JSON', { field: '$' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HubError('KEY_FILE_INVALID', 'the key file is not a JSON object', { field: '$' });
  }
  const jwk = json as Record<string, unknown>;
  for (const name of Object.keys(jwk)) {
    if (!KEY_FILE_MEMBERS.has(name)) {
      throw new HubError('KEY_FILE_INVALID', `unexpected member "${name}"`, { field: name });
    }
  }
  if (jwk['kty'] !== 'OKP')
    throw new HubError('KEY_FILE_INVALID', 'kty must be "OKP"', { field: 'kty' });
  if (jwk['crv'] !== 'Ed25519') {
    throw new HubError('KEY_FILE_INVALID', 'crv must be "Ed25519"', { field: 'crv' });
  }
  const seed = typeof jwk['d'] === 'string' ? fromBase64url(jwk['d']) : undefined;
  if (seed === undefined || seed.length !== SEED_LENGTH) {
    throw new HubError('KEY_FILE_INVALID', 'd must be a 32-byte seed in base64url', { field: 'd' });
  }
  const key = await signingKeyFromSeed(seed);
  if ('x' in jwk && jwk['x'] !== key.publicJwk.x) {
    throw new HubError('KEY_FILE_INVALID', 'x is not the public key of d', { field: 'x' });
  }
  if ('kid' in jwk && jwk['kid'] !== key.kid) {
    throw new HubError('KEY_FILE_INVALID', 'kid is not the RFC 7638 thumbprint of the key', {
      field: 'kid',
    });
  }
  return key;
}

/**
 * Reads the hub's key file. Refuses a file that group or others may read (as ssh does with
 * private keys): a leaked hub key lets anyone forge check answers.
 */
export async function readSigningKeyFile(path: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readOwnerOnlyFile(path);
  } catch (e) {
    if (isPermissionsTooOpenError(e))
      throw new HubError('KEY_FILE_PERMISSIONS', e.message, { field: 'path' });
    throw new HubError('KEY_FILE_UNREADABLE', `cannot read the key file ${path}`, {
      field: 'path',
      cause: e,
    });
  }
  return signingKeyFromFileJson(text);
}

/**
 * Creates a new key file at `path` with mode 0600; never overwrites one (KEY_FILE_EXISTS).
 * Returns the key, whose public half the operator publishes.
 */
export async function writeNewSigningKeyFile(
  path: string,
  rng: (n: number) => Uint8Array,
): Promise<SigningKey> {
  const { seed, key } = await generateSigningKey(rng);
  const text = `${JSON.stringify(keyFileContents(seed, key), null, 2)}\n`;
  try {
    // `wx`: fail if the file exists, atomically; mode applies to the new file only.
    await writeFile(path, text, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') {
      throw new HubError('KEY_FILE_EXISTS', `${path} exists; not overwriting a key`, {
        field: 'path',
      });
    }
    throw e;
  } finally {
    seed.fill(0);
  }
  return key;
}
