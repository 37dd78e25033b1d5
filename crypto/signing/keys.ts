/**
 * Agency and hub signing keys: Ed25519 (RFC 8032) as OKP JWKs (RFC 8037 §2),
 * identified by their RFC 7638 SHA-256 thumbprint. Signing and verification go
 * through jose on the runtime's WebCrypto; @noble/curves is used only to derive
 * the public key from a seed (WebCrypto cannot import a private JWK without `x`)
 * and to refuse public keys that are not usable curve points.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { importJWK } from 'jose';
import type { CryptoKey } from 'jose';
import { CryptoError } from '../errors.js';
import { fromBase64url, toBase64url, utf8 } from '../encoding.js';
import { canonicalJson } from './canonical-json.js';

/** The fully-specified JOSE algorithm name for Ed25519 (RFC 9864 §2.2). */
export const SIGNATURE_ALG = 'Ed25519';
/** RFC 8032 §5.1.5: the private key is a 32-byte seed. */
export const SEED_LENGTH = 32;

/** A public key as registered and exchanged: exactly these members, in this shape. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
}

export interface SigningKey {
  /** RFC 7638 thumbprint of `publicJwk` (SHA-256, base64url). */
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  /** Non-extractable WebCrypto key: the seed cannot be read back out of it. */
  readonly privateKey: CryptoKey;
}

export interface PublicKeyInfo {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
}

/**
 * RFC 7638 §3: SHA-256 over the required members {"crv","kty","x"} in lexicographic order
 * without white space — exactly their RFC 8785 form — base64url. Synchronous so that schemas
 * can check a `kid` against its key; the tests cross-check it with jose's implementation.
 */
export function jwkThumbprint(publicJwk: PublicJwk): string {
  const json = canonicalJson({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x });
  return toBase64url(sha256(utf8(json)));
}

/** The key id of a public key: its RFC 7638 thumbprint (docs/protocol.md §6.2). */
export function computeKid(publicJwk: PublicJwk): Promise<string> {
  return Promise.resolve(jwkThumbprint(publicJwk));
}

/** The form of a kid: an unpadded base64url SHA-256 digest. */
export function isKidShaped(kid: unknown): kid is string {
  return typeof kid === 'string' && fromBase64url(kid)?.length === 32;
}

/** Deterministic key from a 32-byte seed (tests, vectors, and keys restored from storage). */
export async function signingKeyFromSeed(seed: Uint8Array): Promise<SigningKey> {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH) {
    throw new CryptoError('KEY_INVALID', `seed must be ${SEED_LENGTH} bytes`, { field: 'seed' });
  }
  const publicJwk: PublicJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: toBase64url(ed25519.getPublicKey(seed)),
  };
  const privateKey = await importJWK({ ...publicJwk, d: toBase64url(seed) }, SIGNATURE_ALG, {
    extractable: false,
  });
  return { kid: await computeKid(publicJwk), publicJwk, privateKey: privateKey as CryptoKey };
}

/**
 * A new key from the injected randomness. The caller stores `seed` (it is the
 * private key); `key` is ready to sign with.
 */
export async function generateSigningKey(
  rng: (n: number) => Uint8Array,
): Promise<{ seed: Uint8Array; key: SigningKey }> {
  const seed = rng(SEED_LENGTH);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH) {
    throw new CryptoError('KEY_INVALID', `rng must return ${SEED_LENGTH} bytes`, { field: 'rng' });
  }
  return { seed, key: await signingKeyFromSeed(seed) };
}

const OPTIONAL_MEMBERS = new Set(['kid', 'alg', 'use']);

function keyInvalid(message: string, field: string): CryptoError<'KEY_INVALID'> {
  return new CryptoError('KEY_INVALID', message, { field });
}

/**
 * Whether `bytes` is a 32-byte public key we accept: strict RFC 8032 §5.1.3 decoding (no ZIP-215
 * leniency) of a point in the prime-order subgroup. Small-order keys such as the identity are
 * refused: for them one signature verifies on every message. So are mixed-order keys (a
 * subgroup point plus a small-order component): no honest key generation (RFC 8032 §5.1.5)
 * makes one, and with them cofactored and cofactorless verifiers disagree about which
 * signatures are valid — one statement could verify at one party and not at another.
 */
export function isUsableEd25519PublicKey(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  try {
    const point = ed25519.Point.fromBytes(bytes, false);
    return !point.isSmallOrder() && point.isTorsionFree();
  } catch {
    return false;
  }
}

/**
 * Validates a public JWK from outside (registration, registry, configuration).
 * Accepts exactly kty/crv/x plus optional kid (which must equal the thumbprint),
 * alg ("Ed25519") and use ("sig"). Rejects private members — a JWK carrying `d`
 * has leaked its key — and any x that is not a canonical encoding of a point of
 * large order: WebCrypto accepts small-order keys such as the identity, for which
 * one signature verifies on every message (RFC 8032 §5.1.7 does not exclude them).
 */
export async function importPublicJwk(input: unknown): Promise<PublicKeyInfo> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw keyInvalid('a JWK must be a JSON object', 'jwk');
  }
  const jwk = input as Record<string, unknown>;
  for (const name of Object.keys(jwk)) {
    if (name !== 'kty' && name !== 'crv' && name !== 'x' && !OPTIONAL_MEMBERS.has(name)) {
      throw keyInvalid(`unexpected JWK member "${name}"`, name);
    }
  }
  if (jwk['kty'] !== 'OKP') throw keyInvalid('kty must be "OKP"', 'kty');
  if (jwk['crv'] !== 'Ed25519') throw keyInvalid('crv must be "Ed25519"', 'crv');
  const x = jwk['x'];
  const bytes = typeof x === 'string' ? fromBase64url(x) : undefined;
  if (bytes === undefined || bytes.length !== 32) {
    throw keyInvalid('x must be 32 bytes in unpadded base64url', 'x');
  }
  if (!isUsableEd25519PublicKey(bytes))
    throw keyInvalid('x is not a usable Ed25519 public key', 'x');
  if ('alg' in jwk && jwk['alg'] !== SIGNATURE_ALG) {
    throw keyInvalid(`alg must be "${SIGNATURE_ALG}"`, 'alg');
  }
  if ('use' in jwk && jwk['use'] !== 'sig') throw keyInvalid('use must be "sig"', 'use');
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: x as string };
  const kid = await computeKid(publicJwk);
  if ('kid' in jwk && jwk['kid'] !== kid) {
    throw keyInvalid('kid must be the RFC 7638 thumbprint of the key', 'kid');
  }
  return { kid, publicJwk };
}

/** WebCrypto verification key for a validated public JWK. */
export async function verificationKey(publicJwk: PublicJwk): Promise<CryptoKey> {
  return (await importJWK({ ...publicJwk }, SIGNATURE_ALG)) as CryptoKey;
}
