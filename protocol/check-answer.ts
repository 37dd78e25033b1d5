/**
 * The check answer (docs/protocol.md §5.8.2): the HTTP body the hub returns for a check. It is
 * not itself signed; it carries the hub's signed response and, for each match, the reporting
 * agency's signed attestation, so the requester can verify both signatures and keep the whole
 * answer in the hiring file.
 *
 *   { "response": "<compact JWS, typ spx-check-response+jws>",
 *     "attestations": ["<compact JWS, typ spx-attestation+jws>", …],     one per match, in order
 *     "log": { "checkpoint": "<signed note>",
 *              "inclusions": [{ "index", "salt", "proof" }, …] } }     one per attestation
 *
 * attestations[i] belongs to matches[i] of the signed response: its SHA-256 digest is
 * matches[i].attestationDigest (`answerErrors`). log.inclusions[i] proves that attestations[i]
 * is in the hub's transparency log, against log.checkpoint, the hub's latest checkpoint when it
 * answered (with the witness cosignatures it had): the answer is self-contained evidence for
 * the hiring file (protocol/tlog.ts, docs/transparency.md).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { toBase64url, utf8 } from '../crypto/encoding.js';
import type { CheckResponsePayload } from './check-response.js';
import { MAX_CHECK_MATCHES } from './check-response.js';
import { CompactJwsSchema } from './common.js';
import { CheckpointNoteSchema, InclusionEvidenceSchema } from './tlog.js';
import type { FieldError } from './problem.js';

/** §6.5: no signed statement is longer than this. */
export const MAX_STATEMENT_LENGTH = 65_536;

export const CheckAnswerSchema = z.strictObject({
  response: z
    .string()
    .min(1)
    .max(MAX_STATEMENT_LENGTH)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/),
  attestations: z.array(CompactJwsSchema).max(MAX_CHECK_MATCHES),
  log: z.strictObject({
    checkpoint: CheckpointNoteSchema,
    inclusions: z.array(InclusionEvidenceSchema).max(MAX_CHECK_MATCHES),
  }),
});
export type CheckAnswer = z.infer<typeof CheckAnswerSchema>;

/**
 * base64url(SHA-256(s)) of a compact JWS string `s` (ASCII, so its UTF-8 bytes are its
 * characters): the value of `attestationDigest`.
 */
export function statementDigest(compactJws: string): string {
  return toBase64url(sha256(utf8(compactJws)));
}

/**
 * Errors where the attestations of `answer` are not exactly those the verified response
 * `payload` lists (fields name the answer's members).
 */
export function answerErrors(payload: CheckResponsePayload, answer: CheckAnswer): FieldError[] {
  if (answer.attestations.length !== payload.matches.length) {
    return [{ field: 'attestations', code: 'mismatch', message: 'one attestation per match' }];
  }
  const errors: FieldError[] = [];
  if (answer.log.inclusions.length !== answer.attestations.length) {
    errors.push({
      field: 'log.inclusions',
      code: 'mismatch',
      message: 'one inclusion proof per attestation',
    });
  }
  answer.attestations.forEach((jws, i) => {
    if (statementDigest(jws) !== payload.matches[i]!.attestationDigest) {
      errors.push({
        field: `attestations[${i}]`,
        code: 'mismatch',
        message: `digest differs from matches[${i}].attestationDigest`,
      });
    }
  });
  return errors;
}
