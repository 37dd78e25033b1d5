import { describe, expect, it } from 'vitest';
import { b64, craftJws, headerText } from '../../test/vectors/signing/craft.js';
import { fromBase64url, fromUtf8, toBase64url } from '../encoding.js';
import type { JsonObject } from './canonical-json.js';
import { MAX_STATEMENT_LENGTH } from './compact-jws.js';
import { signingKeyFromSeed } from './keys.js';
import type { PublicJwk, SigningKey } from './keys.js';
import { signStatement, verifyStatement } from './statement.js';

const TYP = 'spx-attestation+jws';
const signer = await signingKeyFromSeed(new Uint8Array(32).fill(1));
const stranger = await signingKeyFromSeed(new Uint8Array(32).fill(2));
const payload: JsonObject = {
  v: 1,
  category: 'termination',
  date: '2025-03-14',
  useOfForce: false,
};

function registry(...keys: SigningKey[]) {
  const lookups: string[] = [];
  const resolveKey = (kid: string): PublicJwk | undefined => {
    lookups.push(kid);
    return keys.find((k) => k.kid === kid)?.publicJwk;
  };
  return { resolveKey, lookups };
}

const verify = (jws: string, typ: string | string[] = TYP) =>
  verifyStatement(jws, { typ, resolveKey: registry(signer).resolveKey });

describe('signStatement', () => {
  it('produces a compact JWS whose header is exactly alg, kid and typ', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    const [header] = jws.split('.');
    expect(fromUtf8(fromBase64url(header!)!)).toBe(
      `{"alg":"Ed25519","kid":"${signer.kid}","typ":"${TYP}"}`,
    );
  });

  it('signs the canonical bytes, so member order in the input does not matter', async () => {
    const a = await signStatement({ a: 1, b: [2, 3] }, { typ: TYP, key: signer });
    const b = await signStatement({ b: [2, 3], a: 1 }, { typ: TYP, key: signer });
    expect(a).toBe(b);
    expect(a.split('.')[1]).toBe(b64('{"a":1,"b":[2,3]}'));
  });

  it('rejects a malformed typ', async () => {
    for (const typ of [
      '',
      'JWT',
      'spx-attestation',
      'application/spx-attestation+jws',
      'Spx+jws',
    ]) {
      await expect(signStatement(payload, { typ, key: signer })).rejects.toMatchObject({
        code: 'STATEMENT_TYP_INVALID',
        field: 'typ',
      });
    }
  });

  it('rejects payloads that are not JSON objects, naming the path', async () => {
    const sign = (p: unknown) => signStatement(p as JsonObject, { typ: TYP, key: signer });
    await expect(sign([1])).rejects.toMatchObject({ code: 'STATEMENT_NOT_JSON', field: '$' });
    await expect(sign({ at: new Date(0) })).rejects.toMatchObject({
      code: 'STATEMENT_NOT_JSON',
      field: '$.at',
    });
  });

  it('refuses to produce a statement larger than any verifier accepts', async () => {
    const big = { blob: 'a'.repeat(MAX_STATEMENT_LENGTH) };
    await expect(signStatement(big, { typ: TYP, key: signer })).rejects.toMatchObject({
      code: 'STATEMENT_TOO_LARGE',
    });
  });
});

describe('verifyStatement', () => {
  it('returns the payload, kid and typ of a valid statement', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    expect(await verify(jws)).toEqual({
      ok: true,
      value: { payload, kid: signer.kid, typ: TYP },
    });
  });

  it('accepts any of several allowed typ values', async () => {
    const jws = await signStatement(payload, { typ: 'spx-credential+jws', key: signer });
    const result = await verify(jws, [TYP, 'spx-credential+jws']);
    expect(result).toMatchObject({ ok: true, value: { typ: 'spx-credential+jws' } });
  });

  it('rejects a statement of a kind the verifier did not ask for', async () => {
    const jws = await signStatement(payload, { typ: 'spx-credential+jws', key: signer });
    expect(await verify(jws)).toEqual({ ok: false, error: { code: 'SIG_TYP_MISMATCH' } });
  });

  it('rejects input over the size bound before decoding it', async () => {
    expect(await verify('a'.repeat(MAX_STATEMENT_LENGTH + 1))).toEqual({
      ok: false,
      error: { code: 'SIG_TOO_LARGE' },
    });
  });

  it('does not throw on input of the wrong type', async () => {
    for (const junk of [undefined, null, 42, {}, ['a.b.c']]) {
      expect(await verify(junk as unknown as string)).toEqual({
        ok: false,
        error: { code: 'SIG_MALFORMED' },
      });
    }
  });

  it('never consults the registry for a key named in the header', async () => {
    const header = JSON.stringify({
      alg: 'Ed25519',
      jwk: stranger.publicJwk,
      kid: stranger.kid,
      typ: TYP,
    });
    const jws = await craftJws(stranger, header, '{"v":1}');
    const { resolveKey, lookups } = registry(signer, stranger);
    expect(await verifyStatement(jws, { typ: TYP, resolveKey })).toEqual({
      ok: false,
      error: { code: 'SIG_HEADER_INVALID' },
    });
    expect(lookups).toEqual([]);
  });

  it('reports an unknown kid, and a registry key whose thumbprint is not the kid', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: stranger });
    expect(await verify(jws)).toEqual({ ok: false, error: { code: 'SIG_UNKNOWN_KEY' } });
    const wrongKey = await verifyStatement(jws, { typ: TYP, resolveKey: () => signer.publicJwk });
    expect(wrongKey).toEqual({ ok: false, error: { code: 'SIG_UNKNOWN_KEY' } });
  });

  it('rejects a valid signature by another key under the registered kid', async () => {
    const jws = await craftJws(stranger, headerText(signer, TYP), '{"v":1}');
    expect(await verify(jws)).toEqual({ ok: false, error: { code: 'SIG_BAD_SIGNATURE' } });
  });

  it('rejects a signature of the wrong length as a bad signature', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    const cut = jws.slice(0, jws.lastIndexOf('.') + 1) + toBase64url(new Uint8Array(65));
    expect(await verify(cut)).toEqual({ ok: false, error: { code: 'SIG_BAD_SIGNATURE' } });
  });

  it('rejects a validly signed statement whose payload is not in canonical form', async () => {
    const jws = await craftJws(signer, headerText(signer, TYP), '{ "v": 1 }');
    expect(await verify(jws)).toEqual({ ok: false, error: { code: 'SIG_NOT_CANONICAL' } });
  });

  it('rejects "none" and "EdDSA" even when everything else is right', async () => {
    const none = `${b64(headerText(signer, TYP, 'none'))}.${b64('{"v":1}')}.`;
    expect(await verify(none)).toEqual({ ok: false, error: { code: 'SIG_ALG_UNSUPPORTED' } });
    const eddsa = await craftJws(signer, headerText(signer, TYP, 'EdDSA'), '{"v":1}');
    expect(await verify(eddsa)).toEqual({ ok: false, error: { code: 'SIG_ALG_UNSUPPORTED' } });
  });

  it('throws when the caller allows no typ or a malformed one', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    await expect(verify(jws, [])).rejects.toMatchObject({ code: 'STATEMENT_TYP_INVALID' });
    await expect(verify(jws, 'jwt')).rejects.toMatchObject({ code: 'STATEMENT_TYP_INVALID' });
  });

  it('throws KEY_INVALID when the registry returns an unusable key', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    const identity = toBase64url(Uint8Array.of(1, ...new Uint8Array(31)));
    const resolveKey = () => ({ kty: 'OKP', crv: 'Ed25519', x: identity }) as const;
    await expect(verifyStatement(jws, { typ: TYP, resolveKey })).rejects.toMatchObject({
      code: 'KEY_INVALID',
      field: 'x',
    });
  });

  it('accepts an asynchronous registry', async () => {
    const jws = await signStatement(payload, { typ: TYP, key: signer });
    const resolveKey = (kid: string) =>
      Promise.resolve(kid === signer.kid ? signer.publicJwk : undefined);
    expect(await verifyStatement(jws, { typ: TYP, resolveKey })).toMatchObject({ ok: true });
  });
});
