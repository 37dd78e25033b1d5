/**
 * Verifying a credential, revocation or affirmation at intake (docs/protocol.md §5.16.3, first
 * checks): the compact JWS per §6.6 with the kind's `typ`, signed by a key registered to the
 * signer the payload itself names (a body's `body`, an agency's `issuer`), then the payload.
 * Failures are ProtocolErrors whose fields sit under the submission's member (`credential`, …).
 */
import { checkStatementSignature, parseStatement } from '../../crypto/signing/index.js';
import type { StatementVerifyCode } from '../../crypto/signing/index.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import { ProtocolError, safeDecode } from '../../protocol/decode.js';
import { prefixFieldErrors, type FieldError } from '../../protocol/problem.js';
import type { z } from 'zod';

const MESSAGES: Record<StatementVerifyCode, string> = {
  SIG_TOO_LARGE: 'statement too large',
  SIG_MALFORMED: 'not a well-formed compact JWS of a JSON object',
  SIG_ALG_UNSUPPORTED: 'alg must be Ed25519',
  SIG_HEADER_INVALID: 'protected header must be exactly alg, kid, typ',
  SIG_TYP_MISMATCH: 'typ must be ',
  SIG_NOT_CANONICAL: 'header or payload is not in RFC 8785 canonical form',
  SIG_UNKNOWN_KEY: 'not signed by a key registered to its signer',
  SIG_BAD_SIGNATURE: 'signature does not verify',
};

/** A problem about the statement in `field`, or about its `member`. */
export function statementProblem(
  code: ConstructorParameters<typeof ProtocolError>[0],
  field: string,
  member: string | undefined,
  errorCode: FieldError['code'],
  message: string,
): ProtocolError {
  const at = member === undefined ? field : `${field}.${member}`;
  return new ProtocolError(code, `${at}: ${message}`, {
    errors: [{ field: at, code: errorCode, message }],
  });
}

export interface VerifiedStatement<T> {
  readonly payload: T;
  readonly key: AgencyKey;
}

/**
 * `signer` reads the signer's id from the (not yet verified) payload; `keys` resolves it to
 * the keys registered to that signer (agency or body).
 */
export async function verifySignedStatement<S extends z.ZodType>(
  jws: string,
  options: {
    readonly typ: string;
    readonly field: string;
    readonly signerMember: string;
    readonly keys: (signer: string) => Promise<readonly AgencyKey[] | undefined>;
    readonly schema: S;
  },
): Promise<VerifiedStatement<z.output<S>>> {
  const fail = (code: StatementVerifyCode) =>
    statementProblem(
      code,
      options.field,
      undefined,
      'invalid_value',
      code === 'SIG_TYP_MISMATCH' ? MESSAGES[code] + options.typ : MESSAGES[code],
    );
  const parsed = parseStatement(jws, [options.typ]);
  if (!parsed.ok) throw fail(parsed.error.code);
  const claimed = parsed.value.payload[options.signerMember];
  const keys = typeof claimed === 'string' ? await options.keys(claimed) : undefined;
  const key = keys?.find((k) => k.kid === parsed.value.kid);
  if (key === undefined) throw fail('SIG_UNKNOWN_KEY');
  const signed = await checkStatementSignature(parsed.value, key.jwk);
  if (!signed.ok) throw fail(signed.error.code);
  const decoded = safeDecode(options.schema, parsed.value.payload);
  if (!decoded.ok) {
    throw new ProtocolError(decoded.error.code, `${options.field}: ${decoded.error.message}`, {
      errors: prefixFieldErrors(options.field, decoded.error.errors),
    });
  }
  return { payload: decoded.value as z.output<S>, key };
}
