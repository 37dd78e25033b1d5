/**
 * Verifying one attestation statement at intake (docs/protocol.md §5.5.4, first two checks):
 * the compact JWS per §6.6 with typ `spx-attestation+jws` and a key registered to the
 * payload's own `issuer` (§6.6 step 7: "for that signer", so one agency's key cannot sign for
 * another), then the payload per §5.5.1. Failures are ProtocolErrors whose field errors sit
 * under the statement's position in the batch, `attestations[i]`.
 */
import { checkStatementSignature, parseStatement } from '../../crypto/signing/index.js';
import type { ParseResult, StatementVerifyCode } from '../../crypto/signing/index.js';
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

/** Steps 1–6 of §6.6 (no key needed): a statement's form, read once per statement. */
export function parseAttestation(jws: string): ParseResult {
  return parseStatement(jws, ATTESTATION_TYP);
}

/** The issuer a parsed statement claims, read before its signature is checked (to pick the key). */
export function claimedIssuer(parsed: ParseResult): string | undefined {
  const issuer = parsed.ok ? parsed.value.payload['issuer'] : undefined;
  return typeof issuer === 'string' ? issuer : undefined;
}

/**
 * The rest of the checks of a statement parsed by parseAttestation: the key registered to the
 * claimed issuer under the statement's kid (§6.6 step 7), the signature (steps 8–9), then the
 * payload (§5.5.1).
 */
export async function verifyParsedAttestation(
  parsed: ParseResult,
  position: string,
  registry: ReadonlyMap<string, RegistryEntry>,
): Promise<VerifiedAttestation> {
  if (!parsed.ok) throw signatureProblem(parsed.error.code, position);
  const statement = parsed.value;
  const issuer = claimedIssuer(parsed);
  const entry = issuer === undefined ? undefined : registry.get(issuer);
  const key: AgencyKey | undefined = entry?.keys.find((k) => k.kid === statement.kid);
  if (key === undefined) throw signatureProblem('SIG_UNKNOWN_KEY', position);
  const signed = await checkStatementSignature(statement, key.jwk);
  if (!signed.ok) throw signatureProblem(signed.error.code, position);
  const decoded = safeDecode(AttestationPayloadSchema, statement.payload);
  if (!decoded.ok) {
    const errors = prefixFieldErrors(position, decoded.error.errors);
    throw new ProtocolError(decoded.error.code, `${position}: ${decoded.error.message}`, {
      errors,
    });
  }
  // The key was resolved for the claimed issuer, which the decoded payload now confirms.
  return { jws: statement.jws, payload: decoded.value, key };
}

export function verifyAttestation(
  jws: string,
  position: string,
  registry: ReadonlyMap<string, RegistryEntry>,
): Promise<VerifiedAttestation> {
  return verifyParsedAttestation(parseAttestation(jws), position, registry);
}

/** Decodes a statement the hub stored earlier (it passed verifyAttestation then). */
export function storedPayload(jws: string): AttestationPayload {
  const parsed = parseStatement(jws, ATTESTATION_TYP);
  if (!parsed.ok) throw new Error(`stored statement no longer parses (${parsed.error.code})`);
  return AttestationPayloadSchema.parse(parsed.value.payload);
}
