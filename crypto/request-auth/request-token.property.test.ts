import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../encoding.js';
import { signingKeyFromSeed } from '../signing/index.js';
import { MemoryReplayCache } from './replay-cache.js';
import { createRequestToken } from './request-token.js';
import { verifyRequestToken } from './verify-request-token.js';

const key = await signingKeyFromSeed(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
const T = 1_767_225_600;
const ISSUER = 'VA0000001';
const AUDIENCE = 'https://hub.spx.example';
const resolveKey = (issuer: string, kid: string) =>
  issuer === ISSUER && kid === key.kid ? key.publicJwk : undefined;

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
const pathChar = fc.constantFrom(...'abcXYZ019-._~/?=&%+'.split(''));
const path = fc.string({ unit: pathChar, maxLength: 40 }).map((s) => `/${s}`);
const body = fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined });
const request = fc.record({ method, path, body });

async function tokenFor(r: { method: string; path: string; body: Uint8Array | undefined }) {
  return createRequestToken({
    key,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...r,
    now: T,
    rng: (n) => new Uint8Array(n).fill(7),
  });
}

const verifyAs = (token: string, r: { method: string; path: string; body?: Uint8Array }) =>
  verifyRequestToken(token, {
    audience: AUDIENCE,
    ...r,
    now: T,
    resolveKey,
    replayCache: new MemoryReplayCache(),
  });

const sameBody = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  bytesEqual(a ?? new Uint8Array(0), b ?? new Uint8Array(0));

describe('request tokens (properties)', () => {
  it('a token verifies for exactly the request it was made for', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        expect((await verifyAs(await tokenFor(r), r)).ok).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('any change of method, path or body fails with AUTH_BINDING_MISMATCH', async () => {
    await fc.assert(
      fc.asyncProperty(request, request, async (signed, presented) => {
        fc.pre(
          signed.method !== presented.method ||
            signed.path !== presented.path ||
            !sameBody(signed.body, presented.body),
        );
        const result = await verifyAs(await tokenFor(signed), presented);
        expect(result).toEqual({ ok: false, error: { code: 'AUTH_BINDING_MISMATCH' } });
      }),
      { numRuns: 200 },
    );
  });

  it('flipping any single bit of the body fails verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (bytes, index, bit) => {
          const token = await tokenFor({ method: 'POST', path: '/v1/x', body: bytes });
          const changed = Uint8Array.from(bytes);
          changed[index % changed.length]! ^= 1 << bit;
          const result = await verifyAs(token, { method: 'POST', path: '/v1/x', body: changed });
          expect(result).toEqual({ ok: false, error: { code: 'AUTH_BINDING_MISMATCH' } });
        },
      ),
      { numRuns: 100 },
    );
  });
});
