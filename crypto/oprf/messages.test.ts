import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../encoding.js';
import { errorOf } from '../../test/vectors/oprf/test-helpers.js';
import { blindBatch } from './client.js';
import { deriveKeyPair } from './keys.js';
import {
  decodeEvaluationRequest,
  decodeEvaluationResponse,
  encodeEvaluationRequest,
  encodeEvaluationResponse,
} from './messages.js';
import { evaluateBatch } from './server.js';

const key = deriveKeyPair(utf8('SPX1 unit-test seed, 32 bytes!!!'), 1);
const { request } = blindBatch(1, [utf8('SPX1|a'), utf8('SPX1|b')], randomBytes);
const response = evaluateBatch(key, request, randomBytes);

describe('tokenization messages', () => {
  it('round-trip through their JSON form with unpadded base64url bytes', () => {
    const reqJson = encodeEvaluationRequest(request);
    expect(reqJson.blindedElements[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeEvaluationRequest(reqJson)).toEqual(request);
    const resJson = encodeEvaluationResponse(response);
    expect(resJson.proof).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(decodeEvaluationResponse(resJson)).toEqual(response);
  });

  it('reject padded, non-base64url and wrong-length elements, naming the element', () => {
    const json = encodeEvaluationRequest(request);
    const e = json.blindedElements[0]!;
    for (const bad of [`${e}=`, e.replace(/.$/, '+'), toBase64url(new Uint8Array(33)), '']) {
      const blindedElements = [e, bad];
      expect(errorOf(() => decodeEvaluationRequest({ epoch: 1, blindedElements }))).toEqual([
        'OPRF_ELEMENT_INVALID',
        'blindedElements[1]',
      ]);
    }
  });

  it('reject empty and oversized element lists', () => {
    expect(errorOf(() => decodeEvaluationRequest({ epoch: 1, blindedElements: [] }))).toEqual([
      'OPRF_BATCH_SIZE',
      'blindedElements',
    ]);
    const many = Array(257).fill(encodeEvaluationRequest(request).blindedElements[0]);
    expect(errorOf(() => decodeEvaluationRequest({ epoch: 1, blindedElements: many }))[0]).toBe(
      'OPRF_BATCH_SIZE',
    );
  });

  it('reject a bad epoch, share index or proof', () => {
    const json = encodeEvaluationResponse(response);
    expect(errorOf(() => decodeEvaluationResponse({ ...json, epoch: 0 }))).toEqual([
      'OPRF_KEY_INVALID',
      'epoch',
    ]);
    for (const shareIndex of [0, 17, 1.5]) {
      expect(errorOf(() => decodeEvaluationResponse({ ...json, shareIndex }))).toEqual([
        'OPRF_SHARE_INVALID',
        'shareIndex',
      ]);
    }
    for (const proof of [
      `${json.proof}==`,
      json.proof.slice(2),
      toBase64url(new Uint8Array(64).fill(0xff)),
    ]) {
      expect(errorOf(() => decodeEvaluationResponse({ ...json, proof }))).toEqual([
        'OPRF_PROOF_INVALID',
        'proof',
      ]);
    }
  });
});
