/**
 * Detached signatures over published documents (docs/protocol.md §6.9): a compact JWS whose
 * payload segment is left empty (RFC 7515 Appendix F), over the document's exact bytes. The hub
 * publishes reports far larger than a statement may be (MAX_STATEMENT_LENGTH) — a compliance
 * report over 18 000 agencies is megabytes, and a CSV is not JSON at all — so the document
 * travels as it is and the signature beside it, e.g. in an `SPX-Signature` header or a `.jws`
 * file. A verifier puts base64url(document) back between the dots and checks the JWS.
 *
 * The protected header is the statements' one: exactly {"alg":"Ed25519","kid":…,"typ":…} in
 * RFC 8785 order, typ naming the kind of document (and so its format) explicitly.
 */
import { CompactSign, compactVerify } from 'jose';
import { fromBase64url, toBase64url } from '../encoding.js';
import { fail, ok, type Result } from '../result.js';
import { parseJsonObject } from './canonical-json.js';
import { SIGNATURE_ALG, verificationKey, type PublicJwk, type SigningKey } from './keys.js';
import type { StatementVerifyCode } from './compact-jws.js';

/** A detached JWS is header + signature only: far below this. */
const MAX_DETACHED_LENGTH = 1024;

export interface DetachedHeader {
  readonly kid: string;
  readonly typ: string;
}

/** Signs `document` (its bytes as they are published); returns `header..signature`. */
export async function signDetached(
  document: Uint8Array,
  { typ, key }: { readonly typ: string; readonly key: SigningKey },
): Promise<string> {
  // Header members in insertion order alg, kid, typ: already RFC 8785 order (statement.ts).
  const jws = await new CompactSign(document)
    .setProtectedHeader({ alg: SIGNATURE_ALG, kid: key.kid, typ })
    .sign(key.privateKey);
  const [header, , signature] = jws.split('.');
  return `${header}..${signature}`;
}

/**
 * Checks a detached JWS over `document` against the signer's public key, expecting `typ`.
 * Never throws on the signature's text: a failure is a result with the statement code of the
 * first check that fails (malformed, header, typ, key, signature).
 */
export async function verifyDetached(
  document: Uint8Array,
  detached: string,
  expected: { readonly typ: string; readonly key: PublicJwk; readonly kid: string },
): Promise<Result<DetachedHeader, { code: StatementVerifyCode }>> {
  if (typeof detached !== 'string' || detached.length > MAX_DETACHED_LENGTH) {
    return fail({ code: 'SIG_MALFORMED' });
  }
  const parts = detached.split('.');
  if (parts.length !== 3 || parts[1] !== '') return fail({ code: 'SIG_MALFORMED' });
  const headerBytes = fromBase64url(parts[0]!);
  const header = headerBytes === undefined ? undefined : parseJsonObject(headerBytes);
  if (header === undefined) return fail({ code: 'SIG_MALFORMED' });
  if (header['alg'] !== SIGNATURE_ALG) return fail({ code: 'SIG_ALG_UNSUPPORTED' });
  if (Object.keys(header).join(',') !== 'alg,kid,typ') return fail({ code: 'SIG_HEADER_INVALID' });
  if (header['typ'] !== expected.typ) return fail({ code: 'SIG_TYP_MISMATCH' });
  if (header['kid'] !== expected.kid) return fail({ code: 'SIG_UNKNOWN_KEY' });
  try {
    await compactVerify(
      `${parts[0]}.${toBase64url(document)}.${parts[2]}`,
      await verificationKey(expected.key),
      { algorithms: [SIGNATURE_ALG] },
    );
  } catch {
    return fail({ code: 'SIG_BAD_SIGNATURE' });
  }
  return ok({ kid: expected.kid, typ: expected.typ });
}
