/**
 * Keys at rest (docs/keyholder.md "Key protection"): a keyholder's OPRF secret is sealed with
 * AES-256-GCM (NIST SP 800-38D) under a key-encryption key (KEK) that the operator keeps in a
 * file outside the database, through WebCrypto — nothing here is hand-written cryptography.
 * A copy of the database or of its backups then yields no OPRF key without the KEK file.
 *
 * Each seal draws a fresh 96-bit IV from the injected rng (SP 800-38D §8.2.2: random IVs are
 * safe far beyond the handful of keys a keyholder ever seals) and binds the record it belongs
 * to as additional authenticated data, so a sealed secret moved to another epoch's row does
 * not open.
 */
import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64url, toBase64url, utf8 } from '../crypto/encoding.js';
import { readSecretFile } from '../platform/fs/owner-only.js';
import { KeyholderError, secretFileError } from './errors.js';

export const KEK_BYTES = 32;
const IV_BYTES = 12;
const KEK_ID_LABEL = utf8('SPX keyholder kek-id');

export interface KeyEncryptionKey {
  /** A public fingerprint of the KEK (16 bytes of a labelled SHA-256, base64url). */
  readonly id: string;
  readonly key: webcrypto.CryptoKey;
}

function kekId(raw: Uint8Array): string {
  const input = new Uint8Array(KEK_ID_LABEL.length + raw.length);
  input.set(KEK_ID_LABEL);
  input.set(raw, KEK_ID_LABEL.length);
  return toBase64url(sha256(input).subarray(0, 16));
}

export async function kekFromBytes(raw: Uint8Array): Promise<KeyEncryptionKey> {
  if (raw.length !== KEK_BYTES) {
    throw new KeyholderError('KEK_INVALID', `a key-encryption key is ${KEK_BYTES} bytes`);
  }
  const key = await webcrypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
  return { id: kekId(raw), key };
}

/** The KEK file's content: base64url of 32 random bytes and a newline. */
export function formatKekFile(raw: Uint8Array): string {
  return `${toBase64url(raw)}\n`;
}

/**
 * Reads a KEK file; `field` names the setting or flag it came from, for the error. A file that
 * group or others may read is refused (KEY_FILE_PERMISSIONS), as for every secret file.
 */
export async function loadKekFile(file: string, field: string): Promise<KeyEncryptionKey> {
  const text = await readSecretFile(file, field).catch((e: unknown) => {
    throw secretFileError(e, 'KEK_INVALID');
  });
  const raw = fromBase64url(text.trim());
  if (raw === undefined || raw.length !== KEK_BYTES) {
    throw new KeyholderError(
      'KEK_INVALID',
      `${file} must hold ${KEK_BYTES} bytes in unpadded base64url (43 characters)`,
      { field },
    );
  }
  return kekFromBytes(raw);
}

/** Writes a new KEK file (mode 0600); refuses to replace an existing file. */
export async function writeKekFile(file: string, raw: Uint8Array): Promise<KeyEncryptionKey> {
  const kek = await kekFromBytes(raw);
  await writeFile(file, formatKekFile(raw), { mode: 0o600, flag: 'wx' });
  return kek;
}

/** `<iv>.<ciphertext || tag>`, both base64url. */
export async function sealSecret(
  kek: KeyEncryptionKey,
  secret: Uint8Array,
  associatedData: Uint8Array,
  rng: (n: number) => Uint8Array,
): Promise<string> {
  const iv = rng(IV_BYTES);
  const sealed = await webcrypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associatedData, tagLength: 128 },
    kek.key,
    secret,
  );
  return `${toBase64url(iv)}.${toBase64url(new Uint8Array(sealed))}`;
}

export async function openSecret(
  kek: KeyEncryptionKey,
  sealed: string,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  const [ivText, bodyText, extra] = sealed.split('.');
  const iv = ivText === undefined ? undefined : fromBase64url(ivText);
  const body = bodyText === undefined ? undefined : fromBase64url(bodyText);
  if (extra !== undefined || iv?.length !== IV_BYTES || body === undefined) {
    throw new KeyholderError('KEY_RECORD_INVALID', 'sealed secret is not <iv>.<ciphertext>');
  }
  try {
    const plain = await webcrypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: associatedData, tagLength: 128 },
      kek.key,
      body,
    );
    return new Uint8Array(plain);
  } catch (e) {
    // GCM's tag check failing means another KEK, or a record that was altered or moved.
    throw new KeyholderError('KEK_MISMATCH', 'the sealed secret does not open with this KEK', {
      cause: e,
    });
  }
}
