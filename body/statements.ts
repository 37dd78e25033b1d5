/**
 * A credentialing body's statements (docs/protocol.md §5.16): built from what the body's staff
 * type, checked here as the hub will check them — so a mistake is named before anything is
 * signed or sent — and signed with the body's key. No I/O.
 */
import { signStatement, type JsonObject, type SigningKey } from '../crypto/signing/index.js';
import { formatTimestamp } from '../protocol/common.js';
import {
  credentialValidUntil,
  CredentialPayloadSchema,
  CredentialRevocationPayloadSchema,
  dateInFuture,
  standardsProblem,
  type CredentialPayload,
  type CredentialRevocationPayload,
} from '../protocol/credential.js';
import { CURRENT_STANDARDS_LIST_VERSION } from '../protocol/credential-standards.js';
import { decodeMessage, ProtocolError } from '../protocol/decode.js';
import { newStatementId, type Rng } from '../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';

export interface CredentialInput {
  readonly body: string;
  readonly ori: string;
  readonly assessedOn: string;
  /** Standards met and not met, by identifier (credential-standards.ts). */
  readonly met: readonly string[];
  readonly notMet: readonly string[];
  readonly standardsList?: number;
}

function problem(
  code: ConstructorParameters<typeof ProtocolError>[0],
  field: string,
  message: string,
) {
  return new ProtocolError(code, `${field}: ${message}`, {
    errors: [{ field, code: 'not_allowed', message }],
  });
}

/**
 * The credential payload, checked: schema, standards against their list, the assessment not
 * in the future and not older than 36 months. Throws ProtocolError with the hub's codes.
 */
export function credentialPayload(input: CredentialInput, now: Date, rng: Rng): CredentialPayload {
  const both = input.met.filter((id) => input.notMet.includes(id));
  if (both.length > 0) {
    throw problem('VALIDATION_FAILED', 'standards', `${both.join(', ')} both met and not met`);
  }
  const standards: Record<string, boolean> = {};
  for (const id of input.notMet) standards[id] = false;
  for (const id of input.met) standards[id] = true;
  const payload = decodeMessage(CredentialPayloadSchema, {
    v: PROTOCOL_VERSION,
    id: newStatementId(now.getTime(), rng),
    body: input.body,
    ori: input.ori,
    standardsList: input.standardsList ?? CURRENT_STANDARDS_LIST_VERSION,
    standards,
    assessedOn: input.assessedOn,
    issuedAt: formatTimestamp(now),
  });
  const standardsError = standardsProblem(payload, 'credential');
  if (standardsError !== undefined) throw standardsError;
  const today = now.toISOString().slice(0, 10);
  const future = dateInFuture(payload.assessedOn, payload.issuedAt, today);
  if (future !== undefined) throw problem('DATE_IN_FUTURE', 'assessedOn', future);
  const until = credentialValidUntil(payload.assessedOn);
  if (until < today) {
    throw problem(
      'CREDENTIAL_EXPIRED',
      'assessedOn',
      `an assessment of ${payload.assessedOn} counted until ${until}`,
    );
  }
  return payload;
}

export function revocationPayload(
  input: { body: string; credential: string; reason: string },
  now: Date,
  rng: Rng,
): CredentialRevocationPayload {
  return decodeMessage(CredentialRevocationPayloadSchema, {
    v: PROTOCOL_VERSION,
    id: newStatementId(now.getTime(), rng),
    body: input.body,
    credential: input.credential,
    reason: input.reason,
    issuedAt: formatTimestamp(now),
  });
}

export function signCredential(payload: CredentialPayload, key: SigningKey): Promise<string> {
  return signStatement(payload as unknown as JsonObject, { typ: STATEMENT_TYPES.credential, key });
}

export function signRevocation(
  payload: CredentialRevocationPayload,
  key: SigningKey,
): Promise<string> {
  return signStatement(payload as unknown as JsonObject, {
    typ: STATEMENT_TYPES.credentialRevocation,
    key,
  });
}
