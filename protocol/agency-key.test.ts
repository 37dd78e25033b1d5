import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/encoding.js';
import { AgencyKeySchema, jwkThumbprint } from './agency-key.js';
import { exampleAgencyKey } from './test-support/examples.js';
import { decodeOutcome, rejected } from './outcome.js';

describe('jwkThumbprint', () => {
  it('equals jose’s RFC 7638 SHA-256 thumbprint for any Ed25519 public key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (x) => {
        const jwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(x) } as const;
        expect(jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
      }),
      { numRuns: 50 },
    );
  });

  it('matches RFC 8037 Appendix A.3', () => {
    const jwk = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
    } as const;
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});

describe('agency key', () => {
  it('accepts a key whose kid is its thumbprint', () => {
    expect(decodeOutcome(AgencyKeySchema, exampleAgencyKey('k'))).toEqual({ ok: true });
  });

  it('rejects a kid that is not the thumbprint of the key', () => {
    const key = { ...exampleAgencyKey('k'), kid: exampleAgencyKey('other').kid };
    expect(decodeOutcome(AgencyKeySchema, key)).toEqual(
      rejected('VALIDATION_FAILED', 'kid: mismatch'),
    );
  });

  it('rejects private key material and any other member in the JWK', () => {
    const key = exampleAgencyKey('k');
    const d = toBase64url(new Uint8Array(32));
    expect(decodeOutcome(AgencyKeySchema, { ...key, jwk: { ...key.jwk, d } })).toEqual(
      rejected('VALIDATION_FAILED', 'jwk.d: unknown_field'),
    );
    expect(decodeOutcome(AgencyKeySchema, { ...key, jwk: { ...key.jwk, kid: key.kid } })).toEqual(
      rejected('VALIDATION_FAILED', 'jwk.kid: unknown_field'),
    );
  });

  it('rejects other curves and key types, and a malformed x', () => {
    const key = exampleAgencyKey('k');
    expect(decodeOutcome(AgencyKeySchema, { ...key, jwk: { ...key.jwk, crv: 'X25519' } })).toEqual(
      rejected('VALIDATION_FAILED', 'jwk.crv: invalid_value'),
    );
    expect(decodeOutcome(AgencyKeySchema, { ...key, jwk: { ...key.jwk, kty: 'EC' } })).toEqual(
      rejected('VALIDATION_FAILED', 'jwk.kty: invalid_value'),
    );
    expect(
      decodeOutcome(AgencyKeySchema, { ...key, jwk: { ...key.jwk, x: key.jwk.x.slice(1) } }),
    ).toEqual(rejected('VALIDATION_FAILED', 'jwk.x: too_short'));
    expect(decodeOutcome(AgencyKeySchema, { ...key, status: 'revoked' })).toEqual(
      rejected('VALIDATION_FAILED', 'status: invalid_value'),
    );
  });
});
