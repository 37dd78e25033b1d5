import { randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { blindBatch, finalizeBatch, finalizeElement } from './client.js';
import { deriveKeyPair } from './keys.js';
import { evaluateBatch } from './server.js';

const key = deriveKeyPair(utf8('SPX1 unit-test seed, 32 bytes!!!'), 1);
const inputs = ['SPX1|ssn|123456789', 'SPX1|last_dob|DOE|1980-01-31'].map(utf8);

function tokenize(batch: Uint8Array[]) {
  const { state, request } = blindBatch(1, batch, randomBytes);
  return finalizeBatch(state, evaluateBatch(key, request, randomBytes), key);
}

describe('node-side blinding and finalization', () => {
  it('gives the same 64-byte outputs whatever blinds are drawn', () => {
    const a = tokenize(inputs);
    const b = tokenize(inputs);
    expect(a).toEqual(b);
    expect(a[0]).toHaveLength(64);
    expect(a[0]).not.toEqual(a[1]);
  });

  it('blinds every input with its own fresh scalar', () => {
    const { state, request } = blindBatch(1, [inputs[0]!, inputs[0]!], randomBytes);
    expect(state.blinds[0]).not.toEqual(state.blinds[1]);
    expect(request.blindedElements[0]).not.toEqual(request.blindedElements[1]);
    expect(request.epoch).toBe(1);
  });

  it('keeps its own copy of the inputs', () => {
    const input = utf8('SPX1|ssn|123456789');
    const { state, request } = blindBatch(1, [input], randomBytes);
    input[5] = 0x41;
    const [out] = finalizeBatch(state, evaluateBatch(key, request, randomBytes), key);
    expect(out).toEqual(tokenize([utf8('SPX1|ssn|123456789')])[0]);
  });

  it('unblinds an evaluated element to the same output without the proof step', () => {
    const { state, request } = blindBatch(1, inputs, randomBytes);
    const response = evaluateBatch(key, request, randomBytes);
    const outputs = finalizeBatch(state, response, key);
    inputs.forEach((input, i) => {
      expect(finalizeElement(input, state.blinds[i]!, response.evaluatedElements[i]!)).toEqual(
        outputs[i],
      );
    });
  });

  it('rejects an empty batch and a batch of more than 256 inputs', () => {
    expect(errorOf(() => blindBatch(1, [], randomBytes))).toEqual(['OPRF_BATCH_SIZE', 'inputs']);
    const many = Array.from({ length: 257 }, () => inputs[0]!);
    expect(errorOf(() => blindBatch(1, many, randomBytes))).toEqual(['OPRF_BATCH_SIZE', 'inputs']);
  });

  it('rejects an empty or oversized input, naming it', () => {
    expect(errorOf(() => blindBatch(1, [inputs[0]!, new Uint8Array(0)], randomBytes))).toEqual([
      'OPRF_INPUT_INVALID',
      'inputs[1]',
    ]);
    expect(errorOf(() => blindBatch(1, [new Uint8Array(1025)], randomBytes))).toEqual([
      'OPRF_INPUT_INVALID',
      'inputs[0]',
    ]);
  });

  it('rejects a response to be checked against another epoch’s key', () => {
    const { state, request } = blindBatch(1, inputs, randomBytes);
    const response = evaluateBatch(key, request, randomBytes);
    const other = deriveKeyPair(utf8('SPX1 unit-test seed, 32 bytes!!!'), 2);
    expect(errorOf(() => finalizeBatch(state, response, other))).toEqual([
      'OPRF_KEY_INVALID',
      'key.epoch',
    ]);
  });

  it('rejects a response without a proof', () => {
    const { state, request } = blindBatch(1, inputs, randomBytes);
    const response = { ...evaluateBatch(key, request, randomBytes), proof: new Uint8Array(0) };
    expect(errorOf(() => finalizeBatch(state, response, key))).toEqual([
      'OPRF_PROOF_INVALID',
      'proof',
    ]);
  });

  it('rejects any single flipped bit in the proof or in an evaluated element', () => {
    const { state, request } = blindBatch(1, inputs, randomBytes);
    const response = evaluateBatch(key, request, randomBytes);
    fc.assert(
      fc.property(fc.nat(64 * 8 - 1), fc.nat(inputs.length * 32 * 8 - 1), (pBit, eBit) => {
        const proof = response.proof.slice();
        proof[pBit >> 3]! ^= 1 << (pBit & 7);
        expect(errorOf(() => finalizeBatch(state, { ...response, proof }, key))[0]).toBe(
          'OPRF_PROOF_INVALID',
        );
        const elements = response.evaluatedElements.map((e) => e.slice());
        elements[eBit >> 8]![(eBit >> 3) & 31]! ^= 1 << (eBit & 7);
        const [code] = errorOf(() =>
          finalizeBatch(state, { ...response, evaluatedElements: elements }, key),
        );
        expect(['OPRF_PROOF_INVALID', 'OPRF_ELEMENT_INVALID']).toContain(code);
      }),
      { numRuns: 40 },
    );
  });
});
