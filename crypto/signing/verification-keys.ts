/**
 * Verification keys for registered public JWKs, validated and imported once, then kept.
 *
 * Checking a registered key before use (importPublicJwk: a canonical point of the prime-order
 * subgroup, which in noble is a scalar multiplication by the group order) costs about ten
 * Ed25519 verifications, and importing it into WebCrypto a few more; a hub that verified every
 * statement of an intake batch and every request token that way spent most of its time there
 * while its registry holds a few hundred keys. Keys are public: keeping them is safe.
 *
 * The cache key is the JWK's members as given (every member, so that one with an extra or wrong
 * member is validated — and refused — every time), kept for at most MAX_CACHED_KEYS keys, least
 * recently used first out. Failures are never kept.
 */
import { importPublicJwk, verificationKey, type PublicKeyInfo } from './keys.js';
import type { CryptoKey } from 'jose';

/** More keys than a registry of every US law-enforcement agency's two keys would hold. */
export const MAX_CACHED_KEYS = 40_000;

export interface VerificationKey extends PublicKeyInfo {
  /** WebCrypto Ed25519 public key, for `verify` only. */
  readonly key: CryptoKey;
}

/** A flat JWK of a few string members, as its stable text; undefined for anything else. */
function cacheKeyOf(jwk: unknown): string | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const entries = Object.entries(jwk as Record<string, unknown>);
  if (entries.length > 6 || entries.some(([, v]) => typeof v !== 'string')) return undefined;
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function load(jwk: unknown): Promise<VerificationKey> {
  const info = await importPublicJwk(jwk);
  return { ...info, key: await verificationKey(info.publicJwk) };
}

export interface VerificationKeyCache {
  /**
   * The validated key for a registered JWK (importPublicJwk's checks: throws its KEY_INVALID
   * for a JWK that is not a usable Ed25519 public key), from the cache when seen before.
   */
  get(registeredJwk: unknown): Promise<VerificationKey>;
  /** How many keys are kept. */
  readonly size: number;
}

export function verificationKeyCache(maxKeys = MAX_CACHED_KEYS): VerificationKeyCache {
  const cache = new Map<string, Promise<VerificationKey>>();
  return {
    get(registeredJwk) {
      const id = cacheKeyOf(registeredJwk);
      if (id === undefined) return load(registeredJwk);
      const kept = cache.get(id);
      if (kept !== undefined) {
        cache.delete(id); // most recently used last
        cache.set(id, kept);
        return kept;
      }
      const loading = load(registeredJwk);
      cache.set(id, loading);
      if (cache.size > maxKeys) cache.delete(cache.keys().next().value!);
      loading.catch(() => {
        if (cache.get(id) === loading) cache.delete(id);
      });
      return loading;
    },
    get size() {
      return cache.size;
    },
  };
}

/** The process's cache, which statement and request-token verification share. */
const shared = verificationKeyCache();

export function verificationKeyFor(registeredJwk: unknown): Promise<VerificationKey> {
  return shared.get(registeredJwk);
}
