import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../crypto/encoding.js';
import {
  answerErrors,
  CheckAnswerSchema,
  MAX_STATEMENT_LENGTH,
  statementDigest,
} from './check-answer.js';
import { MAX_CHECK_MATCHES } from './check-response.js';
import {
  exampleAttestation,
  exampleAttestationJws,
  exampleCheckpointNote,
  exampleCheckRequest,
  exampleInclusionEvidence,
  exampleCheckResponse,
  exampleJws,
  exampleMatch,
} from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';

const A = exampleAttestation();
const B = exampleAttestation({
  id: '0190f1c2-3b4a-7c5d-8e6f-7081ffffffff',
  category: 'suspension',
});
const payload = exampleCheckResponse(exampleCheckRequest(), [
  exampleMatch(A, ['ssn'], 'strong'),
  exampleMatch(B, ['name_dob'], 'moderate'),
]);
const response = exampleJws('spx-check-response+jws', payload, 'hub');
const answer = {
  response,
  attestations: [exampleAttestationJws(A), exampleAttestationJws(B)],
  log: {
    checkpoint: exampleCheckpointNote(9),
    inclusions: [exampleInclusionEvidence(3, 9), exampleInclusionEvidence(8, 9)],
  },
};
const fields = (errors: { field: string; code: string }[]) =>
  errors.map((e) => `${e.field}: ${e.code}`);

describe('statementDigest', () => {
  it('is the unpadded base64url SHA-256 of the compact JWS characters', () => {
    expect(statementDigest('a.b.c')).toBe(toBase64url(sha256(utf8('a.b.c'))));
    // SHA-256("abc"), FIPS 180-2 Appendix B.1.
    expect(statementDigest('abc')).toBe(
      toBase64url(hexToBytes('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')),
    );
  });
});

describe('check answer', () => {
  it('carries the signed response and one attestation per match', () => {
    expect(decodeOutcome(CheckAnswerSchema, answer)).toEqual({ ok: true });
    expect(answerErrors(payload, answer)).toEqual([]);
  });

  it('refuses attestations that are not exactly the ones the response lists, in order', () => {
    expect(
      fields(
        answerErrors(payload, { ...answer, attestations: [...answer.attestations].reverse() }),
      ),
    ).toEqual(['attestations[0]: mismatch', 'attestations[1]: mismatch']);
    expect(
      fields(answerErrors(payload, { ...answer, attestations: answer.attestations.slice(1) })),
    ).toEqual(['attestations: mismatch']);
    const altered = exampleAttestationJws({ ...A, useOfForce: false });
    expect(
      fields(
        answerErrors(payload, { ...answer, attestations: [altered, answer.attestations[1]!] }),
      ),
    ).toEqual(['attestations[0]: mismatch']);
  });

  it('bounds the response to the statement limit and the attestations to the match limit', () => {
    const longResponse = `${'a'.repeat(MAX_STATEMENT_LENGTH)}.b.${'c'.repeat(86)}`;
    expect(decodeOutcome(CheckAnswerSchema, { ...answer, response: longResponse })).toEqual(
      rejected('VALIDATION_FAILED', 'response: too_long'),
    );
    const many = Array.from({ length: MAX_CHECK_MATCHES + 1 }, () => answer.attestations[0]!);
    expect(decodeOutcome(CheckAnswerSchema, { ...answer, attestations: many })).toEqual(
      rejected('VALIDATION_FAILED', 'attestations: too_many'),
    );
    expect(decodeOutcome(CheckAnswerSchema, { response, log: answer.log })).toEqual(
      rejected('VALIDATION_FAILED', 'attestations: required'),
    );
  });

  it('carries the log checkpoint and one inclusion proof per attestation', () => {
    const { log: _log, ...bare } = answer;
    expect(decodeOutcome(CheckAnswerSchema, bare)).toEqual(
      rejected('VALIDATION_FAILED', 'log: required'),
    );
    const one = { ...answer, log: { ...answer.log, inclusions: [answer.log.inclusions[0]!] } };
    expect(decodeOutcome(CheckAnswerSchema, one)).toEqual({ ok: true });
    expect(fields(answerErrors(payload, one))).toEqual(['log.inclusions: mismatch']);
    const badSalt = { ...answer.log.inclusions[0]!, salt: 'x' };
    expect(
      decodeOutcome(CheckAnswerSchema, {
        ...answer,
        log: { ...answer.log, inclusions: [badSalt, answer.log.inclusions[1]] },
      }),
    ).toEqual(rejected('VALIDATION_FAILED', 'log.inclusions[0].salt: too_short'));
  });
});
