/**
 * The Ed25519 private key file of the hub (docs/hub.md, "Signing key") and of agency nodes
 * (docs/node.md): a JSON private JWK (RFC 8037 §2) `{ "kty": "OKP", "crv": "Ed25519", "x", "d",
 * "kid" }`, `kid` the RFC 7638 thumbprint. Only the parser and serializer live here (pure); the
 * owner-only read and the never-overwriting write are platform/fs/key-file.ts. One module for
 * both services, because two copies had already drifted (only one zeroed the decoded seed).
 */
import { fromBase64url, toBase64url } from '../encoding.js';
import { CryptoError } from '../errors.js';
import {
  SEED_LENGTH,
  SIGNATURE_ALG,
  signingKeyFromSeed,
  type PublicJwk,
  type SigningKey,
} from './keys.js';

export interface PrivateKeyFile {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid: string;
}

/** A key as published (hub JWK Set) or enrolled (agency): public JWK, kid, algorithm, use. */
export interface PublishedJwk extends PublicJwk {
  readonly kid: string;
  readonly alg: typeof SIGNATURE_ALG;
  readonly use: 'sig';
}

const MEMBERS = new Set(['kty', 'crv', 'x', 'd', 'kid']);

const invalid = (message: string, field: string) =>
  new CryptoError('KEY_FILE_INVALID', message, { field });

export function publishedJwk(key: Pick<SigningKey, 'kid' | 'publicJwk'>): PublishedJwk {
  return { ...key.publicJwk, kid: key.kid, alg: SIGNATURE_ALG, use: 'sig' };
}

/** The file's text for `seed`, whose key is `key`; the caller zeroes `seed` afterwards. */
export function keyFileText(seed: Uint8Array, key: SigningKey): string {
  const contents: PrivateKeyFile = { ...key.publicJwk, d: toBase64url(seed), kid: key.kid };
  return `${JSON.stringify(contents, null, 2)}\n`;
}

/**
 * Rebuilds the key from `d` and refuses a file whose `x` or `kid` belong to another key: a file
 * whose halves disagree is refused rather than trusted. Throws CryptoError KEY_FILE_INVALID
 * with `field` naming the member at fault (`$` for the file as a whole).
 */
export async function signingKeyFromKeyFileText(text: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('the key file is not JSON', '$');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('the key file is not a JSON object', '$');
  }
  const jwk = json as Record<string, unknown>;
  for (const name of Object.keys(jwk)) {
    if (!MEMBERS.has(name)) throw invalid(`unexpected member "${name}"`, name);
  }
  if (jwk['kty'] !== 'OKP') throw invalid('kty must be "OKP"', 'kty');
  if (jwk['crv'] !== 'Ed25519') throw invalid('crv must be "Ed25519"', 'crv');
  // The commonest mistake: giving the public JWK (what was enrolled or published) instead.
  if (!('d' in jwk)) throw invalid('d is missing: this is a public key, not a key file', 'd');
  const seed = typeof jwk['d'] === 'string' ? fromBase64url(jwk['d']) : undefined;
  if (seed === undefined || seed.length !== SEED_LENGTH) {
    throw invalid('d must be a 32-byte seed in base64url', 'd');
  }
  let key: SigningKey;
  try {
    key = await signingKeyFromSeed(seed);
  } finally {
    // The seed is the whole secret; the key keeps only a non-extractable CryptoKey.
    seed.fill(0);
  }
  if ('x' in jwk && jwk['x'] !== key.publicJwk.x) throw invalid('x is not the key of d', 'x');
  if ('kid' in jwk && jwk['kid'] !== key.kid) {
    throw invalid('kid is not the RFC 7638 thumbprint of the key', 'kid');
  }
  return key;
}
