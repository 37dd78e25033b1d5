/**
 * Signed statements (docs/protocol.md §6): attestations, certifications,
 * check answers, … are compact JWS, Ed25519, over the RFC 8785 canonical JSON of
 * the statement, with an explicit `typ` per statement kind and `kid` = RFC 7638
 * thumbprint of the signer's registered key.
 */
import { CompactSign } from 'jose';
import { CryptoError } from '../errors.js';
import { fail, ok } from '../result.js';
import type { Result } from '../result.js';
import { canonicalJsonBytes } from './canonical-json.js';
import type { JsonObject } from './canonical-json.js';
import { MAX_STATEMENT_LENGTH, checkStatementSignature, parseStatement } from './compact-jws.js';
import type { StatementFailure } from './compact-jws.js';
import { SIGNATURE_ALG } from './keys.js';
import type { PublicJwk, SigningKey } from './keys.js';

/**
 * A `typ` value (RFC 7515 §4.1.9 with the "application/" prefix omitted):
 * lower-case, starting with "spx-" by convention of this protocol but not
 * required, ending in "+jws" (statements) or "+jwt" (JWT claim sets).
 */
const TYP = /^[a-z][a-z0-9.-]{0,62}\+(?:jws|jwt)$/;

export function isValidTyp(typ: unknown): typ is string {
  return typeof typ === 'string' && TYP.test(typ);
}

function assertTyp(typ: unknown): asserts typ is string {
  if (!isValidTyp(typ)) {
    throw new CryptoError('STATEMENT_TYP_INVALID', 'typ must look like "spx-kind+jws"', {
      field: 'typ',
    });
  }
}

export interface SignStatementOptions {
  readonly typ: string;
  readonly key: SigningKey;
}

/**
 * Signs `payload` (a JSON object) and returns the compact JWS. Throws
 * STATEMENT_NOT_JSON (field = path of the offending value), STATEMENT_TYP_INVALID
 * or STATEMENT_TOO_LARGE (the result would exceed MAX_STATEMENT_LENGTH, which
 * every verifier refuses).
 */
export async function signStatement(
  payload: JsonObject,
  { typ, key }: SignStatementOptions,
): Promise<string> {
  assertTyp(typ);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new CryptoError('STATEMENT_NOT_JSON', 'a statement must be a JSON object', {
      field: '$',
    });
  }
  const bytes = canonicalJsonBytes(payload);
  // jose serialises the header with JSON.stringify in insertion order; alg, kid, typ
  // is already RFC 8785 order and the values are plain strings, so the header bytes
  // are canonical too (verifiers check this, §6.6 step 6).
  const jws = await new CompactSign(bytes)
    .setProtectedHeader({ alg: SIGNATURE_ALG, kid: key.kid, typ })
    .sign(key.privateKey);
  if (jws.length > MAX_STATEMENT_LENGTH) {
    throw new CryptoError(
      'STATEMENT_TOO_LARGE',
      `a signed statement may be at most ${MAX_STATEMENT_LENGTH} characters`,
      { field: '$' },
    );
  }
  return jws;
}

/** Looks up the registered public key for a kid; undefined when there is none. */
export type ResolveStatementKey = (
  kid: string,
) => PublicJwk | undefined | Promise<PublicJwk | undefined>;

export interface VerifyStatementOptions {
  /** The statement kind(s) this verifier accepts. */
  readonly typ: string | readonly string[];
  readonly resolveKey: ResolveStatementKey;
}

export interface VerifiedStatement {
  readonly payload: JsonObject;
  readonly kid: string;
  readonly typ: string;
}

export type StatementVerification = Result<VerifiedStatement, StatementFailure>;

/**
 * Verifies a compact JWS statement, following the §6.6 checklist in order.
 * Never throws on attacker input; throws STATEMENT_TYP_INVALID if the allowed
 * `typ` list itself is malformed, and KEY_INVALID if `resolveKey` returns a key
 * that is not a valid Ed25519 public JWK (both are the caller's faults).
 */
export async function verifyStatement(
  jws: string,
  { typ, resolveKey }: VerifyStatementOptions,
): Promise<StatementVerification> {
  const allowed: readonly string[] = typeof typ === 'string' ? [typ] : typ;
  if (allowed.length === 0) {
    throw new CryptoError('STATEMENT_TYP_INVALID', 'at least one typ must be allowed', {
      field: 'typ',
    });
  }
  allowed.forEach(assertTyp);

  const parsed = parseStatement(jws, allowed);
  if (!parsed.ok) return parsed;
  const statement = parsed.value;

  // 7. The key comes from the verifier's registry, by kid — never from the message.
  const registered = await resolveKey(statement.kid);
  if (registered === undefined) return fail({ code: 'SIG_UNKNOWN_KEY' });

  const checked = await checkStatementSignature(statement, registered);
  if (!checked.ok) return checked;
  return ok({ payload: statement.payload, kid: statement.kid, typ: statement.typ });
}
