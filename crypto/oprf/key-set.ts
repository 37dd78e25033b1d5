/**
 * t-of-n keyholder sets (docs/protocol.md §4.7): the OPRF key k is Shamir-shared over the
 * ristretto255 scalar field, k_i = f(i) for a random polynomial f of degree t-1 with f(0) = k.
 * Keyholder i publishes its public share K_i = k_i·G; the set's public key is K = k·G.
 *
 * Shares come from a dealer (splitKey: noble's RFC 9591 Appendix C trusted dealer, which is
 * exactly Shamir sharing with VSS commitments) or, in production, from a FROST DKG
 * (noble's ristretto255_FROST.DKG round1..round3), whose output fromFrostKey() converts, so
 * that no single machine ever holds k.
 */
import { ristretto255_FROST } from '@noble/curves/ed25519.js';
import type { FrostPublic, Key } from '@noble/curves/abstract/frost.js';
import { CryptoError } from '../errors.js';
import { type OprfKeyPair, assertKeyPair, decodePublicKey } from './keys.js';
import { Fn, MAX_KEYHOLDERS, Point, checkEpoch, nobleRng, type Rng } from './suite.js';

export interface OprfKeySet {
  readonly epoch: number;
  /** t: how many keyholders must answer. */
  readonly threshold: number;
  /** K = k·G, identical to the public key of the unshared key. */
  readonly publicKey: Uint8Array;
  /** publicShares[i - 1] = K_i for shareIndex i; n = publicShares.length. */
  readonly publicShares: readonly Uint8Array[];
}

/**
 * Lagrange coefficients for interpolating at `x` from the points at `indexes`:
 * λ_i(x) = Π_{j≠i} (x - x_j) / (x_i - x_j) mod ℓ. Indexes must be distinct and non-zero.
 */
export function lagrangeAt(indexes: readonly number[], x: bigint): bigint[] {
  const xs = indexes.map((i) => Fn.create(BigInt(i)));
  return xs.map((xi, i) => {
    let num = Fn.ONE;
    let den = Fn.ONE;
    xs.forEach((xj, j) => {
      if (j === i) return;
      num = Fn.mul(num, Fn.sub(x, xj));
      den = Fn.mul(den, Fn.sub(xi, xj));
    });
    return Fn.div(num, den);
  });
}

/** SerializeScalar(λ_i(0)) for each index: the weights a node combines evaluations with. */
export function lagrangeCoefficientsAtZero(indexes: readonly number[]): Uint8Array[] {
  if (new Set(indexes).size !== indexes.length || indexes.some((i) => !(i >= 1))) {
    throw new CryptoError('OPRF_SHARE_INVALID', 'share indexes must be distinct and ≥ 1', {
      field: 'indexes',
    });
  }
  return lagrangeAt(indexes, 0n).map((l) => Fn.toBytes(l));
}

/** Σ λ_i·P_i: points at `indexes` interpolated at `x` (in the exponent). */
export function interpolatePoints(
  indexes: readonly number[],
  points: readonly InstanceType<typeof Point>[],
  x: bigint,
) {
  const weights = lagrangeAt(indexes, x);
  // noble's multiply rejects 0; a zero weight only arises when x is one of the indexes.
  return points.reduce((sum, p, i) => {
    const w = weights[i]!;
    return Fn.is0(w) ? sum : sum.add(p.multiply(w));
  }, Point.ZERO);
}

/** 1 ≤ t ≤ n ≤ MAX_KEYHOLDERS. */
export function checkThreshold(threshold: unknown, total: unknown): void {
  if (
    typeof total !== 'number' ||
    !Number.isInteger(total) ||
    total < 1 ||
    total > MAX_KEYHOLDERS
  ) {
    throw new CryptoError('OPRF_THRESHOLD', `n must be an integer 1..${MAX_KEYHOLDERS}`, {
      field: 'total',
    });
  }
  if (
    typeof threshold !== 'number' ||
    !Number.isInteger(threshold) ||
    threshold < 1 ||
    threshold > total
  ) {
    throw new CryptoError('OPRF_THRESHOLD', `t must be an integer 1..${total}`, {
      field: 'threshold',
    });
  }
}

/**
 * Dealer split of a whole key into n shares, any t of which reconstruct it. For t = 1 the
 * polynomial is constant and every keyholder holds k (noble's FROST requires t ≥ 2).
 */
export function splitKey(
  key: OprfKeyPair,
  threshold: number,
  total: number,
  rng: Rng,
): { keySet: OprfKeySet; shares: OprfKeyPair[] } {
  assertKeyPair(key);
  checkThreshold(threshold, total);
  const indexes = Array.from({ length: total }, (_, i) => i + 1);
  let shares: OprfKeyPair[];
  if (threshold === 1) {
    shares = indexes.map((shareIndex) => ({ ...key, shareIndex }));
  } else {
    const ids = indexes.map((i) => ristretto255_FROST.Identifier.fromNumber(i));
    const deal = ristretto255_FROST.trustedDealer(
      { min: threshold, max: total },
      ids,
      key.secretKey,
      nobleRng(rng),
    );
    shares = ids.map((id, i) => ({
      epoch: key.epoch,
      shareIndex: i + 1,
      secretKey: deal.secretShares[id]!.signingShare,
      publicKey: deal.public.verifyingShares[id]!,
    }));
  }
  const keySet: OprfKeySet = {
    epoch: key.epoch,
    threshold,
    publicKey: key.publicKey,
    publicShares: shares.map((s) => s.publicKey),
  };
  return { keySet, shares };
}

/** shareIndex of a FROST identifier made by Identifier.fromNumber(i), i in 1..MAX_KEYHOLDERS. */
function indexOfIdentifier(id: string): number {
  for (let i = 1; i <= MAX_KEYHOLDERS; i++) {
    if (ristretto255_FROST.Identifier.fromNumber(i) === id) return i;
  }
  throw new CryptoError('OPRF_KEY_INVALID', 'FROST identifier is not 1..n', {
    field: 'identifier',
  });
}

/** The key set published after a FROST DKG (or dealer) run with identifiers 1..n. */
export function keySetFromFrost(epoch: number, pub: FrostPublic): OprfKeySet {
  checkEpoch(epoch);
  const { min, max } = pub.signers;
  checkThreshold(min, max);
  const publicShares = Array.from({ length: max }, (_, i) => {
    const share = pub.verifyingShares[ristretto255_FROST.Identifier.fromNumber(i + 1)];
    if (share === undefined) {
      throw new CryptoError('OPRF_KEY_INVALID', `no public share ${i + 1}`, {
        field: 'verifyingShares',
      });
    }
    return share;
  });
  const keySet = { epoch, threshold: min, publicKey: pub.commitments[0]!, publicShares };
  verifyKeySet(keySet);
  return keySet;
}

/** One keyholder's key record from its FROST DKG output (RFC 9591 Key package). */
export function keyPairFromFrost(epoch: number, key: Key): OprfKeyPair {
  const shareIndex = indexOfIdentifier(key.secret.identifier);
  const keyPair: OprfKeyPair = {
    epoch,
    shareIndex,
    secretKey: key.secret.signingShare,
    publicKey: key.public.verifyingShares[key.secret.identifier]!,
  };
  assertKeyPair(keyPair);
  return keyPair;
}

/**
 * Checks that a key set is well formed and consistent: the public shares lie on one
 * polynomial of degree t-1 (in the exponent) whose value at 0 is the set's public key.
 * Interpolating from shares 1..t must give K at 0 and K_j at every other j.
 */
export function verifyKeySet(keySet: OprfKeySet): void {
  checkEpoch(keySet.epoch, 'keySet.epoch');
  const shares = keySet.publicShares;
  if (!Array.isArray(shares)) {
    throw new CryptoError('OPRF_THRESHOLD', 'publicShares is not a list', {
      field: 'keySet.publicShares',
    });
  }
  checkThreshold(keySet.threshold, shares.length);
  const K = decodePublicKey(keySet.publicKey, 'keySet.publicKey');
  const points = shares.map((s, i) => decodePublicKey(s, `keySet.publicShares[${i}]`));
  const base = Array.from({ length: keySet.threshold }, (_, i) => i + 1);
  const basePoints = points.slice(0, keySet.threshold);
  if (!interpolatePoints(base, basePoints, 0n).equals(K)) {
    throw new CryptoError('OPRF_KEY_INVALID', 'shares do not match the key', {
      field: 'keySet.publicKey',
    });
  }
  for (let j = keySet.threshold + 1; j <= points.length; j++) {
    if (!interpolatePoints(base, basePoints, BigInt(j)).equals(points[j - 1]!)) {
      const field = `keySet.publicShares[${j - 1}]`;
      throw new CryptoError('OPRF_KEY_INVALID', 'share is off the polynomial', { field });
    }
  }
}
