import { describe, expect, it } from 'vitest';
import { craftJws } from '../../test/vectors/signing/craft.js';
import { utf8 } from '../encoding.js';
import { canonicalJson, signStatement, signingKeyFromSeed } from '../signing/index.js';
import type { JsonObject, PublicJwk } from '../signing/index.js';
import { MemoryReplayCache } from './replay-cache.js';
import type { ReplayEntry } from './replay-cache.js';
import {
  MAX_REQUEST_TOKEN_LENGTH,
  REQUEST_TOKEN_TYP,
  bodyHash,
  createRequestToken,
} from './request-token.js';
import { verifyRequestToken } from './verify-request-token.js';
import type { VerifyRequestTokenInput } from './verify-request-token.js';

const caller = await signingKeyFromSeed(new Uint8Array(32).fill(5));
const stranger = await signingKeyFromSeed(new Uint8Array(32).fill(6));
const T = 1_767_225_600;
const ISSUER = 'VA0000001';
const HUB = 'https://hub.spx.example';
const body = utf8('{"category":"termination"}');

let jtiCounter = 0;
const create = (over: Partial<Parameters<typeof createRequestToken>[0]> = {}) =>
  createRequestToken({
    key: caller,
    issuer: ISSUER,
    audience: HUB,
    method: 'POST',
    path: '/v1/attestations',
    body,
    now: T,
    lifetimeSeconds: 60,
    rng: (n) => new Uint8Array(n).fill(++jtiCounter),
    ...over,
  });

const resolveKey = (issuer: string, kid: string): PublicJwk | undefined =>
  issuer === ISSUER && kid === caller.kid ? caller.publicJwk : undefined;

const inputs = (over: Partial<VerifyRequestTokenInput> = {}): VerifyRequestTokenInput => ({
  audience: HUB,
  method: 'POST',
  path: '/v1/attestations',
  body,
  now: T + 5,
  resolveKey,
  replayCache: new MemoryReplayCache(),
  ...over,
});

describe('verifyRequestToken', () => {
  it('accepts a fresh token for this request and reports who sent it', async () => {
    const token = await create();
    const result = await verifyRequestToken(token, inputs());
    expect(result).toMatchObject({
      ok: true,
      value: { issuer: ISSUER, kid: caller.kid, issuedAt: T },
    });
    expect(result.ok && result.value.expiresAt).toBe(T + 60);
  });

  it('accepts the clock as a Date', async () => {
    const token = await create();
    const result = await verifyRequestToken(token, inputs({ now: new Date((T + 5) * 1000) }));
    expect(result.ok).toBe(true);
  });

  it('accepts a token once and refuses it the second time', async () => {
    const token = await create();
    const replayCache = new MemoryReplayCache();
    expect((await verifyRequestToken(token, inputs({ replayCache }))).ok).toBe(true);
    expect(await verifyRequestToken(token, inputs({ replayCache }))).toEqual({
      ok: false,
      error: { code: 'AUTH_REPLAYED' },
    });
  });

  it('remembers the jti until exp plus skew, with the issuer', async () => {
    const token = await create();
    const entries: ReplayEntry[] = [];
    const replayCache = { checkAndRemember: async (e: ReplayEntry) => (entries.push(e), true) };
    await verifyRequestToken(token, inputs({ replayCache, clockSkewSeconds: 10 }));
    expect(entries).toEqual([
      { issuer: ISSUER, jti: expect.any(String), expiresAt: T + 60 + 10, now: T + 5 },
    ]);
  });

  it('does not spend a replay-cache entry on a token that fails any other check', async () => {
    const token = await create();
    const replayCache = new MemoryReplayCache();
    const failures = [
      inputs({ replayCache, audience: 'https://keyholder.spx.example' }),
      inputs({ replayCache, now: T + 3600 }),
      inputs({ replayCache, body: utf8('{}') }),
      inputs({ replayCache, resolveKey: () => undefined }),
    ];
    for (const failing of failures) {
      expect((await verifyRequestToken(token, failing)).ok).toBe(false);
    }
    expect(replayCache.size).toBe(0);
    expect((await verifyRequestToken(token, inputs({ replayCache }))).ok).toBe(true);
  });

  it("accepts a token addressed to any one of the receiver's identifiers, and says which", async () => {
    const token = await create({ audience: 'https://kh2.spx.example' });
    const own = ['https://kh2.spx.example', 'https://kh2.internal.example'];
    const result = await verifyRequestToken(token, inputs({ audience: own }));
    expect(result).toMatchObject({ ok: true, value: { audience: 'https://kh2.spx.example' } });
    const other = await verifyRequestToken(
      token,
      inputs({ audience: ['https://kh1.spx.example', 'https://kh3.spx.example'] }),
    );
    expect(other).toEqual({ ok: false, error: { code: 'AUTH_AUDIENCE_MISMATCH' } });
    // Byte for byte: normalizing URLs is the caller's and the receiver's job (audienceOfUrl).
    const slash = await verifyRequestToken(token, inputs({ audience: 'https://kh2.spx.example/' }));
    expect(slash).toEqual({ ok: false, error: { code: 'AUTH_AUDIENCE_MISMATCH' } });
    expect(await verifyRequestToken(token, inputs({ audience: [] }))).toEqual({
      ok: false,
      error: { code: 'AUTH_AUDIENCE_MISMATCH' },
    });
  });

  it('applies the clock skew on both sides, and nowhere else', async () => {
    const token = await create();
    const at = (now: number) => verifyRequestToken(token, inputs({ now, clockSkewSeconds: 10 }));
    expect((await at(T - 10)).ok).toBe(true);
    expect(await at(T - 11)).toEqual({ ok: false, error: { code: 'AUTH_NOT_YET_VALID' } });
    expect((await at(T + 69)).ok).toBe(true);
    expect(await at(T + 70)).toEqual({ ok: false, error: { code: 'AUTH_EXPIRED' } });
  });

  it('uses 30 seconds of skew and a 300-second lifetime ceiling by default', async () => {
    const token = await create({ lifetimeSeconds: 300 });
    expect((await verifyRequestToken(token, inputs())).ok).toBe(true);
    const late = await verifyRequestToken(token, inputs({ now: T + 330 }));
    expect(late).toEqual({ ok: false, error: { code: 'AUTH_EXPIRED' } });
    const short = await verifyRequestToken(token, inputs({ maxLifetimeSeconds: 299 }));
    expect(short).toEqual({ ok: false, error: { code: 'AUTH_LIFETIME_TOO_LONG' } });
  });

  it('binds method, path with query, and body bytes', async () => {
    const token = await create({ method: 'PUT', path: '/v1/a?b=1', body: undefined });
    const check = (over: Partial<VerifyRequestTokenInput>) =>
      verifyRequestToken(
        token,
        inputs({ method: 'PUT', path: '/v1/a?b=1', body: undefined, ...over }),
      );
    expect((await check({})).ok).toBe(true);
    const mismatch = { ok: false, error: { code: 'AUTH_BINDING_MISMATCH' } };
    expect(await check({ method: 'POST' })).toEqual(mismatch);
    expect(await check({ path: '/v1/a' })).toEqual(mismatch);
    expect(await check({ path: '/v1/a?b=1&c=2' })).toEqual(mismatch);
    expect(await check({ body: utf8(' ') })).toEqual(mismatch);
    expect((await check({ body: new Uint8Array(0) })).ok).toBe(true);
  });

  it('looks the key up by issuer and kid, and never trusts a key it was not given', async () => {
    const token = await create({ key: stranger });
    expect(await verifyRequestToken(token, inputs())).toEqual({
      ok: false,
      error: { code: 'AUTH_UNKNOWN_KEY' },
    });
    const otherIssuer = await create({ issuer: 'VA0000002' });
    expect(await verifyRequestToken(otherIssuer, inputs())).toEqual({
      ok: false,
      error: { code: 'AUTH_UNKNOWN_KEY' },
    });
  });

  it('reports a bad signature before judging any claim', async () => {
    const claims: JsonObject = {
      aud: 'https://elsewhere.example',
      bh: bodyHash(undefined),
      exp: 10,
      htm: 'GET',
      htp: '/',
      iat: 1,
      iss: ISSUER,
      jti: 'A'.repeat(22),
    };
    const header = JSON.stringify({ alg: 'Ed25519', kid: caller.kid, typ: REQUEST_TOKEN_TYP });
    const forged = await craftJws(stranger, header, canonicalJson(claims));
    expect(await verifyRequestToken(forged, inputs())).toEqual({
      ok: false,
      error: { code: 'AUTH_BAD_SIGNATURE' },
    });
  });

  it('treats every structural fault, including a statement of another kind, as malformed', async () => {
    const statement = await signStatement({ v: 1 }, { typ: 'spx-attestation+jws', key: caller });
    for (const token of [statement, '', 'a.b.c', 'x'.repeat(MAX_REQUEST_TOKEN_LENGTH + 1)]) {
      expect(await verifyRequestToken(token, inputs())).toEqual({
        ok: false,
        error: { code: 'AUTH_MALFORMED' },
      });
    }
  });

  it('throws on a verifier configuration that makes no sense', async () => {
    const token = await create();
    await expect(verifyRequestToken(token, inputs({ clockSkewSeconds: -1 }))).rejects.toMatchObject(
      { code: 'AUTH_MALFORMED', field: 'clockSkewSeconds' },
    );
    await expect(
      verifyRequestToken(token, inputs({ maxLifetimeSeconds: 1.5 })),
    ).rejects.toMatchObject({ code: 'AUTH_MALFORMED', field: 'maxLifetimeSeconds' });
  });

  it('works with an asynchronous registry and replay cache', async () => {
    const token = await create();
    const memory = new MemoryReplayCache();
    const result = await verifyRequestToken(
      token,
      inputs({
        resolveKey: async (i, k) => resolveKey(i, k),
        replayCache: { checkAndRemember: async (e) => memory.checkAndRemember(e) },
      }),
    );
    expect(result.ok).toBe(true);
  });
});
