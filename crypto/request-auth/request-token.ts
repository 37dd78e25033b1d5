/**
 * Request tokens (docs/protocol.md §7): a short-lived JWT, signed with
 * the calling party's registered Ed25519 key as a §6 signed statement of typ
 * "spx-req+jwt", bound to one HTTP request — method, path-and-query and a hash of
 * the exact body bytes — on the model of RFC 9449 DPoP proofs (htm/htu), and
 * single-use through its `jti`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import { fromBase64url, toBase64url } from '../encoding.js';
import { signStatement } from '../signing/index.js';
import type { SigningKey } from '../signing/index.js';

export const REQUEST_TOKEN_TYP = 'spx-req+jwt';
/** Tokens are small; anything longer is refused before it is parsed. */
export const MAX_REQUEST_TOKEN_LENGTH = 4096;
/** Protocol ceiling on exp − iat; verifiers may set a lower one. */
export const MAX_REQUEST_TOKEN_LIFETIME_SECONDS = 300;
export const DEFAULT_REQUEST_TOKEN_LIFETIME_SECONDS = 60;
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** 128 random bits: collisions between honest tokens are negligible. */
export const JTI_LENGTH = 16;
export const MAX_IDENTIFIER_LENGTH = 256;
export const MAX_PATH_LENGTH = 2048;

/** The claims set, member for member (RFC 8785 order). No other claim is allowed. */
export interface RequestTokenClaims {
  /** The service called (its registered identifier). */
  readonly aud: string;
  /** base64url(SHA-256(body bytes)); the hash of the empty string when there is no body. */
  readonly bh: string;
  readonly exp: number;
  /** HTTP method, upper case, exactly as on the request line. */
  readonly htm: string;
  /** Request target in origin form: path and query, exactly as sent. */
  readonly htp: string;
  readonly iat: number;
  /** The calling party's identifier (an agency's ORI, or the hub's). */
  readonly iss: string;
  readonly jti: string;
}

export const CLAIM_NAMES = ['aud', 'bh', 'exp', 'htm', 'htp', 'iat', 'iss', 'jti'] as const;

const METHOD = /^[A-Z]{1,20}$/;
// Origin form (RFC 9112 §3.2.1) restricted to visible ASCII, without a fragment.
const PATH = /^\/[\x21-\x22\x24-\x7e]*$/;

export const isMethod = (v: unknown): v is string => typeof v === 'string' && METHOD.test(v);
export const isPath = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= MAX_PATH_LENGTH && PATH.test(v);
export const isIdentifier = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_IDENTIFIER_LENGTH;

/** base64url(SHA-256(body)); no body and an empty body are the same. */
export function bodyHash(body: Uint8Array | undefined): string {
  return toBase64url(sha256(body ?? new Uint8Array(0)));
}

/** NumericDate (RFC 7519 §2) from the injected clock: whole seconds since the epoch. */
export function epochSeconds(now: Date | number): number {
  const seconds = now instanceof Date ? now.getTime() / 1000 : now;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new CryptoError('AUTH_MALFORMED', 'now must be a valid time', { field: 'now' });
  }
  return Math.floor(seconds);
}

/** Structural check of a claims set received in a token. */
export function isRequestTokenClaims(p: Record<string, unknown>): p is RequestTokenClaims & {
  [k: string]: unknown;
} {
  const names = Object.keys(p);
  return (
    names.length === CLAIM_NAMES.length &&
    CLAIM_NAMES.every((n) => Object.hasOwn(p, n)) &&
    isIdentifier(p['iss']) &&
    isIdentifier(p['aud']) &&
    Number.isSafeInteger(p['iat']) &&
    Number.isSafeInteger(p['exp']) &&
    (p['iat'] as number) >= 0 &&
    (p['exp'] as number) > (p['iat'] as number) &&
    typeof p['jti'] === 'string' &&
    fromBase64url(p['jti'])?.length === JTI_LENGTH &&
    isMethod(p['htm']) &&
    isPath(p['htp']) &&
    typeof p['bh'] === 'string' &&
    fromBase64url(p['bh'])?.length === 32
  );
}

export interface CreateRequestTokenInput {
  readonly key: SigningKey;
  readonly issuer: string;
  readonly audience: string;
  readonly method: string;
  readonly path: string;
  /** Exact body bytes as sent; omit (or empty) for no body. */
  readonly body?: Uint8Array | undefined;
  readonly now: Date | number;
  readonly lifetimeSeconds?: number | undefined;
  readonly rng: (n: number) => Uint8Array;
}

/**
 * Creates the token for one request. Throws CryptoError AUTH_MALFORMED (with the
 * offending `field`) or AUTH_LIFETIME_TOO_LONG for inputs no verifier would accept.
 */
export async function createRequestToken(input: CreateRequestTokenInput): Promise<string> {
  const { key, issuer, audience, method, path, body, rng } = input;
  const lifetime = input.lifetimeSeconds ?? DEFAULT_REQUEST_TOKEN_LIFETIME_SECONDS;
  const bad = (field: string, message: string) =>
    new CryptoError('AUTH_MALFORMED', message, { field });
  if (!isIdentifier(issuer)) throw bad('issuer', 'issuer must be a non-empty identifier');
  if (!isIdentifier(audience)) throw bad('audience', 'audience must be a non-empty identifier');
  if (!isMethod(method)) throw bad('method', 'method must be an upper-case HTTP method');
  if (!isPath(path)) throw bad('path', 'path must be an origin-form request target');
  if (body !== undefined && !(body instanceof Uint8Array)) throw bad('body', 'body must be bytes');
  if (!Number.isSafeInteger(lifetime) || lifetime < 1) {
    throw bad('lifetimeSeconds', 'lifetime must be a positive whole number of seconds');
  }
  if (lifetime > MAX_REQUEST_TOKEN_LIFETIME_SECONDS) {
    throw new CryptoError(
      'AUTH_LIFETIME_TOO_LONG',
      `lifetime may be at most ${MAX_REQUEST_TOKEN_LIFETIME_SECONDS} seconds`,
      { field: 'lifetimeSeconds' },
    );
  }
  const jtiBytes = rng(JTI_LENGTH);
  if (!(jtiBytes instanceof Uint8Array) || jtiBytes.length !== JTI_LENGTH) {
    throw bad('rng', `rng must return ${JTI_LENGTH} bytes`);
  }
  const iat = epochSeconds(input.now);
  const claims: RequestTokenClaims = {
    aud: audience,
    bh: bodyHash(body),
    exp: iat + lifetime,
    htm: method,
    htp: path,
    iat,
    iss: issuer,
    jti: toBase64url(jtiBytes),
  };
  return signStatement({ ...claims }, { typ: REQUEST_TOKEN_TYP, key });
}
