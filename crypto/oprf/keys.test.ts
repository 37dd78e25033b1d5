import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { assertKeyPair, deriveKeyPair, generateKeyPair, keyInfoForEpoch } from './keys.js';

const seed = utf8('SPX1 unit-test seed, 32 bytes!!!');
const Fn = ristretto255.Point.Fn;

describe('OPRF keys', () => {
  it('key info is "SPX1 oprf-key epoch" followed by the epoch as four big-endian bytes', () => {
    expect(bytesToHex(keyInfoForEpoch(1))).toBe(
      bytesToHex(utf8('SPX1 oprf-key epoch')) + '00000001',
    );
    expect(bytesToHex(keyInfoForEpoch(0x01020304)).slice(-8)).toBe('01020304');
  });

  it('derives the same whole key from the same seed and epoch, with share index 1', () => {
    const a = deriveKeyPair(seed, 7);
    const b = deriveKeyPair(seed.slice(), 7);
    expect(a).toEqual(b);
    expect(a.shareIndex).toBe(1);
    expect(a.epoch).toBe(7);
    expect(() => assertKeyPair(a)).not.toThrow();
  });

  it('derives unrelated keys for different epochs from one seed', () => {
    expect(bytesToHex(deriveKeyPair(seed, 1).secretKey)).not.toBe(
      bytesToHex(deriveKeyPair(seed, 2).secretKey),
    );
  });

  it('generates a key from the injected rng only', () => {
    const bytes = randomBytes(32);
    expect(generateKeyPair(3, () => bytes)).toEqual(deriveKeyPair(bytes, 3));
    expect(generateKeyPair(3, randomBytes).secretKey).not.toEqual(
      deriveKeyPair(bytes, 3).secretKey,
    );
  });

  it.each([0, -1, 1.5, 2 ** 31, 2 ** 32, Number.NaN])('rejects epoch %s', (epoch) => {
    expect(errorOf(() => deriveKeyPair(seed, epoch))).toEqual(['OPRF_KEY_INVALID', 'epoch']);
  });

  it('rejects a seed that is not 32 bytes', () => {
    expect(errorOf(() => deriveKeyPair(seed.subarray(1), 1))).toEqual(['OPRF_KEY_INVALID', 'seed']);
  });

  it('rejects a key record whose public key is not secretKey·G', () => {
    const key = { ...deriveKeyPair(seed, 1), publicKey: deriveKeyPair(seed, 2).publicKey };
    expect(errorOf(() => assertKeyPair(key))).toEqual(['OPRF_KEY_INVALID', 'key.publicKey']);
  });

  it('rejects a zero or non-canonical secret key', () => {
    const key = deriveKeyPair(seed, 1);
    const zero = { ...key, secretKey: new Uint8Array(32) };
    const big = {
      ...key,
      secretKey: Fn.toBytes(Fn.ORDER - 1n).map((b, i) => (i === 0 ? b + 1 : b)),
    };
    expect(errorOf(() => assertKeyPair(zero))).toEqual(['OPRF_KEY_INVALID', 'key.secretKey']);
    expect(errorOf(() => assertKeyPair(big))).toEqual(['OPRF_KEY_INVALID', 'key.secretKey']);
  });

  it('rejects share indexes outside 1..16', () => {
    const key = deriveKeyPair(seed, 1);
    expect(errorOf(() => assertKeyPair({ ...key, shareIndex: 0 }))).toEqual([
      'OPRF_KEY_INVALID',
      'key.shareIndex',
    ]);
    expect(errorOf(() => assertKeyPair({ ...key, shareIndex: 17 }))[0]).toBe('OPRF_KEY_INVALID');
  });
});
