/**
 * Verifying one attestation statement at intake (docs/protocol.md §5.5.4, first two checks):
 * the compact JWS per §6.6 with typ `spx-attestation+jws` and a key registered to the
 * payload's own `issuer` (§6.6 step 7: "for that signer", so one agency's key cannot sign for
 * another), then the payload per §5.5.1. Failures are ProtocolErrors whose field errors sit
 * under the statement's position in the batch, `attestations[i]`.
 */
import { parseStatement, verifyStatement } from '../../crypto/signing/index.js';
import type { StatementVerifyCode } from '../../crypto/signing/index.js';
import { AttestationPayloadSchema, type AttestationPayload } from '../../protocol/attestation.js';
import { ProtocolError, safeDecode } from '../../protocol/decode.js';
import { prefixFieldErrors, type FieldError } from '../../protocol/problem.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';

const ATTESTATION_TYP = [STATEMENT_TYPES.attestation];

export interface VerifiedAttestation {
  readonly jws: string;
  readonly payload: AttestationPayload;
  /** The registered key that verified the signature (active or retired). */
  readonly key: AgencyKey;
}

const SIGNATURE_MESSAGES: Record<StatementVerifyCode, string> = {
  SIG_TOO_LARGE: 'statement too large',
  SIG_MALFORMED: 'not a well-formed compact JWS of a JSON object',
  SIG_ALG_UNSUPPORTED: 'alg must be Ed25519',
  SIG_HEADER_INVALID: 'protected header must be exactly alg, kid, typ',
  SIG_TYP_MISMATCH: 'typ must be spx-attestation+jws',
  SIG_NOT_CANONICAL: 'header or payload is not in RFC 8785 canonical form',
  SIG_UNKNOWN_KEY: 'not signed by a key registered to the issuer',
  SIG_BAD_SIGNATURE: 'signature does not verify',
};

/** A problem about the statement at `position` as a whole, or about one of its members. */
export function statementProblem(
  code: ConstructorParameters<typeof ProtocolError>[0],
  position: string,
  error: Omit<FieldError, 'field'> & { readonly member?: string },
): ProtocolError {
  const field = error.member === undefined ? position : `${position}.${error.member}`;
  return new ProtocolError(code, `${field}: ${error.message}`, {
    errors: [{ field, code: error.code, message: error.message }],
  });
}

export function signatureProblem(code: StatementVerifyCode, position: string): ProtocolError {
  return statementProblem(code, position, {
    code: 'invalid_value',
    message: SIGNATURE_MESSAGES[code],
  });
}

/** The issuer a statement claims, read before its signature is checked (to pick the key). */
export function claimedIssuer(jws: string): string | undefined {
  const parsed = parseStatement(jws, ATTESTATION_TYP);
  const issuer = parsed.ok ? parsed.value.payload['issuer'] : undefined;
  return typeof issuer === 'string' ? issuer : undefined;
}

export async function verifyAttestation(
  jws: string,
  position: string,
  registry: ReadonlyMap<string, RegistryEntry>,
): Promise<VerifiedAttestation> {
  const issuer = claimedIssuer(jws);
  const entry = issuer === undefined ? undefined : registry.get(issuer);
  let key: AgencyKey | undefined;
  const verified = await verifyStatement(jws, {
    typ: ATTESTATION_TYP,
    resolveKey: (kid) => {
      key = entry?.keys.find((k) => k.kid === kid);
      return key?.jwk;
    },
  });
  if (!verified.ok) throw signatureProblem(verified.error.code, position);
  const decoded = safeDecode(AttestationPayloadSchema, verified.value.payload);
  if (!decoded.ok) {
    const errors = prefixFieldErrors(position, decoded.error.errors);
    throw new ProtocolError(decoded.error.code, `${position}: ${decoded.error.message}`, {
      errors,
    });
  }
  // The key was resolved for the claimed issuer, which the decoded payload now confirms.
  return { jws, payload: decoded.value, key: key! };
}

/** Decodes a statement the hub stored earlier (it passed verifyAttestation then). */
export function storedPayload(jws: string): AttestationPayload {
  const parsed = parseStatement(jws, ATTESTATION_TYP);
  if (!parsed.ok) throw new Error(`stored statement no longer parses (${parsed.error.code})`);
  return AttestationPayloadSchema.parse(parsed.value.payload);
}
