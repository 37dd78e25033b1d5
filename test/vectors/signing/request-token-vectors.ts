/**
 * Golden vectors for request tokens (docs/protocol.md §7). Every case
 * carries the verifier's inputs and the expected outcome, written by hand from
 * the spec's checklist; only tokens are computed.
 */
import { fromBase64url, toBase64url, utf8 } from '../../../crypto/encoding.js';
import type { RequestAuthErrorCode } from '../../../crypto/errors.js';
import {
  REQUEST_TOKEN_TYP,
  bodyHash,
  createRequestToken,
} from '../../../crypto/request-auth/index.js';
import { canonicalJson, signStatement, signingKeyFromSeed } from '../../../crypto/signing/index.js';
import type { JsonObject, SigningKey } from '../../../crypto/signing/index.js';
import { counterBytes, craftJws, fixedRng } from './craft.js';

/** Seeds: 0x40..0x5f (the registered caller) and 0x60..0x7f (an unregistered key). */
export const CALLER_SEED = counterBytes(0x40, 32);
export const STRANGER_SEED = counterBytes(0x60, 32);
export const ISSUER = 'VA0000001';
export const AUDIENCE = 'https://hub.spx.example';
/** Two keyholders of one set: each has the audience of its own base URL (§7.2.1). */
export const KEYHOLDER_1 = 'https://kh1.spx.example';
export const KEYHOLDER_2 = 'https://kh2.spx.example';
/** 2026-01-01T00:00:00Z */
export const T0 = 1_767_225_600;
const SKEW = 30;
const MAX_LIFETIME = 300;

export interface CreateInputs {
  issuer: string;
  audience: string;
  method: string;
  path: string;
  body: string | null;
  now: number;
  lifetimeSeconds: number;
  jti: string;
}

export interface VerifyInputs {
  /** The receiver's own identifier, or all of them (§7.2.1: a keyholder at several URLs). */
  audience: string | string[];
  method: string;
  path: string;
  /** base64url of the body bytes, or null for no body. */
  body: string | null;
  now: number;
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
  /** (issuer, jti) pairs already in the replay cache. */
  seen: { issuer: string; jti: string }[];
}

export type Expected =
  | {
      ok: true;
      issuer: string;
      kid: string;
      audience: string;
      jti: string;
      issuedAt: number;
      expiresAt: number;
    }
  | { ok: false; code: RequestAuthErrorCode };

export interface RequestTokenCase {
  name: string;
  /** Present when the token is an ordinary createRequestToken output. */
  create: CreateInputs | null;
  token: string;
  verify: VerifyInputs;
  expected: Expected;
}

export interface RequestTokenVectors {
  description: string;
  caller: { seed: string; publicJwk: object; kid: string };
  registry: { issuer: string; kid: string; publicJwk: object }[];
  cases: RequestTokenCase[];
}

const POST_BODY = toBase64url(utf8('{"example":true}'));
const jti = (n: number) => toBase64url(counterBytes(n, 16));

const base: CreateInputs = {
  issuer: ISSUER,
  audience: AUDIENCE,
  method: 'POST',
  path: '/v1/attestations',
  body: POST_BODY,
  now: T0,
  lifetimeSeconds: 60,
  jti: jti(0x80),
};
const getInputs: CreateInputs = {
  ...base,
  method: 'GET',
  path: '/v1/checks/7Hn2?purpose=hiring&page=2',
  body: null,
  jti: jti(0x90),
};

const verifyFor = (c: CreateInputs, over: Partial<VerifyInputs> = {}): VerifyInputs => ({
  audience: c.audience,
  method: c.method,
  path: c.path,
  body: c.body,
  now: c.now,
  maxLifetimeSeconds: MAX_LIFETIME,
  clockSkewSeconds: SKEW,
  seen: [],
  ...over,
});

function create(key: SigningKey, c: CreateInputs): Promise<string> {
  const body = c.body === null ? undefined : fromBase64url(c.body);
  return createRequestToken({
    key,
    issuer: c.issuer,
    audience: c.audience,
    method: c.method,
    path: c.path,
    body,
    now: c.now,
    lifetimeSeconds: c.lifetimeSeconds,
    rng: fixedRng(fromBase64url(c.jti)!),
  });
}

/** Claims exactly as createRequestToken writes them for `base` (for hand-made variants). */
const baseClaims = (): JsonObject => ({
  aud: AUDIENCE,
  bh: bodyHash(fromBase64url(POST_BODY)),
  exp: T0 + 60,
  htm: 'POST',
  htp: '/v1/attestations',
  iat: T0,
  iss: ISSUER,
  jti: base.jti,
});

export async function buildRequestTokenVectors(): Promise<RequestTokenVectors> {
  const caller = await signingKeyFromSeed(CALLER_SEED);
  const stranger = await signingKeyFromSeed(STRANGER_SEED);
  const ok = (c: CreateInputs): Expected => ({
    ok: true,
    issuer: c.issuer,
    kid: caller.kid,
    audience: c.audience,
    jti: c.jti,
    issuedAt: c.now,
    expiresAt: c.now + c.lifetimeSeconds,
  });
  const no = (code: RequestAuthErrorCode): Expected => ({ ok: false, code });
  const exp = T0 + 60;

  const cases: RequestTokenCase[] = [];
  const made = async (name: string, c: CreateInputs, v: VerifyInputs, expected: Expected) =>
    cases.push({ name, create: c, token: await create(caller, c), verify: v, expected });
  const signed = async (name: string, token: string, v: VerifyInputs, expected: Expected) =>
    cases.push({ name, create: null, token, verify: v, expected });
  const claimsToken = (claims: JsonObject, typ = REQUEST_TOKEN_TYP) =>
    signStatement(claims, { typ, key: caller });

  await made(
    'POST with a body, verified 10 s after issue',
    base,
    verifyFor(base, { now: T0 + 10 }),
    ok(base),
  );
  await made(
    'GET without a body, path with a query',
    getInputs,
    verifyFor(getInputs),
    ok(getInputs),
  );
  await made(
    'last second of the skew window after exp',
    base,
    verifyFor(base, { now: exp + SKEW - 1 }),
    ok(base),
  );
  await made(
    'expired: exp + skew reached',
    base,
    verifyFor(base, { now: exp + SKEW }),
    no('AUTH_EXPIRED'),
  );
  await made(
    'issued in the future within the skew',
    base,
    verifyFor(base, { now: T0 - SKEW }),
    ok(base),
  );
  await made(
    'issued in the future beyond the skew',
    base,
    verifyFor(base, { now: T0 - SKEW - 1 }),
    no('AUTH_NOT_YET_VALID'),
  );
  const long = { ...base, lifetimeSeconds: 300 };
  await made(
    'lifetime longer than this verifier allows',
    long,
    verifyFor(long, { maxLifetimeSeconds: 120 }),
    no('AUTH_LIFETIME_TOO_LONG'),
  );
  await made(
    'audience of another service',
    base,
    verifyFor(base, { audience: 'https://keyholder.spx.example' }),
    no('AUTH_AUDIENCE_MISMATCH'),
  );
  await made(
    'another method',
    base,
    verifyFor(base, { method: 'PUT' }),
    no('AUTH_BINDING_MISMATCH'),
  );
  await made(
    'another query',
    base,
    verifyFor(base, { path: '/v1/attestations?x=1' }),
    no('AUTH_BINDING_MISMATCH'),
  );
  await made(
    'path differs in case',
    base,
    verifyFor(base, { path: '/V1/attestations' }),
    no('AUTH_BINDING_MISMATCH'),
  );
  await made(
    'another body',
    base,
    verifyFor(base, { body: toBase64url(utf8('{"example":false}')) }),
    no('AUTH_BINDING_MISMATCH'),
  );
  await made('body dropped', base, verifyFor(base, { body: null }), no('AUTH_BINDING_MISMATCH'));
  await made(
    'jti already seen from this issuer',
    base,
    verifyFor(base, { seen: [{ issuer: ISSUER, jti: base.jti }] }),
    no('AUTH_REPLAYED'),
  );
  await made(
    'same jti seen from another issuer only',
    base,
    verifyFor(base, { seen: [{ issuer: 'VA0000002', jti: base.jti }] }),
    ok(base),
  );
  const unregistered = { ...base, issuer: 'VA0000002' };
  await made(
    'issuer without this key',
    unregistered,
    verifyFor(unregistered),
    no('AUTH_UNKNOWN_KEY'),
  );
  // §7.2.1: every keyholder has its own audience, so a token one accepted is refused by the rest.
  const forKeyholder1 = { ...base, path: '/v1/evaluate', audience: KEYHOLDER_1, jti: jti(0xa0) };
  await made(
    'keyholder 1 accepts the token addressed to it',
    forKeyholder1,
    verifyFor(forKeyholder1),
    ok(forKeyholder1),
  );
  await made(
    'keyholder 2 refuses the token addressed to keyholder 1',
    forKeyholder1,
    verifyFor(forKeyholder1, { audience: KEYHOLDER_2 }),
    no('AUTH_AUDIENCE_MISMATCH'),
  );
  await made(
    'a keyholder reached at two base URLs accepts either audience',
    forKeyholder1,
    verifyFor(forKeyholder1, { audience: ['https://kh1.internal.example', KEYHOLDER_1] }),
    ok(forKeyholder1),
  );
  await made(
    'audiences compare byte for byte: a trailing slash is another audience',
    forKeyholder1,
    verifyFor(forKeyholder1, { audience: `${KEYHOLDER_1}/` }),
    no('AUTH_AUDIENCE_MISMATCH'),
  );
  const shared = { ...forKeyholder1, audience: 'spx-keyholder', jti: jti(0xb0) };
  await made(
    'the audience once shared by all keyholders is refused',
    shared,
    verifyFor(shared, { audience: [KEYHOLDER_1] }),
    no('AUTH_AUDIENCE_MISMATCH'),
  );
  // Order of the checklist: audience before time, binding before replay.
  await made(
    'expired and for another audience: audience is checked first',
    base,
    verifyFor(base, { audience: 'https://keyholder.spx.example', now: exp + SKEW }),
    no('AUTH_AUDIENCE_MISMATCH'),
  );
  await made(
    'replayed and another body: binding is checked first',
    base,
    verifyFor(base, { body: null, seen: [{ issuer: ISSUER, jti: base.jti }] }),
    no('AUTH_BINDING_MISMATCH'),
  );

  const header = JSON.stringify({ alg: 'Ed25519', kid: caller.kid, typ: REQUEST_TOKEN_TYP });
  await signed(
    'registered kid, signed by another key',
    await craftJws(stranger, header, canonicalJson(baseClaims())),
    verifyFor(base),
    no('AUTH_BAD_SIGNATURE'),
  );
  await signed(
    'signed statement of another typ',
    await claimsToken(baseClaims(), 'spx-attestation+jws'),
    verifyFor(base),
    no('AUTH_MALFORMED'),
  );
  await signed(
    'extra claim (nbf)',
    await claimsToken({ ...baseClaims(), nbf: T0 }),
    verifyFor(base),
    no('AUTH_MALFORMED'),
  );
  const { bh: _bh, ...noBodyHash } = baseClaims();
  await signed('missing bh', await claimsToken(noBodyHash), verifyFor(base), no('AUTH_MALFORMED'));
  await signed(
    'exp equal to iat',
    await claimsToken({ ...baseClaims(), exp: T0 }),
    verifyFor(base),
    no('AUTH_MALFORMED'),
  );
  await signed(
    'jti of 8 bytes',
    await claimsToken({ ...baseClaims(), jti: toBase64url(counterBytes(0x80, 8)) }),
    verifyFor(base),
    no('AUTH_MALFORMED'),
  );
  await signed(
    'lower-case method',
    await claimsToken({ ...baseClaims(), htm: 'post' }),
    verifyFor(base, { method: 'post' }),
    no('AUTH_MALFORMED'),
  );
  await signed(
    'iat not an integer',
    await claimsToken({ ...baseClaims(), iat: T0 + 0.5 }),
    verifyFor(base),
    no('AUTH_MALFORMED'),
  );

  return {
    description:
      'Request tokens (docs/protocol.md §7). resolveKey(issuer, kid) answers from ' +
      '`registry` only; the replay cache starts with verify.seen; body is base64url of the ' +
      'exact bytes or null. Tokens with `create` are reproduced by createRequestToken with ' +
      'an rng returning the jti bytes.',
    caller: { seed: toBase64url(CALLER_SEED), publicJwk: { ...caller.publicJwk }, kid: caller.kid },
    registry: [{ issuer: ISSUER, kid: caller.kid, publicJwk: { ...caller.publicJwk } }],
    cases,
  };
}
