/**
 * Verification of a check answer by the requesting node (docs/protocol.md §5.8.3), in the
 * order of the spec's checklist; the first failing step decides the error code. The hub is
 * honest-but-curious, not trusted: its signature makes it accountable, and these checks make a
 * misstated summary, a swapped attestation or a verdict that does not follow detectable.
 *
 * Pure apart from the injected registry lookup: every trust anchor (the hub's keys, the
 * agencies' keys) comes in as data. Async only because WebCrypto verification is.
 */
import { isCryptoError } from '../../crypto/errors.js';
import { parseStatement, verifyStatement, type PublicKeyInfo } from '../../crypto/signing/index.js';
import { AttestationPayloadSchema, type AttestationPayload } from '../../protocol/attestation.js';
import { answerErrors, CheckAnswerSchema, type CheckAnswer } from '../../protocol/check-answer.js';
import { matchErrors, responseRequestErrors } from '../../protocol/check-match.js';
import type { CheckRequest } from '../../protocol/check-request.js';
import {
  CheckResponsePayloadSchema,
  type CheckResponsePayload,
} from '../../protocol/check-response.js';
import { safeDecode } from '../../protocol/decode.js';
import { prefixFieldErrors, type FieldError } from '../../protocol/problem.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { verifyCheckpointNote, type VerifiedCheckpoint } from '../tlog/verify-checkpoint.js';
import { verifyStatementInclusion } from '../tlog/verify-proofs.js';
import { CheckError } from './check-error.js';

/** Looks up an agency in the registry; undefined when it is not enrolled. */
export type ResolveAgency = (
  ori: string,
) => RegistryEntry | undefined | Promise<RegistryEntry | undefined>;

export interface VerifyAnswerContext {
  /** The request this node sent. */
  readonly request: CheckRequest;
  /** This node's ORI: the requester the response must name. */
  readonly requester: string;
  /** The hub's statement-signing keys (pinned from configuration, or GET /v1/hub/keys). */
  readonly hubKeys: readonly PublicKeyInfo[];
  readonly resolveAgency: ResolveAgency;
  /**
   * The transparency log's origin (SPX_NODE_LOG_ORIGIN, or first seen); undefined before the
   * node has seen any checkpoint, when the answer's own origin is taken.
   */
  readonly logOrigin?: string | undefined;
}

export interface VerifiedCheck {
  readonly payload: CheckResponsePayload;
  /** attestations[i] is the verified statement of payload.matches[i]. */
  readonly attestations: readonly AttestationPayload[];
  /** The answer as received: what goes into the hiring file. */
  readonly answer: CheckAnswer;
  /** The verified checkpoint the attestations were proved in (log.checkpoint). */
  readonly checkpoint: VerifiedCheckpoint;
}

const VERDICT_FIELD = /^(verdict|reasons)(\[|$)/;

export async function verifyCheckAnswer(
  received: unknown,
  context: VerifyAnswerContext,
): Promise<VerifiedCheck> {
  const shape = safeDecode(CheckAnswerSchema, received);
  if (!shape.ok) {
    throw new CheckError('ANSWER_MALFORMED', 'not a check answer', { errors: shape.error.errors });
  }
  const answer = shape.value;

  // 1. The hub's signature, with the check-response typ only, against the hub's keys.
  const signed = await verifyStatement(answer.response, {
    typ: STATEMENT_TYPES.checkResponse,
    resolveKey: (kid) => context.hubKeys.find((k) => k.kid === kid)?.publicJwk,
  });
  if (!signed.ok) {
    throw new CheckError('HUB_SIGNATURE_INVALID', `hub signature: ${signed.error.code}`, {
      signatureCode: signed.error.code,
      errors: [{ field: 'response', code: 'invalid_value', message: signed.error.code }],
    });
  }
  const decoded = safeDecode(CheckResponsePayloadSchema, signed.value.payload);
  if (!decoded.ok) {
    const errors = decoded.error.errors;
    const verdictOnly = errors.every((e) => e.code === 'mismatch' && VERDICT_FIELD.test(e.field));
    throw new CheckError(
      verdictOnly ? 'VERDICT_MISMATCH' : 'RESPONSE_INVALID',
      verdictOnly ? 'the verdict does not follow from the matches' : 'invalid check response',
      { errors },
    );
  }
  const payload = decoded.value;

  // 2. It answers this request.
  fail('RESPONSE_NOT_FOR_REQUEST', 'the response answers another request', [
    ...responseRequestErrors(payload, context.request, context.requester),
  ]);

  // 3. The attestations are exactly those listed, by digest.
  fail('ATTESTATION_DIGEST_MISMATCH', 'attestations differ from the response', [
    ...answerErrors(payload, answer),
  ]);

  // 4. Each attestation is its issuer's signed statement; 5. each match summarises it truly.
  // Verified all at once, so that the registry lookups of their issuers (a round trip to the
  // hub each, when not known yet) overlap; the first failure by position is the one reported.
  const settled = await Promise.allSettled(
    answer.attestations.map((jws, i) =>
      verifyAttestation(jws, `attestations[${i}]`, context.resolveAgency),
    ),
  );
  const attestations: AttestationPayload[] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'rejected') throw result.reason;
    const attestation = result.value;
    fail(
      'MATCH_MISMATCH',
      `matches[${i}] misstates its attestation`,
      prefixFieldErrors(
        `matches[${i}]`,
        matchErrors(payload.matches[i]!, attestation, context.request),
      ),
    );
    attestations.push(attestation);
  }

  // 6. The log's checkpoint is signed by the hub under our log's origin; 7. each attestation
  // is in that tree at the index given (the leaf recomputed from the statement received).
  const checkpoint = verifiedCheckpoint(answer, context);
  answer.attestations.forEach((jws, i) => {
    const proved = verifyStatementInclusion(checkpoint, jws, answer.log.inclusions[i]!);
    if (!proved.ok) {
      throw new CheckError('LOG_INCLUSION_INVALID', `attestations[${i}] is not in the log`, {
        errors: [
          { field: `log.inclusions[${i}]`, code: 'invalid_value', message: proved.error.code },
        ],
      });
    }
  });
  return { payload, attestations, answer, checkpoint };
}

function verifiedCheckpoint(answer: CheckAnswer, context: VerifyAnswerContext): VerifiedCheckpoint {
  const checked = verifyCheckpointNote(answer.log.checkpoint, {
    hubKeys: context.hubKeys,
    origin: context.logOrigin,
    witnesses: [],
    quorum: 0,
  });
  if (checked.ok) return checked.checkpoint;
  const reason = checked.alert.detail['reason'];
  throw new CheckError('LOG_CHECKPOINT_INVALID', checked.alert.message, {
    errors: [
      {
        field: 'log.checkpoint',
        code: checked.alert.code === 'LOG_ORIGIN_MISMATCH' ? 'mismatch' : 'invalid_value',
        message: typeof reason === 'string' ? reason : checked.alert.code,
      },
    ],
  });
}

function fail(code: CheckError['code'], message: string, errors: FieldError[]): void {
  if (errors.length > 0) throw new CheckError(code, message, { errors });
}

export async function verifyAttestation(
  jws: string,
  field: string,
  resolveAgency: ResolveAgency,
): Promise<AttestationPayload> {
  // The issuer is read before verification only to choose whose keys to try; the signature
  // check then binds the statement to a key registered to exactly that issuer.
  const parsed = parseStatement(jws, [STATEMENT_TYPES.attestation]);
  if (!parsed.ok) {
    throw new CheckError('ATTESTATION_SIGNATURE_INVALID', `${field}: ${parsed.error.code}`, {
      signatureCode: parsed.error.code,
      errors: [{ field, code: 'invalid_value', message: parsed.error.code }],
    });
  }
  const issuer = parsed.value.payload['issuer'];
  const entry = typeof issuer === 'string' ? await resolveAgency(issuer) : undefined;
  if (entry === undefined || entry.ori !== issuer) {
    throw new CheckError('ATTESTATION_ISSUER_UNKNOWN', `${field}: issuer not in the registry`, {
      errors: [{ field: `${field}.issuer`, code: 'invalid_value', message: 'unknown issuer' }],
    });
  }
  // Retired keys still verify statements signed before retirement (§5.3); suspension of an
  // agency does not unmake what it reported.
  let verified;
  try {
    verified = await verifyStatement(jws, {
      typ: STATEMENT_TYPES.attestation,
      resolveKey: (kid) => entry.keys.find((k) => k.kid === kid)?.jwk,
    });
  } catch (e) {
    // A registered key that is no usable Ed25519 key (KEY_INVALID) verifies nothing.
    if (!isCryptoError(e)) throw e;
    verified = { ok: false, error: { code: 'SIG_UNKNOWN_KEY' } } as const;
  }
  if (!verified.ok) {
    throw new CheckError('ATTESTATION_SIGNATURE_INVALID', `${field}: ${verified.error.code}`, {
      signatureCode: verified.error.code,
      errors: [{ field, code: 'invalid_value', message: verified.error.code }],
    });
  }
  const decoded = safeDecode(AttestationPayloadSchema, verified.value.payload);
  if (!decoded.ok) {
    throw new CheckError('ATTESTATION_INVALID', `${field} is not a valid attestation`, {
      errors: prefixFieldErrors(field, decoded.error.errors),
    });
  }
  return decoded.value;
}
