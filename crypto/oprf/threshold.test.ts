import { ristretto255, ristretto255_FROST } from '@noble/curves/ed25519.js';
import type { DKG_Round1, DKG_Round2, DKG_Secret } from '@noble/curves/abstract/frost.js';
import { randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { blindBatch, finalizeBatch } from './client.js';
import {
  keyPairFromFrost,
  keySetFromFrost,
  lagrangeCoefficientsAtZero,
  splitKey,
  verifyKeySet,
} from './key-set.js';
import { generateKeyPair, type OprfKeyPair } from './keys.js';
import type { EvaluationResponse } from './messages.js';
import { evaluateBatch } from './server.js';
import { finalizeThresholdBatch } from './threshold.js';

const Fn = ristretto255.Point.Fn;

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items;
  return [...subsets(rest, size - 1).map((s) => [first!, ...s]), ...subsets(rest, size)];
}

/** One blinded batch answered by every keyholder, plus the single-key outputs. */
function scenario(threshold: number, total: number, keys: string[]) {
  const key = generateKeyPair(1, randomBytes);
  const { keySet, shares } = splitKey(key, threshold, total, randomBytes);
  const { state, request } = blindBatch(1, keys.map(utf8), randomBytes);
  const single = finalizeBatch(state, evaluateBatch(key, request, randomBytes), key);
  const responses = shares.map((s) => evaluateBatch(s, request, randomBytes));
  return { key, keySet, shares, state, request, single, responses };
}

const inputsArb = fc.array(
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => `SPX1|t|${s}`),
  { minLength: 1, maxLength: 3 },
);
const setArb = fc
  .integer({ min: 1, max: 5 })
  .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

describe('t-of-n keyholders', () => {
  it('combine over every t-subset to exactly the single-key outputs', () => {
    fc.assert(
      fc.property(setArb, inputsArb, ([t, n], keys) => {
        const { keySet, state, single, responses } = scenario(t, n, keys);
        expect(() => verifyKeySet(keySet)).not.toThrow();
        for (const subset of subsets(responses, t)) {
          expect(finalizeThresholdBatch(state, subset, keySet)).toEqual(single);
        }
        expect(finalizeThresholdBatch(state, [...responses].reverse(), keySet)).toEqual(single);
      }),
      { numRuns: 12 },
    );
  });

  it('reject any single flipped bit in a share’s proof or evaluated element', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.nat(),
        fc.nat(64 * 8 - 1),
        fc.nat(32 * 8 - 1),
        ([t, n], who, pBit, eBit) => {
          const { keySet, state, responses } = scenario(t, n, ['SPX1|ssn|123456789']);
          const chosen = responses.slice(0, t);
          const i = who % t;
          const victim = chosen[i]!;
          const proof = victim.proof.slice();
          proof[pBit >> 3]! ^= 1 << (pBit & 7);
          const withProof = chosen.map((r, j) => (j === i ? { ...r, proof } : r));
          expect(errorOf(() => finalizeThresholdBatch(state, withProof, keySet))).toEqual([
            'OPRF_SHARE_INVALID',
            `responses[${i}].proof`,
          ]);
          const element = victim.evaluatedElements[0]!.slice();
          element[eBit >> 3]! ^= 1 << (eBit & 7);
          const withElement = chosen.map((r, j) =>
            j === i ? { ...r, evaluatedElements: [element] } : r,
          );
          const [code] = errorOf(() => finalizeThresholdBatch(state, withElement, keySet));
          expect(['OPRF_SHARE_INVALID', 'OPRF_ELEMENT_INVALID']).toContain(code);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reject fewer than t answers, a duplicate index and indexes outside 1..n', () => {
    const { keySet, state, responses } = scenario(2, 3, ['SPX1|a', 'SPX1|b']);
    const [r1, r2] = responses as [EvaluationResponse, EvaluationResponse];
    expect(errorOf(() => finalizeThresholdBatch(state, [r1], keySet))).toEqual([
      'OPRF_THRESHOLD',
      'responses',
    ]);
    expect(errorOf(() => finalizeThresholdBatch(state, [r1, r1], keySet))).toEqual([
      'OPRF_SHARE_INVALID',
      'responses[1].shareIndex',
    ]);
    for (const shareIndex of [0, 4]) {
      expect(
        errorOf(() => finalizeThresholdBatch(state, [r1, { ...r2, shareIndex }], keySet)),
      ).toEqual(['OPRF_SHARE_INVALID', 'responses[1].shareIndex']);
    }
  });

  it('reject a share relabelled with another keyholder’s index', () => {
    const { keySet, state, responses } = scenario(2, 3, ['SPX1|a']);
    const relabelled = { ...responses[1]!, shareIndex: 3 };
    expect(
      errorOf(() => finalizeThresholdBatch(state, [responses[0]!, relabelled], keySet)),
    ).toEqual(['OPRF_SHARE_INVALID', 'responses[1].proof']);
  });

  it('reject shares whose public shares do not combine to the set’s key', () => {
    const a = scenario(2, 3, ['SPX1|a']);
    const otherKey = generateKeyPair(1, randomBytes);
    const mixed = { ...a.keySet, publicKey: otherKey.publicKey };
    expect(errorOf(() => finalizeThresholdBatch(a.state, a.responses.slice(0, 2), mixed))).toEqual([
      'OPRF_KEY_INVALID',
      'keySet.publicShares',
    ]);
    expect(errorOf(() => verifyKeySet(mixed))).toEqual(['OPRF_KEY_INVALID', 'keySet.publicKey']);
  });

  it('detect a public share that is off the polynomial', () => {
    const { keySet } = scenario(2, 4, ['SPX1|a']);
    const shares = [...keySet.publicShares];
    shares[3] = generateKeyPair(1, randomBytes).publicKey;
    expect(errorOf(() => verifyKeySet({ ...keySet, publicShares: shares }))).toEqual([
      'OPRF_KEY_INVALID',
      'keySet.publicShares[3]',
    ]);
  });

  it('refuse to split with t = 0, t > n or more than 16 keyholders', () => {
    const key = generateKeyPair(1, randomBytes);
    expect(errorOf(() => splitKey(key, 0, 3, randomBytes))).toEqual([
      'OPRF_THRESHOLD',
      'threshold',
    ]);
    expect(errorOf(() => splitKey(key, 4, 3, randomBytes))).toEqual([
      'OPRF_THRESHOLD',
      'threshold',
    ]);
    expect(errorOf(() => splitKey(key, 2, 17, randomBytes))).toEqual(['OPRF_THRESHOLD', 'total']);
  });

  it('weight shares {1,2} by λ1 = 2 and λ2 = -1 at zero', () => {
    const [l1, l2] = lagrangeCoefficientsAtZero([1, 2]).map((b) => Fn.fromBytes(b));
    expect(l1).toBe(2n);
    expect(l2).toBe(Fn.neg(1n));
  });

  it('work with key shares from a FROST DKG, where no party ever held the key', () => {
    const signers = { min: 2, max: 3 };
    const ids = [1, 2, 3].map((i) => ristretto255_FROST.Identifier.fromNumber(i));
    const r1 = ids.map((id) => ristretto255_FROST.DKG.round1(id, signers, undefined, randomBytes));
    const others = (i: number): DKG_Round1[] => r1.filter((_, j) => j !== i).map((r) => r.public);
    const r2 = r1.map((r, i) => ristretto255_FROST.DKG.round2(r.secret as DKG_Secret, others(i)));
    const keys = r1.map((r, i) => {
      const received: DKG_Round2[] = r2.filter((_, j) => j !== i).map((m) => m[ids[i]!]!);
      return ristretto255_FROST.DKG.round3(r.secret as DKG_Secret, others(i), received);
    });
    const keySet = keySetFromFrost(1, keys[0]!.public);
    const holders: OprfKeyPair[] = keys.map((k) => keyPairFromFrost(1, k));
    expect(holders.map((h) => h.shareIndex)).toEqual([1, 2, 3]);

    const { state, request } = blindBatch(1, [utf8('SPX1|ssn|123456789')], randomBytes);
    const responses = holders.map((h) => evaluateBatch(h, request, randomBytes));
    const whole = {
      epoch: 1,
      shareIndex: 1,
      secretKey: ristretto255_FROST.combineSecret(
        keys.slice(0, 2).map((k) => k.secret),
        signers,
      ),
      publicKey: keySet.publicKey,
    };
    const single = finalizeBatch(state, evaluateBatch(whole, request, randomBytes), whole);
    for (const pair of subsets(responses, 2)) {
      expect(finalizeThresholdBatch(state, pair, keySet)).toEqual(single);
    }
  });
});
