/**
 * Conformance: every vector file of test/vectors/signing/ (see its README.md).
 * Published RFC values are reproduced; golden vectors are rebuilt from their
 * fixed seeds and compared, then every case is run through the verifiers.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { CompactSign, calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { fromBase64url, utf8 } from '../../crypto/encoding.js';
import {
  MemoryReplayCache,
  audienceOfUrl,
  createRequestToken,
  verifyRequestToken,
} from '../../crypto/request-auth/index.js';
import {
  canonicalJson,
  importPublicJwk,
  signStatement,
  signDetached,
  signingKeyFromSeed,
  verifyDetached,
  verifyStatement,
} from '../../crypto/signing/index.js';
import type { PublicJwk } from '../../crypto/signing/index.js';
import { GENERATED } from '../vectors/signing/generate.js';
import type { AudienceVectors } from '../vectors/signing/audience-vectors.js';
import type { DetachedVectors } from '../vectors/signing/detached-vectors.js';
import type { RequestTokenVectors } from '../vectors/signing/request-token-vectors.js';
import type { StatementVectors } from '../vectors/signing/statement-vectors.js';
import { fixedRng } from '../vectors/signing/craft.js';

const dir = new URL('../vectors/signing/', import.meta.url);
const load = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T;

const HANDLED = [
  'audiences.json',
  'detached.json',
  'request-tokens.json',
  'rfc7638.json',
  'rfc8037.json',
  'rfc8785.json',
  'statements.json',
];

it('every vector file of the signing area has a runner here', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  expect(files).toEqual(HANDLED);
});

describe('RFC 8037 Appendix A (Ed25519 in JOSE)', () => {
  const v = load<{
    privateJwk: Record<string, string>;
    publicJwk: PublicJwk;
    thumbprintSha256: string;
    signing: { protectedHeader: string; payload: string; compact: string };
  }>('rfc8037.json');

  it('derives the published public key and thumbprint from the private key d (A.1–A.3)', async () => {
    const key = await signingKeyFromSeed(fromBase64url(v.privateJwk['d']!)!);
    expect(key.publicJwk).toEqual(v.publicJwk);
    expect(key.kid).toBe(v.thumbprintSha256);
    expect((await importPublicJwk(v.publicJwk)).kid).toBe(v.thumbprintSha256);
  });

  it('reproduces the published A.4 JWS with jose and the seed-derived key', async () => {
    const key = await signingKeyFromSeed(fromBase64url(v.privateJwk['d']!)!);
    const jws = await new CompactSign(utf8(v.signing.payload))
      .setProtectedHeader(JSON.parse(v.signing.protectedHeader) as { alg: string })
      .sign(key.privateKey);
    expect(jws).toBe(v.signing.compact);
    const pub = await importJWK({ ...v.publicJwk }, 'EdDSA');
    await expect(compactVerify(v.signing.compact, pub)).resolves.toBeDefined();
  });

  // Structure is checked before alg (§6.6), so the text payload is what fails first; the
  // "EdDSA" refusal has its own vector in statements.json.
  it('refuses the A.4 JWS as a statement: its payload is text, not a JSON object', async () => {
    const result = await verifyStatement(v.signing.compact, {
      typ: 'spx-example+jws',
      resolveKey: () => v.publicJwk,
    });
    expect(result).toEqual({ ok: false, error: { code: 'SIG_MALFORMED' } });
  });
});

describe('RFC 7638 §3.1 (JWK thumbprint)', () => {
  const v = load<{ jwk: Record<string, string>; thumbprintSha256: string }>('rfc7638.json');
  it('jose computes the published thumbprint of the example RSA key', async () => {
    expect(await calculateJwkThumbprint(v.jwk, 'sha256')).toBe(v.thumbprintSha256);
  });
});

describe('RFC 8785 (JSON Canonicalization Scheme)', () => {
  const v = load<{
    documents: { name: string; input: string; canonical: string; utf8Hex?: string }[];
    numbers: { ieee754: string; canonical?: string }[];
  }>('rfc8785.json');

  for (const doc of v.documents) {
    it(`canonicalises the ${doc.name} as published`, () => {
      const canonical = canonicalJson(JSON.parse(doc.input));
      expect(canonical).toBe(doc.canonical);
      if (doc.utf8Hex !== undefined) {
        expect(Buffer.from(utf8(canonical)).toString('hex')).toBe(doc.utf8Hex);
      }
    });
  }

  const fromBits = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);
  for (const n of v.numbers) {
    if (n.canonical !== undefined) {
      it(`serialises the binary64 value ${n.ieee754} as ${n.canonical}`, () => {
        expect(canonicalJson(fromBits(n.ieee754))).toBe(n.canonical);
      });
    } else {
      it(`refuses the non-finite binary64 value ${n.ieee754}`, () => {
        expect(() => canonicalJson({ n: fromBits(n.ieee754) })).toThrow(
          expect.objectContaining({ code: 'STATEMENT_NOT_JSON', field: '$.n' }),
        );
      });
    }
  }
});

describe('signed statement golden vectors', async () => {
  const v = load<StatementVectors>('statements.json');
  const signer = await signingKeyFromSeed(fromBase64url(v.signer.seed)!);
  const resolveKey = (kid: string) =>
    kid === v.signer.kid ? (v.signer.publicJwk as PublicJwk) : undefined;

  it('are reproduced exactly by generate.ts', async () => {
    expect(await GENERATED['statements.json']()).toEqual(v);
  });

  for (const c of v.valid) {
    it(`signs and verifies the valid case: ${c.name}`, async () => {
      expect(canonicalJson(c.payload)).toBe(c.canonical);
      expect(await signStatement(c.payload, { typ: c.typ, key: signer })).toBe(c.jws);
      const result = await verifyStatement(c.jws, { typ: c.typ, resolveKey });
      expect(result).toEqual({
        ok: true,
        value: { payload: c.payload, kid: v.signer.kid, typ: c.typ },
      });
    });
  }

  for (const c of v.invalid) {
    it(`rejects with ${c.code}: ${c.name}`, async () => {
      const result = await verifyStatement(c.jws, { typ: c.allowedTyp, resolveKey });
      expect(result).toEqual({ ok: false, error: { code: c.code } });
    });
  }
});

describe('request token golden vectors', async () => {
  const v = load<RequestTokenVectors>('request-tokens.json');
  const caller = await signingKeyFromSeed(fromBase64url(v.caller.seed)!);
  const resolveKey = (issuer: string, kid: string) =>
    v.registry.find((r) => r.issuer === issuer && r.kid === kid)?.publicJwk as
      PublicJwk | undefined;
  const bytes = (b64: string | null) => (b64 === null ? undefined : fromBase64url(b64));

  it('are reproduced exactly by generate.ts', async () => {
    expect(await GENERATED['request-tokens.json']()).toEqual(v);
  });

  for (const c of v.cases) {
    it(`verifies to ${c.expected.ok ? 'ok' : c.expected.code}: ${c.name}`, async () => {
      if (c.create !== null) {
        const { jti, body, ...rest } = c.create;
        const token = await createRequestToken({
          ...rest,
          key: caller,
          body: bytes(body),
          rng: fixedRng(fromBase64url(jti)!),
        });
        expect(token).toBe(c.token);
      }
      const replayCache = new MemoryReplayCache();
      for (const s of c.verify.seen) {
        replayCache.checkAndRemember({ ...s, expiresAt: c.verify.now + 3600, now: c.verify.now });
      }
      const { body, seen: _seen, ...inputs } = c.verify;
      const result = await verifyRequestToken(c.token, {
        ...inputs,
        body: bytes(body),
        resolveKey,
        replayCache,
      });
      // The vectors record the outcome flat ({ ok, ...claims } or { ok: false, code }).
      expect(result.ok ? { ok: true, ...result.value } : { ok: false, ...result.error }).toEqual(
        c.expected,
      );
    });
  }
});

describe('audience of a base URL (§7.2.1)', () => {
  const v = load<AudienceVectors>('audiences.json');

  it('are reproduced exactly by generate.ts', async () => {
    expect(await GENERATED['audiences.json']()).toEqual(v);
  });

  for (const c of v.valid) {
    it(`gives ${c.audience}: ${c.name}`, () => {
      expect(audienceOfUrl(c.baseUrl)).toBe(c.audience);
    });
  }

  for (const c of v.invalid) {
    it(`refuses with ${c.code}: ${c.name}`, () => {
      expect(() => audienceOfUrl(c.baseUrl)).toThrow(
        expect.objectContaining({ code: c.code, field: 'baseUrl' }),
      );
    });
  }
});

describe('detached signatures over published documents (§6.9)', async () => {
  const v = load<DetachedVectors>('detached.json');
  const signer = await signingKeyFromSeed(fromBase64url(v.signer.seed)!);
  const expected = (typ: string) => ({
    typ,
    key: v.signer.publicJwk as PublicJwk,
    kid: v.signer.kid,
  });

  it('are reproduced exactly by generate.ts', async () => {
    expect(await GENERATED['detached.json']()).toEqual(v);
  });

  for (const c of v.valid) {
    it(`signs and verifies the exact bytes: ${c.name}`, async () => {
      const bytes = utf8(c.document);
      expect(fromBase64url(c.documentBase64url)).toEqual(bytes);
      expect(await signDetached(bytes, { typ: c.typ, key: signer })).toBe(c.signature);
      expect(await verifyDetached(bytes, c.signature, expected(c.typ))).toEqual({
        ok: true,
        value: { kid: v.signer.kid, typ: c.typ },
      });
      // With the payload put back it is an ordinary compact JWS over the document's bytes.
      const key = await importJWK(v.signer.publicJwk as PublicJwk, 'Ed25519');
      expect((await compactVerify(c.attached, key)).payload).toEqual(bytes);
    });
  }

  for (const c of v.invalid) {
    it(`refuses with ${c.code}: ${c.name}`, async () => {
      const result = await verifyDetached(utf8(c.document), c.signature, expected(c.typ));
      expect(result).toEqual({ ok: false, error: { code: c.code } });
    });
  }
});
