/**
 * OPRF key pairs bound to an epoch (docs/protocol.md §4.2). A keyholder holds one record per
 * epoch: the whole key (shareIndex 1 of a 1-of-1 set) or one Shamir share of it.
 */
import { CryptoError } from '../errors.js';
import { utf8 } from '../encoding.js';
import { equalBytes } from '@noble/curves/utils.js';
import { decodeElementWith, nobleGroup, type Ristretto255Group } from './group.js';
import {
  MAX_KEYHOLDERS,
  SEED_BYTES,
  checkEpoch,
  checkShareIndex,
  decodeElement,
  decodeSecretKey,
  suite,
  type RistrettoPoint,
  type Rng,
} from './suite.js';

export interface OprfKeyPair {
  /** The key epoch, an integer ≥ 1; tokens of different epochs never match. */
  readonly epoch: number;
  /** 1 for a whole key; the Shamir x-coordinate for a share. */
  readonly shareIndex: number;
  /** SerializeScalar(skS): 32 bytes, little-endian, canonical, non-zero. */
  readonly secretKey: Uint8Array;
  /** SerializeElement(skS·G): 32 bytes. For a share, this is the keyholder's public share. */
  readonly publicKey: Uint8Array;
}

/** What a node needs to verify one keyholder: the public half of an {@link OprfKeyPair}. */
export interface OprfPublicKey {
  readonly epoch: number;
  readonly shareIndex: number;
  readonly publicKey: Uint8Array;
}

const KEY_INFO_PREFIX = utf8('SPX1 oprf-key epoch');

/**
 * RFC 9497 §3.2.1 `info` for SPX1 keys: ASCII "SPX1 oprf-key epoch" || I2OSP(epoch, 4).
 * Binding the epoch means one operator seed yields unrelated keys for different epochs.
 */
export function keyInfoForEpoch(epoch: number): Uint8Array {
  checkEpoch(epoch);
  const info = new Uint8Array(KEY_INFO_PREFIX.length + 4);
  info.set(KEY_INFO_PREFIX);
  new DataView(info.buffer).setUint32(KEY_INFO_PREFIX.length, epoch, false);
  return info;
}

/**
 * RFC 9497 §3.2.1 DeriveKeyPair in modeVOPRF (the mode is part of the derivation's domain
 * separation tag, so modeOPRF keys from the same seed differ). Exposed with a raw `keyInfo`
 * so that the RFC's Appendix A vectors can be replayed.
 */
export function deriveVoprfKeyPair(
  seed: Uint8Array,
  keyInfo: Uint8Array,
): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new CryptoError('OPRF_KEY_INVALID', `seed must be ${SEED_BYTES} bytes`, {
      field: 'seed',
    });
  }
  if (!(keyInfo instanceof Uint8Array) || keyInfo.length > 0xffff) {
    throw new CryptoError('OPRF_KEY_INVALID', 'keyInfo must be at most 65535 bytes', {
      field: 'keyInfo',
    });
  }
  const { secretKey, publicKey } = suite.voprf.deriveKeyPair(seed, keyInfo);
  return { secretKey, publicKey };
}

/** The whole key of `epoch`, derived from an operator-kept 32-byte seed (§4.2). */
export function deriveKeyPair(seed: Uint8Array, epoch: number): OprfKeyPair {
  const { secretKey, publicKey } = deriveVoprfKeyPair(seed, keyInfoForEpoch(epoch));
  return { epoch, shareIndex: 1, secretKey, publicKey };
}

/**
 * A fresh whole key: DeriveKeyPair over a seed of 32 random bytes. RFC 9497 §3.2 allows
 * either GenerateKeyPair or DeriveKeyPair; going through the seed keeps one code path and
 * lets `rng` be injected (noble's GenerateKeyPair takes no rng).
 */
export function generateKeyPair(epoch: number, rng: Rng): OprfKeyPair {
  return deriveKeyPair(rng(SEED_BYTES), epoch);
}

/**
 * Checks a key record before use: epoch and index in range, canonical non-zero secret,
 * and a public key that really is secretKey·G (a mismatch would make every proof fail).
 * Returns the public key as an element of `group` (default noble), which does the arithmetic.
 */
export function assertKeyPair<E = RistrettoPoint>(
  key: OprfKeyPair,
  group: Ristretto255Group<E> = nobleGroup as unknown as Ristretto255Group<E>,
): E {
  checkEpoch(key.epoch, 'key.epoch');
  checkShareIndex(key.shareIndex, MAX_KEYHOLDERS, 'key.shareIndex');
  decodeSecretKey(key.secretKey, 'key.secretKey');
  let pk: E;
  try {
    pk = decodeElementWith(group, key.publicKey, 'key.publicKey');
  } catch {
    throw new CryptoError('OPRF_KEY_INVALID', 'key.publicKey is not a valid public key', {
      field: 'key.publicKey',
    });
  }
  // Canonical encodings are unique (RFC 9496 §4.3.2): equal bytes iff equal elements.
  if (!equalBytes(group.encode(group.multiplyBase(key.secretKey)), key.publicKey)) {
    throw new CryptoError('OPRF_KEY_INVALID', 'key.publicKey does not match key.secretKey', {
      field: 'key.publicKey',
    });
  }
  return pk;
}

/** A public key or public share is an element; a bad one is a key error, not a wire error. */
export function decodePublicKey(bytes: unknown, field: string) {
  try {
    return decodeElement(bytes, field);
  } catch {
    throw new CryptoError('OPRF_KEY_INVALID', `${field} is not a valid public key`, { field });
  }
}
