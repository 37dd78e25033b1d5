import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  checkSigner,
  formatSignerKey,
  formatVerifierKey,
  noteKeyHash,
  noteSigner,
  noteVerifierKey,
  parseSignerKey,
  parseVerifierKey,
} from './keys.js';
import { toBase64 } from './text.js';

const seed = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff);
// golang.org/x/mod/sumdb/note note_test.go
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, field } = e as { code: string; field: string };
    return { code, field };
  }
  return undefined;
};

/** A vkey with a correctly computed hash, so that only the key bytes are at fault. */
function vkeyWithHash(name: string, type: number, key: Uint8Array): string {
  const hash = bytesToHex(noteKeyHash(name, type as 1, key));
  return `${name}+${hash}+${toBase64(concatBytes(Uint8Array.of(type), key))}`;
}

describe('verifier keys', () => {
  it('parses the Go sumdb/note example key and formats it back unchanged', () => {
    const key = parseVerifierKey(PETER_VKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.type).toBe(1);
    expect(bytesToHex(key.keyHash)).toBe('c74f20a3');
    expect(formatVerifierKey(key)).toBe(PETER_VKEY);
  });

  it('binds the key hash to the signature type, so one key has a different hash as a witness', () => {
    const plain = noteVerifierKey('w.example', ed25519.getPublicKey(seed(1)));
    const witness = noteVerifierKey('w.example', plain.publicKey, SIGNATURE_TYPE_COSIGNATURE_V1);
    expect(bytesToHex(plain.keyHash)).not.toBe(bytesToHex(witness.keyHash));
    expect(parseVerifierKey(formatVerifierKey(witness))).toEqual(witness);
  });

  it.each([
    ['no parts', 'PeterNeumann', 'key'],
    ['two parts', 'PeterNeumann+c74f20a3', 'key'],
    ['empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'name'],
    ['uppercase hash', PETER_VKEY.replace('c74f20a3', 'C74F20A3'), 'keyHash'],
    ['short hash', PETER_VKEY.replace('c74f20a3', 'c74f20a'), 'keyHash'],
    ['wrong hash', PETER_VKEY.replace('c74f20a3', 'c74f20a4'), 'keyHash'],
    ['unpadded key data', PETER_VKEY.slice(0, -1), 'keyData'],
    ['ECDSA (type 0x02) key', 'rekor.sigstore.dev+12345678+AwEB', 'keyData'],
  ])('refuses %s', (_, text, field) => {
    expect(code(() => parseVerifierKey(text))).toEqual({ code: 'KEY_INVALID', field });
  });

  it('refuses names with a space, a plus, a control character or more than 255 bytes', () => {
    const pub = ed25519.getPublicKey(seed(2));
    for (const name of [
      'a b',
      'a\u00a0b',
      'a\u3000b',
      'a\tb',
      'a\u0001b',
      'a+b',
      'é'.repeat(128),
    ]) {
      expect(code(() => noteVerifierKey(name, pub))).toEqual({
        code: 'KEY_INVALID',
        field: 'name',
      });
    }
    expect(noteVerifierKey('é'.repeat(127) + 'a', pub).name).toHaveLength(128);
  });

  it('refuses an unknown signature type even with a matching hash', () => {
    const text = vkeyWithHash('x.example', 0x02, ed25519.getPublicKey(seed(3)));
    expect(code(() => parseVerifierKey(text))).toEqual({ code: 'KEY_INVALID', field: 'type' });
  });

  it('refuses the identity and other small-order points, and non-canonical encodings', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const nonCanonical = new Uint8Array(32).fill(0xff);
    nonCanonical[31] = 0x7f; // y = 2^255 - 1 >= p
    for (const key of [identity, new Uint8Array(32), nonCanonical]) {
      const text = vkeyWithHash('x.example', 1, key);
      expect(code(() => parseVerifierKey(text))).toEqual({
        code: 'KEY_INVALID',
        field: 'publicKey',
      });
    }
  });
});

describe('signer keys', () => {
  it('derive the published public key and round-trip the Go signer key string', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(formatVerifierKey(signer.key)).toBe(PETER_VKEY);
    expect(formatSignerKey(signer)).toBe(PETER_SKEY);
  });

  it('refuse a missing prefix and a hash that does not match the derived key', () => {
    expect(code(() => parseSignerKey(PETER_SKEY.slice('PRIVATE+'.length)))).toEqual({
      code: 'KEY_INVALID',
      field: 'key',
    });
    const wrong = PETER_SKEY.replace('c74f20a3', 'c74f20a4');
    expect(code(() => parseSignerKey(wrong))).toEqual({ code: 'KEY_INVALID', field: 'keyHash' });
  });

  it('refuse a seed that is not 32 bytes, and a seed that does not match the public key', () => {
    expect(code(() => noteSigner('a', new Uint8Array(31)))).toEqual({
      code: 'KEY_INVALID',
      field: 'seed',
    });
    const mixed = { key: noteSigner('a', seed(4)).key, seed: seed(5) };
    expect(code(() => checkSigner(mixed, 'signer'))).toEqual({
      code: 'KEY_INVALID',
      field: 'signer',
    });
  });
});
