import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url, utf8 } from '../encoding.js';
import { signingKeyFromSeed } from './keys.js';
import { signDetached, verifyDetached } from './detached.js';

const TYP = 'spx-test-document+jws';
const key = await signingKeyFromSeed(new Uint8Array(32).fill(7));
const other = await signingKeyFromSeed(new Uint8Array(32).fill(8));
const document = utf8('ori,name\r\nCA0194200,"Agency, Los Angeles"\r\n');
const expected = { typ: TYP, key: key.publicJwk, kid: key.kid };

describe('detached signatures (RFC 7515 Appendix F)', () => {
  it('leave the payload out, name alg, kid and typ, and verify over the same bytes', async () => {
    const jws = await signDetached(document, { typ: TYP, key });
    const [header, payload, signature] = jws.split('.');
    expect(payload).toBe('');
    expect(fromBase64url(signature!)).toHaveLength(64);
    expect(new TextDecoder().decode(fromBase64url(header!))).toBe(
      `{"alg":"Ed25519","kid":"${key.kid}","typ":"${TYP}"}`,
    );
    expect(await verifyDetached(document, jws, expected)).toEqual({
      ok: true,
      value: { kid: key.kid, typ: TYP },
    });
  });

  it('refuse changed bytes, another typ, another key, and malformed text without throwing', async () => {
    const jws = await signDetached(document, { typ: TYP, key });
    const changed = utf8('ori,name\r\nCA0194200,"Agency, Los Angeles"\r\n ');
    const code = async (d: Uint8Array, s: string, e = expected) => {
      const result = await verifyDetached(d, s, e);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await code(changed, jws)).toBe('SIG_BAD_SIGNATURE');
    expect(await code(document, jws, { ...expected, typ: 'spx-other+jws' })).toBe(
      'SIG_TYP_MISMATCH',
    );
    expect(await code(document, jws, { typ: TYP, key: other.publicJwk, kid: other.kid })).toBe(
      'SIG_UNKNOWN_KEY',
    );
    const forged = `${jws.split('..')[0]}..${jws.split('..')[1]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    expect(await code(document, forged)).toBe('SIG_BAD_SIGNATURE');
    const attached = `${jws.split('..')[0]}.${toBase64url(document)}.${jws.split('..')[1]}`;
    expect(await code(document, attached)).toBe('SIG_MALFORMED');
    expect(await code(document, 'x'.repeat(2000))).toBe('SIG_MALFORMED');
    const extra = toBase64url(
      utf8(`{"alg":"Ed25519","b64":false,"kid":"${key.kid}","typ":"${TYP}"}`),
    );
    expect(await code(document, `${extra}..${jws.split('..')[1]}`)).toBe('SIG_HEADER_INVALID');
    const none = toBase64url(utf8(`{"alg":"none","kid":"${key.kid}","typ":"${TYP}"}`));
    expect(await code(document, `${none}..`)).toBe('SIG_ALG_UNSUPPORTED');
  });
});
