/**
 * Verification of a request token, in the order of the checklist of
 * docs/protocol.md §7.7. Pure apart from the injected key resolver
 * and replay cache; never throws on attacker input.
 *
 * Why this order: everything structural comes first and costs no lookup; the
 * signature is checked before any claim is judged, so claim-level codes are only
 * ever reported for tokens the issuer really signed; the replay cache is touched
 * last, so that only fully valid tokens consume an entry (a forged or mis-bound
 * token can neither fill the cache nor burn an honest jti).
 *
 * In two stages, so that a server reads a body only for a token its issuer signed:
 * `verifyRequestTokenHead` runs steps 1–7 and the method and path of step 8, which
 * need no body; `completeRequestToken` then checks the body hash (the rest of step 8)
 * and single use (step 9). `verifyRequestToken` runs both.
 */
import { CryptoError } from '../errors.js';
import type { RequestAuthErrorCode } from '../errors.js';
import { fail, ok } from '../result.js';
import type { Failure, Result } from '../result.js';
import { checkStatementSignature, parseStatement } from '../signing/index.js';
import type { PublicJwk } from '../signing/index.js';
import type { ReplayCache } from './replay-cache.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_REQUEST_TOKEN_LENGTH,
  MAX_REQUEST_TOKEN_LIFETIME_SECONDS,
  REQUEST_TOKEN_TYP,
  bodyHash,
  epochSeconds,
  isRequestTokenClaims,
} from './request-token.js';

/** Looks up the registered key of `issuer` with thumbprint `kid`; undefined when none. */
export type ResolveRequestKey = (
  issuer: string,
  kid: string,
) => PublicJwk | undefined | Promise<PublicJwk | undefined>;

/** What the first stage needs: everything about the request but its body. */
export interface VerifyRequestHeadInput {
  /**
   * This service's own identifier, or all of them (a keyholder reached at several base URLs,
   * §7.2.1); the token's aud must equal one of them, byte for byte.
   */
  readonly audience: string | readonly string[];
  /** The request as received. */
  readonly method: string;
  /** Path and query of the request target, as received (e.g. url.pathname + url.search). */
  readonly path: string;
  readonly now: Date | number;
  readonly resolveKey: ResolveRequestKey;
  /** Longest exp − iat accepted; defaults to (and should not exceed) 300 seconds. */
  readonly maxLifetimeSeconds?: number | undefined;
  readonly clockSkewSeconds?: number | undefined;
}

/** What the second stage needs: the body as received and the replay store. */
export interface CompleteRequestTokenInput {
  readonly body?: Uint8Array | undefined;
  readonly replayCache: ReplayCache;
}

export interface VerifyRequestTokenInput
  extends VerifyRequestHeadInput, CompleteRequestTokenInput {}

/** Who signed a verified request token, and its claims that a caller may log or keep. */
export interface VerifiedRequestToken {
  readonly issuer: string;
  readonly kid: string;
  /** Which of the receiver's identifiers the token was addressed to. */
  readonly audience: string;
  readonly jti: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type RequestTokenVerification = Result<VerifiedRequestToken, Failure<RequestAuthErrorCode>>;

/**
 * A token that passed the first stage: signed by `issuer`'s key `kid`, for this audience,
 * method and path, within its lifetime. Not yet authenticated: its body hash and single use
 * are `completeRequestToken`'s to check.
 */
export interface PendingRequestToken extends VerifiedRequestToken {
  /** The claimed body hash (§7.3). */
  readonly bodyHash: string;
  /** Until when the replay store keeps its jti: exp + skew (§7.6). */
  readonly rememberUntil: number;
  /** The time the first stage judged the token at (the replay store's clock). */
  readonly verifiedAt: number;
}

export type RequestTokenHeadVerification = Result<
  PendingRequestToken,
  Failure<RequestAuthErrorCode>
>;

const refuse = (code: RequestAuthErrorCode) => fail({ code });

/** Verifier configuration (not attacker input): a bad value is the caller's fault. */
function seconds(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError('AUTH_MALFORMED', `${field} must be a whole number of seconds`, {
      field,
    });
  }
  return value;
}

/** Steps 1–7 of §7.7 and the method and path of step 8: all that needs no body. */
export async function verifyRequestTokenHead(
  token: string,
  input: VerifyRequestHeadInput,
): Promise<RequestTokenHeadVerification> {
  const now = epochSeconds(input.now);
  const skew = seconds(input.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS, 'clockSkewSeconds');
  const maxLifetime = seconds(
    input.maxLifetimeSeconds ?? MAX_REQUEST_TOKEN_LIFETIME_SECONDS,
    'maxLifetimeSeconds',
  );

  // 1. Form: bounded size, a §6 statement of typ spx-req+jwt, exactly the claims of §7.2.
  if (typeof token !== 'string' || token.length > MAX_REQUEST_TOKEN_LENGTH) {
    return refuse('AUTH_MALFORMED');
  }
  const parsed = parseStatement(token, [REQUEST_TOKEN_TYP]);
  if (!parsed.ok) return refuse('AUTH_MALFORMED');
  const statement = parsed.value;
  const claims = statement.payload;
  if (!isRequestTokenClaims(claims)) return refuse('AUTH_MALFORMED');

  // 2. Key: registered to this issuer under this kid, from the verifier's registry only.
  const registered = await input.resolveKey(claims.iss, statement.kid);
  if (registered === undefined) return refuse('AUTH_UNKNOWN_KEY');

  // 3. Signature.
  const signed = await checkStatementSignature(statement, registered);
  if (!signed.ok) {
    return refuse(
      signed.error.code === 'SIG_UNKNOWN_KEY' ? 'AUTH_UNKNOWN_KEY' : 'AUTH_BAD_SIGNATURE',
    );
  }

  // 4. Audience: a token for one service is worthless at another.
  const audiences: readonly string[] =
    typeof input.audience === 'string' ? [input.audience] : input.audience;
  if (!audiences.includes(claims.aud)) return refuse('AUTH_AUDIENCE_MISMATCH');

  // 5–7. Time (RFC 7519 §4.1.4/§4.1.6 with leeway): short-lived, not from the future, not expired.
  if (claims.exp - claims.iat > maxLifetime) return refuse('AUTH_LIFETIME_TOO_LONG');
  if (claims.iat > now + skew) return refuse('AUTH_NOT_YET_VALID');
  if (now >= claims.exp + skew) return refuse('AUTH_EXPIRED');

  // 8, first half. Binding to this request's method, path and query.
  if (claims.htm !== input.method || claims.htp !== input.path) {
    return refuse('AUTH_BINDING_MISMATCH');
  }

  return ok({
    issuer: claims.iss,
    kid: statement.kid,
    audience: claims.aud,
    jti: claims.jti,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    bodyHash: claims.bh,
    rememberUntil: claims.exp + skew,
    verifiedAt: now,
  });
}

/** The rest of §7.7: the body hash (step 8) and single use (step 9). */
export async function completeRequestToken(
  pending: PendingRequestToken,
  input: CompleteRequestTokenInput,
): Promise<RequestTokenVerification> {
  // 8, second half. Binding to the body bytes.
  if (pending.bodyHash !== bodyHash(input.body)) return refuse('AUTH_BINDING_MISMATCH');

  // 9. Single use.
  const fresh = await input.replayCache.checkAndRemember({
    issuer: pending.issuer,
    jti: pending.jti,
    expiresAt: pending.rememberUntil,
    now: pending.verifiedAt,
  });
  if (!fresh) return refuse('AUTH_REPLAYED');

  return ok({
    issuer: pending.issuer,
    kid: pending.kid,
    audience: pending.audience,
    jti: pending.jti,
    issuedAt: pending.issuedAt,
    expiresAt: pending.expiresAt,
  });
}

/** Every step of §7.7, in order, for a request whose body is at hand. */
export async function verifyRequestToken(
  token: string,
  input: VerifyRequestTokenInput,
): Promise<RequestTokenVerification> {
  const head = await verifyRequestTokenHead(token, input);
  if (!head.ok) return head;
  return completeRequestToken(head.value, input);
}
