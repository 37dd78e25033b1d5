import { describe, expect, it } from 'vitest';
import { decodeJson, encodeMessage } from './decode.js';
import {
  exampleB64,
  exampleTokenizationRequest,
  exampleTokenizationResponse,
} from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';
import {
  MAX_TOKENIZATION_BATCH,
  tokenizationResponseSchemaFor,
  TokenizationRequestSchema,
  TokenizationResponseSchema,
} from './tokenization.js';

const ok = { ok: true };

describe('tokenization request', () => {
  it('round-trips through JSON', () => {
    const r = exampleTokenizationRequest();
    expect(
      decodeJson(TokenizationRequestSchema, encodeMessage(TokenizationRequestSchema, r)),
    ).toEqual(r);
  });

  it('carries 1..256 blindedElements elements of 32 bytes', () => {
    expect(
      decodeOutcome(TokenizationRequestSchema, exampleTokenizationRequest(MAX_TOKENIZATION_BATCH)),
    ).toEqual(ok);
    expect(decodeOutcome(TokenizationRequestSchema, { epoch: 1, blindedElements: [] })).toEqual(
      rejected('VALIDATION_FAILED', 'blindedElements: too_few'),
    );
    expect(
      decodeOutcome(
        TokenizationRequestSchema,
        exampleTokenizationRequest(MAX_TOKENIZATION_BATCH + 1),
      ),
    ).toEqual(rejected('VALIDATION_FAILED', 'blindedElements: too_many'));
    const r = exampleTokenizationRequest(2);
    expect(
      decodeOutcome(TokenizationRequestSchema, {
        ...r,
        blindedElements: [r.blindedElements[0], exampleB64('x', 33)],
      }),
    ).toEqual(rejected('VALIDATION_FAILED', 'blindedElements[1]: too_long'));
    expect(decodeOutcome(TokenizationRequestSchema, { ...r, epoch: 0 })).toEqual(
      rejected('VALIDATION_FAILED', 'epoch: too_small'),
    );
  });
});

describe('tokenization response', () => {
  it('round-trips through JSON', () => {
    const r = exampleTokenizationResponse();
    expect(
      decodeJson(TokenizationResponseSchema, encodeMessage(TokenizationResponseSchema, r)),
    ).toEqual(r);
  });

  it('carries a share index 1..255 and a 64-byte proof', () => {
    const r = exampleTokenizationResponse();
    expect(decodeOutcome(TokenizationResponseSchema, { ...r, shareIndex: 255 })).toEqual(ok);
    expect(decodeOutcome(TokenizationResponseSchema, { ...r, shareIndex: 0 })).toEqual(
      rejected('VALIDATION_FAILED', 'shareIndex: too_small'),
    );
    expect(decodeOutcome(TokenizationResponseSchema, { ...r, proof: exampleB64('p', 32) })).toEqual(
      rejected('VALIDATION_FAILED', 'proof: too_short'),
    );
    expect(decodeOutcome(TokenizationResponseSchema, { ...r, proofs: [r.proof] })).toEqual(
      rejected('VALIDATION_FAILED', 'proofs: unknown_field'),
    );
  });

  it('must answer its request: same epoch, one evaluatedElements element per blindedElements element', () => {
    const request = exampleTokenizationRequest(3);
    const schema = tokenizationResponseSchemaFor(request);
    expect(decodeOutcome(schema, exampleTokenizationResponse(3))).toEqual(ok);
    expect(decodeOutcome(schema, exampleTokenizationResponse(2))).toEqual(
      rejected('VALIDATION_FAILED', 'evaluatedElements: mismatch'),
    );
    expect(decodeOutcome(schema, { ...exampleTokenizationResponse(3), epoch: 2 })).toEqual(
      rejected('VALIDATION_FAILED', 'epoch: mismatch'),
    );
  });
});
