import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { loadGroup } from './backends.js';
import { RANDOM_SCALAR_INPUT_BYTES } from './batch-proof.js';
import { blindBatch, finalizeBatch } from './client.js';
import { nobleGroup, type Ristretto255Group } from './group.js';
import { loadLibsodiumGroup } from './group-libsodium.js';
import { assertKeyPair, deriveKeyPair } from './keys.js';
import { decodeEvaluationRequest, encodeEvaluationRequest } from './messages.js';
import { evaluateBatch } from './server.js';
import { Point, suite, type Rng } from './suite.js';
import { scalarRng } from '../../test/vectors/oprf/test-helpers.js';
import voprfVectors from '../../test/vectors/oprf/rfc9497-ristretto255-sha512-voprf.json' with { type: 'json' };
import { verifyShareResponse, finalizeThresholdBatch } from './threshold.js';
import { splitKey } from './key-set.js';

/** A deterministic byte stream (SHA-512 in counter mode) so failures replay. */
function seededRng(label: string): Rng {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 64) {
      out.set(sha512(utf8(`${label}|${counter++}`)).subarray(0, Math.min(64, n - i)), i);
    }
    return out;
  };
}

/** RFC 9496 Appendix A.2: encodings every implementation must reject. */
const RFC9496_INVALID = [
  // Non-canonical field encodings.
  '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // Negative field elements.
  '0100000000000000000000000000000000000000000000000000000000000000',
  '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20',
  'c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562',
  // Non-square x².
  '26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
  '4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f',
  // Negative xy value.
  '3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e',
  'a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220',
  // s = −1, which makes y = 0.
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

let libsodium: Ristretto255Group<Uint8Array>;
beforeAll(async () => {
  libsodium = await loadLibsodiumGroup();
});

describe('ristretto255 backends', () => {
  it('auto loads libsodium where its module loads; noble is there when asked for', async () => {
    const auto = await loadGroup('auto');
    expect(auto.group.name).toBe('libsodium');
    expect(auto.fallbackReason).toBeUndefined();
    expect((await loadGroup('noble')).group).toBe(nobleGroup);
  });

  it('decode the same encodings: the multiples of G, RFC 9496 invalid ones and random bytes', () => {
    const random = seededRng('decode');
    const multiples = Array.from({ length: 16 }, (_, i) =>
      i === 0 ? Point.ZERO.toBytes() : Point.BASE.multiply(BigInt(i)).toBytes(),
    );
    const invalid = RFC9496_INVALID.map(hexToBytes);
    // Random 32-byte strings are almost never encodings (≈ 1 in 8 with the sign bits cleared);
    // half have the sign and top bits cleared so that both outcomes occur often.
    const randoms = Array.from({ length: 400 }, (_, i) => {
      const b = random(32);
      if (i % 2 === 0) {
        b[0]! &= 0xfe;
        b[31]! &= 0x7f;
      }
      return b;
    });
    for (const bytes of multiples) {
      expect(libsodium.decode(bytes)).toEqual(bytes);
      expect(nobleGroup.decode(bytes)?.toBytes()).toEqual(bytes);
    }
    for (const bytes of invalid) {
      expect([bytesToHex(bytes), libsodium.decode(bytes)]).toEqual([bytesToHex(bytes), undefined]);
      expect(nobleGroup.decode(bytes)).toBeUndefined();
    }
    let accepted = 0;
    for (const bytes of randoms) {
      const a = libsodium.decode(bytes);
      const b = nobleGroup.decode(bytes);
      expect([bytesToHex(bytes), a !== undefined]).toEqual([bytesToHex(bytes), b !== undefined]);
      if (a !== undefined) accepted++;
    }
    expect(accepted).toBeGreaterThan(10);
    expect(accepted).toBeLessThan(randoms.length - 10);
  });

  it('give byte-identical evaluations and proofs to noble’s own RFC 9497 code on random batches', () => {
    const random = seededRng('batches');
    for (const size of [1, 2, 17, 256]) {
      const key = deriveKeyPair(random(32), 1 + size);
      const inputs = Array.from({ length: size }, (_, i) => utf8(`SPX1|ssn|${size}|${i}`));
      const { state, request } = blindBatch(key.epoch, inputs, random);
      const proofRandomness = random(RANDOM_SCALAR_INPUT_BYTES);
      const once: Rng = () => proofRandomness;
      const reference = suite.voprf.blindEvaluateBatch(
        key.secretKey,
        key.publicKey,
        [...request.blindedElements],
        () => proofRandomness,
      );
      const viaNoble = evaluateBatch(key, request, once, nobleGroup);
      const viaLibsodium = evaluateBatch(key, request, once, libsodium);
      for (const response of [viaNoble, viaLibsodium]) {
        expect(response.evaluatedElements).toEqual(reference.evaluated);
        expect(response.proof).toEqual(reference.proof);
      }
      // The node verifies with noble: libsodium's proof is accepted.
      expect(finalizeBatch(state, viaLibsodium, key)).toHaveLength(size);
    }
  });

  it('a proof over a wrong evaluation does not verify at the node (the check can fail)', () => {
    const random = seededRng('tamper');
    const key = deriveKeyPair(random(32), 1);
    const { state, request } = blindBatch(1, [utf8('a'), utf8('b')], random);
    const response = evaluateBatch(key, request, random, libsodium);
    const other = evaluateBatch(deriveKeyPair(random(32), 1), request, random, libsodium);
    const swapped = {
      ...response,
      evaluatedElements: [response.evaluatedElements[0]!, other.evaluatedElements[1]!],
    };
    expect(errorOf(() => finalizeBatch(state, swapped, key))[0]).toBe('OPRF_PROOF_INVALID');
  });

  it('refuse the identity, a non-canonical encoding and a short element with the same codes', () => {
    const random = seededRng('refusals');
    const key = deriveKeyPair(random(32), 1);
    const { request } = blindBatch(1, [utf8('x')], random);
    for (const bad of [new Uint8Array(32), new Uint8Array(32).fill(0xff), new Uint8Array(31)]) {
      const blindedElements = [request.blindedElements[0]!, bad];
      const run = (group: Ristretto255Group) =>
        errorOf(() => evaluateBatch(key, { epoch: 1, blindedElements }, random, group));
      expect(run(libsodium)).toEqual(['OPRF_ELEMENT_INVALID', 'blindedElements[1]']);
      expect(run(nobleGroup)).toEqual(run(libsodium));
      const json = { ...encodeEvaluationRequest(request), blindedElements: [] as string[] };
      json.blindedElements = encodeEvaluationRequest({ epoch: 1, blindedElements }).blindedElements;
      expect(errorOf(() => decodeEvaluationRequest(json, libsodium))).toEqual(run(libsodium));
    }
  });

  it('refuse a key record whose public key is not secret·G on both backends', () => {
    const random = seededRng('keys');
    const key = deriveKeyPair(random(32), 1);
    const broken = { ...key, publicKey: deriveKeyPair(random(32), 1).publicKey };
    for (const group of [nobleGroup, libsodium] as Ristretto255Group[]) {
      expect(errorOf(() => assertKeyPair(broken, group))).toEqual([
        'OPRF_KEY_INVALID',
        'key.publicKey',
      ]);
      expect(
        errorOf(() => assertKeyPair({ ...key, publicKey: new Uint8Array(32) }, group)),
      ).toEqual(['OPRF_KEY_INVALID', 'key.publicKey']);
    }
  });
});

describe('the node side (blind, verify, unblind) on each backend', () => {
  const backends = () => [nobleGroup, libsodium] as Ristretto255Group[];

  it('replays the RFC 9497 VOPRF vectors: blinded elements, proof verification, outputs', () => {
    const key = {
      epoch: 1,
      shareIndex: 1,
      publicKey: hexToBytes(voprfVectors.pkSm),
    };
    for (const group of backends()) {
      for (const v of voprfVectors.vectors) {
        const inputs = v.Input.map(hexToBytes);
        const { state, request } = blindBatch(1, inputs, scalarRng(v.Blind), group);
        expect([group.name, v.name, request.blindedElements.map(bytesToHex)]).toEqual([
          group.name,
          v.name,
          v.BlindedElement,
        ]);
        const response = {
          epoch: 1,
          shareIndex: 1,
          evaluatedElements: v.EvaluationElement.map(hexToBytes),
          proof: hexToBytes(v.Proof),
        };
        expect(finalizeBatch(state, response, key, group).map(bytesToHex)).toEqual(v.Output);
      }
    }
  });

  it('gives noble’s own outputs on random batches, and refuses a wrong evaluation or proof', () => {
    const random = seededRng('client');
    for (const size of [1, 6, 40]) {
      const key = deriveKeyPair(random(32), 1);
      const inputs = Array.from({ length: size }, (_, i) => utf8(`SPX1|ssn|${size}|${i}`));
      const blindBytes = random(RANDOM_SCALAR_INPUT_BYTES * size);
      const sameBlinds = () => {
        let at = 0;
        return (n: number) => blindBytes.slice(at, (at += n));
      };
      const reference = blindBatch(1, inputs, sameBlinds(), nobleGroup);
      const response = evaluateBatch(key, reference.request, random, nobleGroup);
      const expected = suite.voprf.finalizeBatch(
        inputs.map((input, i) => ({
          input,
          blind: reference.state.blinds[i]!,
          blinded: reference.request.blindedElements[i]!,
          evaluated: response.evaluatedElements[i]!,
        })),
        key.publicKey,
        response.proof,
      );
      for (const group of backends()) {
        const { state, request } = blindBatch(1, inputs, sameBlinds(), group);
        expect(request.blindedElements).toEqual(reference.request.blindedElements);
        expect(finalizeBatch(state, response, key, group)).toEqual(expected);
        const other = evaluateBatch(deriveKeyPair(random(32), 1), request, random, nobleGroup);
        const swapped = {
          ...response,
          evaluatedElements: [other.evaluatedElements[0]!, ...response.evaluatedElements.slice(1)],
        };
        expect(errorOf(() => finalizeBatch(state, swapped, key, group))[0]).toBe(
          'OPRF_PROOF_INVALID',
        );
        const proof = response.proof.slice();
        proof[40]! ^= 1;
        expect(errorOf(() => finalizeBatch(state, { ...response, proof }, key, group))[0]).toBe(
          'OPRF_PROOF_INVALID',
        );
        // s = 0 (libsodium refuses the product with the identity): a failed proof, not a crash.
        const zeroS = response.proof.slice();
        zeroS.fill(0, 32);
        expect(
          errorOf(() => finalizeBatch(state, { ...response, proof: zeroS }, key, group))[0],
        ).toBe('OPRF_PROOF_INVALID');
      }
    }
  });

  it('combines threshold shares to the whole key’s outputs, and refuses a bad share', () => {
    const random = seededRng('threshold-client');
    const whole = deriveKeyPair(random(32), 1);
    const { keySet, shares } = splitKey(whole, 2, 3, random);
    const inputs = [utf8('SPX1|ssn|1'), utf8('SPX1|ssn|2')];
    for (const group of backends()) {
      const { state, request } = blindBatch(1, inputs, random, group);
      const answers = [shares[0]!, shares[2]!].map((share) =>
        evaluateBatch(share, request, random, nobleGroup),
      );
      const direct = finalizeBatch(state, evaluateBatch(whole, request, random), whole, group);
      expect(finalizeThresholdBatch(state, answers, keySet, group)).toEqual(direct);
      // Shares the caller verified already (the node's tokenizer) are combined as given.
      const elements = answers.map((a) => verifyShareResponse(state, a, keySet, '', group));
      const verified = new Map(answers.map((a, i) => [a, elements[i]!]));
      expect(finalizeThresholdBatch(state, answers, keySet, group, verified)).toEqual(direct);
      const misled = new Map([...verified, [answers[1]!, elements[0]!]]);
      expect(finalizeThresholdBatch(state, answers, keySet, group, misled)).not.toEqual(direct);
      const bad = { ...answers[1]!, evaluatedElements: [...answers[0]!.evaluatedElements] };
      expect(errorOf(() => verifyShareResponse(state, bad, keySet, '', group))[0]).toBe(
        'OPRF_SHARE_INVALID',
      );
    }
  });
});
