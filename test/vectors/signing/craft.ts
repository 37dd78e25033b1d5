/**
 * Test-only: builds compact JWS from arbitrary header and payload *text*, with a
 * real Ed25519 signature, so that vectors and tests can show that a verifier
 * refuses a statement for the right reason even when its signature is valid
 * (non-canonical bytes, extra header members, another alg, …). Production code
 * signs only through signStatement.
 */
import { webcrypto } from 'node:crypto';
import { toBase64url, utf8 } from '../../../crypto/encoding.js';
import type { SigningKey } from '../../../crypto/signing/index.js';

export function b64(text: string | Uint8Array): string {
  return toBase64url(typeof text === 'string' ? utf8(text) : text);
}

/** Signs BASE64URL(header) "." BASE64URL(payload) (RFC 7515 §5.1) as given. */
export async function craftJws(
  key: SigningKey,
  header: string | Uint8Array,
  payload: string | Uint8Array,
): Promise<string> {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const signature = await webcrypto.subtle.sign(
    'Ed25519',
    key.privateKey as webcrypto.CryptoKey,
    utf8(signingInput),
  );
  return `${signingInput}.${toBase64url(new Uint8Array(signature))}`;
}

/** The header signStatement writes, as text. */
export function headerText(key: SigningKey, typ: string, alg = 'Ed25519'): string {
  return JSON.stringify({ alg, kid: key.kid, typ });
}

/** An rng that hands out the given bytes in order (tests replay exact vectors). */
export function fixedRng(...chunks: Uint8Array[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const chunk = chunks[i++];
    if (chunk === undefined || chunk.length !== n) throw new Error('fixedRng exhausted');
    return chunk;
  };
}

/** 0x00, 0x01, … : a readable fixed seed. */
export function counterBytes(start: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
}
