import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding.js';
import { errorOf, scalarRng, testScalar } from '../../test/vectors/oprf/test-helpers.js';
import { blindBatch, finalizeBatch } from './client.js';
import { deriveKeyPair } from './keys.js';
import { evaluateBatch } from './server.js';

const seed = utf8('SPX1 unit-test seed, 32 bytes!!!');
const key = deriveKeyPair(seed, 1);
const inputs = ['SPX1|ssn|123456789', 'SPX1|license|TX|12345678', 'SPX1|x'].map(utf8);

describe('keyholder evaluation', () => {
  it('answers a batch with one element per input, one 64-byte proof, its epoch and index', () => {
    const { request } = blindBatch(1, inputs, randomBytes);
    const response = evaluateBatch(key, request, randomBytes);
    expect(response.evaluatedElements).toHaveLength(3);
    expect(response.proof).toHaveLength(64);
    expect(response.epoch).toBe(1);
    expect(response.shareIndex).toBe(1);
  });

  it('draws the proof randomness from the injected rng only', () => {
    const { state, request } = blindBatch(1, inputs, randomBytes);
    const r = [testScalar(seed, 'r')];
    const a = evaluateBatch(key, request, scalarRng(r));
    expect(evaluateBatch(key, request, scalarRng(r)).proof).toEqual(a.proof);
    const b = evaluateBatch(key, request, randomBytes);
    expect(b.proof).not.toEqual(a.proof);
    expect(finalizeBatch(state, b, key)).toEqual(finalizeBatch(state, a, key));
  });

  it('refuses a request for another epoch', () => {
    const { request } = blindBatch(2, inputs, randomBytes);
    expect(errorOf(() => evaluateBatch(key, request, randomBytes))).toEqual([
      'OPRF_KEY_INVALID',
      'epoch',
    ]);
  });

  it('refuses an empty batch and one of more than 256 elements', () => {
    const { request } = blindBatch(1, inputs, randomBytes);
    const none = { epoch: 1, blindedElements: [] };
    const many = { epoch: 1, blindedElements: Array(257).fill(request.blindedElements[0]) };
    expect(errorOf(() => evaluateBatch(key, none, randomBytes))).toEqual([
      'OPRF_BATCH_SIZE',
      'blindedElements',
    ]);
    expect(errorOf(() => evaluateBatch(key, many, randomBytes))[0]).toBe('OPRF_BATCH_SIZE');
  });

  it('refuses the identity, a non-canonical encoding and a short element, naming it', () => {
    const { request } = blindBatch(1, inputs, randomBytes);
    for (const bad of [new Uint8Array(32), new Uint8Array(32).fill(0xff), new Uint8Array(31)]) {
      const blindedElements = [request.blindedElements[0]!, bad];
      expect(errorOf(() => evaluateBatch(key, { epoch: 1, blindedElements }, randomBytes))).toEqual(
        ['OPRF_ELEMENT_INVALID', 'blindedElements[1]'],
      );
    }
  });

  it('refuses to evaluate with a key record that does not hold together', () => {
    const { request } = blindBatch(1, inputs, randomBytes);
    const broken = { ...key, publicKey: deriveKeyPair(seed, 2).publicKey };
    expect(errorOf(() => evaluateBatch(broken, request, randomBytes))).toEqual([
      'OPRF_KEY_INVALID',
      'key.publicKey',
    ]);
  });
});
