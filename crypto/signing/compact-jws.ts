/**
 * Strict reading of a signed statement: a compact JWS (RFC 7515 §7.1) whose
 * protected header is exactly {"alg":"Ed25519","kid":…,"typ":…} and whose header
 * and payload are both the RFC 8785 canonical bytes of JSON objects, so that one
 * statement has exactly one byte form (docs/protocol.md §6.4, §6.6).
 *
 * Parsing never throws on attacker input: every failure is a result (crypto/result.ts)
 * with a code, in the order of the spec's checklist. Signature checking is separate so
 * that a caller (request authentication) can read authenticated-later claims to pick
 * the key.
 */
import { bytesEqual, fromBase64url, utf8 } from '../encoding.js';
import { fail, ok } from '../result.js';
import type { Failure, Result } from '../result.js';
import { canonicalJsonBytes, parseJsonObject } from './canonical-json.js';
import type { JsonObject } from './canonical-json.js';
import { SIGNATURE_ALG, isKidShaped } from './keys.js';
import { verificationKeyFor } from './verification-keys.js';

/** Result codes of statement verification (they are results, not thrown errors). */
export type StatementVerifyCode =
  | 'SIG_TOO_LARGE'
  | 'SIG_MALFORMED'
  | 'SIG_ALG_UNSUPPORTED'
  | 'SIG_HEADER_INVALID'
  | 'SIG_TYP_MISMATCH'
  | 'SIG_NOT_CANONICAL'
  | 'SIG_UNKNOWN_KEY'
  | 'SIG_BAD_SIGNATURE';

/** Upper bound on a compact JWS, checked before anything is decoded or parsed. */
export const MAX_STATEMENT_LENGTH = 65_536;

/** Ed25519 signatures are 64 bytes (RFC 8032 §5.1.6). */
const SIGNATURE_LENGTH = 64;

/** The only protected header members, in RFC 8785 order. */
const HEADER_MEMBERS = ['alg', 'kid', 'typ'] as const;

export interface ParsedStatement {
  readonly jws: string;
  readonly kid: string;
  readonly typ: string;
  /** Not yet authenticated until checkStatementSignature succeeds. */
  readonly payload: JsonObject;
  readonly signatureLength: number;
}

export type StatementFailure = Failure<StatementVerifyCode>;

export type ParseResult = Result<ParsedStatement, StatementFailure>;

const refuse = (code: StatementVerifyCode) => fail({ code });

/** Checklist steps 1–6 of §6.6: everything that needs no key. */
export function parseStatement(jws: unknown, allowedTyp: readonly string[]): ParseResult {
  // 1. Size, before any decoding.
  if (typeof jws !== 'string') return refuse('SIG_MALFORMED');
  if (jws.length > MAX_STATEMENT_LENGTH) return refuse('SIG_TOO_LARGE');

  // 2. Structure: three canonical base64url segments, header and payload JSON objects.
  const segments = jws.split('.');
  if (segments.length !== 3) return refuse('SIG_MALFORMED');
  const [headerB64, payloadB64, signatureB64] = segments as [string, string, string];
  const headerBytes = fromBase64url(headerB64);
  const payloadBytes = fromBase64url(payloadB64);
  const signature = fromBase64url(signatureB64);
  if (headerBytes === undefined || payloadBytes === undefined || signature === undefined) {
    return refuse('SIG_MALFORMED');
  }
  const header = parseJsonObject(headerBytes);
  const payload = parseJsonObject(payloadBytes);
  if (header === undefined || payload === undefined) return refuse('SIG_MALFORMED');

  // 3. Algorithm: only the fully-specified "Ed25519" (RFC 9864), never "none" or "EdDSA".
  if (header['alg'] !== SIGNATURE_ALG) return refuse('SIG_ALG_UNSUPPORTED');

  // 4. Header members: exactly alg, kid, typ. Anything else (crit, jwk, jku, x5c, x5u,
  //    b64, …) is refused: keys come only from the verifier's own registry.
  const names = Object.keys(header);
  if (
    names.length !== HEADER_MEMBERS.length ||
    !HEADER_MEMBERS.every((n) => Object.hasOwn(header, n))
  ) {
    return refuse('SIG_HEADER_INVALID');
  }
  const kid = header['kid'];
  const typ = header['typ'];
  if (!isKidShaped(kid) || typeof typ !== 'string') return refuse('SIG_HEADER_INVALID');

  // 5. Explicit typing (RFC 8725 §3.11): one statement kind cannot pass for another.
  if (!allowedTyp.includes(typ)) return refuse('SIG_TYP_MISMATCH');

  // 6. One byte form: header and payload are exactly their RFC 8785 serialisation.
  if (
    !bytesEqual(headerBytes, canonicalJsonBytes(header)) ||
    !bytesEqual(payloadBytes, canonicalJsonBytes(payload))
  ) {
    return refuse('SIG_NOT_CANONICAL');
  }

  return ok({ jws, kid, typ, payload, signatureLength: signature.length });
}

/**
 * Checklist steps 8–9 of §6.6, given the key the verifier's registry holds for
 * the statement's kid. A registry key that is not a valid public JWK throws
 * KEY_INVALID (a configuration fault); one whose thumbprint is not the kid means
 * the kid is unknown. The signature is Ed25519 (RFC 8032) over the JWS signing
 * input, the ASCII of `header.payload` (RFC 7515 §5.2), checked by the runtime's
 * WebCrypto with the registered key validated once (verification-keys.ts).
 */
export async function checkStatementSignature(
  statement: ParsedStatement,
  registeredJwk: unknown,
): Promise<Result<void, StatementFailure>> {
  const { kid, key } = await verificationKeyFor(registeredJwk);
  if (kid !== statement.kid) return refuse('SIG_UNKNOWN_KEY');
  if (statement.signatureLength !== SIGNATURE_LENGTH) return refuse('SIG_BAD_SIGNATURE');
  const dot = statement.jws.lastIndexOf('.');
  const signature = fromBase64url(statement.jws.slice(dot + 1));
  if (signature === undefined) return refuse('SIG_BAD_SIGNATURE');
  const signingInput = utf8(statement.jws.slice(0, dot));
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signingInput);
  return valid ? ok(undefined) : refuse('SIG_BAD_SIGNATURE');
}
