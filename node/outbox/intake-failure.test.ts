import { describe, expect, it } from 'vitest';
import { ClientError } from '../clients/index.js';
import type { FieldError } from '../../protocol/problem.js';
import { classifyIntakeFailure } from './intake-failure.js';

const refusal = (
  status: number | undefined,
  code: string,
  fields: string[] = [],
  retryable = false,
) =>
  new ClientError(code, code, {
    service: 'hub',
    status,
    retryable,
    errors: fields.map((field): FieldError => ({ field, code: 'invalid_value', message: code })),
  });

describe('classifyIntakeFailure', () => {
  it('retries what may have passed or may pass on its own with the ordinary backoff', () => {
    for (const e of [
      refusal(undefined, 'TIMEOUT', [], true),
      refusal(undefined, 'NETWORK_ERROR', [], true),
      refusal(503, 'UNAVAILABLE', [], true),
      refusal(429, 'RATE_LIMITED', [], true),
      refusal(200, 'RESPONSE_INVALID'),
      refusal(200, 'RESPONSE_TOO_LARGE'),
    ]) {
      expect(classifyIntakeFailure(e, 3)).toEqual({ kind: 'transient' });
    }
  });

  it('refuses the statements a problem names by position, and only those', () => {
    const e = refusal(422, 'SIG_BAD_SIGNATURE', [
      'attestations[2]',
      'attestations[0].tokens.epoch',
      'attestations[2].issuer',
    ]);
    expect(classifyIntakeFailure(e, 3)).toEqual({ kind: 'statements', positions: new Set([0, 2]) });
    const own = refusal(undefined, 'REQUEST_INVALID', ['attestations[1]']);
    expect(classifyIntakeFailure(own, 3)).toEqual({ kind: 'statements', positions: new Set([1]) });
  });

  it('takes a conflict naming no statement (a race with a concurrent batch) as transient', () => {
    expect(classifyIntakeFailure(refusal(409, 'CONFLICT'), 3)).toEqual({ kind: 'transient' });
    expect(classifyIntakeFailure(refusal(409, 'CONFLICT', ['attestations[2]']), 3)).toEqual({
      kind: 'statements',
      positions: new Set([2]),
    });
  });

  it('takes a refusal naming no statement of the batch as a refusal of the agency or request', () => {
    for (const e of [
      refusal(401, 'AUTH_EXPIRED'),
      refusal(401, 'AUTH_UNKNOWN_KEY'),
      refusal(403, 'AGENCY_SUSPENDED'),
      refusal(403, 'ROLE_REQUIRED'),
      refusal(403, 'HTTP_ERROR'),
      // A field of the request other than the batch is not about its size.
      refusal(400, 'VALIDATION_FAILED', ['extra']),
      refusal(400, 'MALFORMED_JSON'),
      // A position beyond the batch cannot be one of ours.
      refusal(422, 'SIG_MALFORMED', ['attestations[3]', 'attestations[99999999999999999999]']),
    ]) {
      expect(classifyIntakeFailure(e, 3)).toEqual({ kind: 'agency' });
    }
  });

  it('takes a refusal of the size of the batch as too large, whatever the batch holds', () => {
    for (const [e, sent] of [
      [refusal(413, 'PAYLOAD_TOO_LARGE'), 8],
      // A proxy's body limit, without a problem body.
      [refusal(413, 'HTTP_ERROR'), 8],
      [refusal(400, 'VALIDATION_FAILED', ['attestations']), 8],
      // The sender, not the classification, knows that one statement cannot be split.
      [refusal(413, 'PAYLOAD_TOO_LARGE'), 1],
    ] as const) {
      expect(classifyIntakeFailure(e, sent)).toEqual({ kind: 'too_large' });
    }
  });

  it('lets a statement the problem names win over the size of the batch', () => {
    const e = refusal(400, 'VALIDATION_FAILED', ['attestations', 'attestations[1].issuedAt']);
    expect(classifyIntakeFailure(e, 3)).toEqual({ kind: 'statements', positions: new Set([1]) });
  });
});
