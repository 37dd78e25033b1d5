/**
 * Note keys (C2SP signed-note §Signatures) and their text forms.
 *
 * A key is identified in a signature line by its name and a 4-byte key hash (the spec's
 * "key ID"): SHA-256(name || 0x0A || signature type || public key)[:4]. We use two
 * signature types, both Ed25519 (RFC 8032):
 *   0x01  a note signature over the note text (the log's checkpoint signature);
 *   0x04  a timestamped witness cosignature (C2SP tlog-cosignature, cosignature/v1).
 * The type is part of the hash, so the same name and key never collide across types.
 *
 * Text forms, as golang.org/x/mod/sumdb/note writes them:
 *   verifier key  <name>+<8 lowercase hex key hash>+<base64(type || 32-byte public key)>
 *   signer key    PRIVATE+KEY+<name>+<8 lowercase hex key hash>+<base64(type || 32-byte seed)>
 * Parsing is strict: lowercase hex only, canonical base64, the hash recomputed and compared,
 * and the public key must be a canonically encoded point of large order. Small-order keys
 * (such as the identity) are refused as crypto/signing does: for them one signature verifies
 * on many messages.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { bytesEqual, utf8 } from '../encoding.js';
import { CryptoError } from '../errors.js';
import { isUsableEd25519PublicKey } from '../signing/keys.js';
import { fromBase64, isValidKeyName, toBase64 } from './text.js';

/** signed-note §Ed25519 signatures. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** tlog-cosignature §Format: timestamped Ed25519 cosignature/v1. */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
export type NoteSignatureType =
  typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

export const KEY_HASH_LENGTH = 4;
export const ED25519_KEY_LENGTH = 32;

/** A trusted public key, as a verifier is configured with it. */
export interface NoteVerifierKey {
  readonly name: string;
  readonly type: NoteSignatureType;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** SHA-256(name || 0x0A || type || publicKey)[:4]. */
  readonly keyHash: Uint8Array;
}

/** A private key with its name: `seed` is the RFC 8032 32-byte private key. */
export interface NoteSigner {
  readonly key: NoteVerifierKey;
  readonly seed: Uint8Array;
}

const SIGNER_PREFIX = 'PRIVATE+KEY+';
const KEY_HASH_HEX = /^[0-9a-f]{8}$/;

function keyInvalid(message: string, field: string): CryptoError<'KEY_INVALID'> {
  return new CryptoError('KEY_INVALID', message, { field });
}

function checkType(type: unknown, field: string): NoteSignatureType {
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw keyInvalid('signature type must be 0x01 (Ed25519) or 0x04 (cosignature/v1)', field);
  }
  return type;
}

function checkName(name: unknown, field: string): string {
  if (!isValidKeyName(name)) {
    throw keyInvalid(
      'a key name must be 1 to 255 bytes with no space, plus or control character',
      field,
    );
  }
  return name;
}

/** signed-note §Signatures: the recommended key ID, which both our types require. */
export function noteKeyHash(
  name: string,
  type: NoteSignatureType,
  publicKey: Uint8Array,
): Uint8Array {
  return sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey)).slice(
    0,
    KEY_HASH_LENGTH,
  );
}

/** A verifier key from its parts; throws KEY_INVALID naming the bad part. */
export function noteVerifierKey(
  name: string,
  publicKey: Uint8Array,
  type: NoteSignatureType = SIGNATURE_TYPE_ED25519,
): NoteVerifierKey {
  checkName(name, 'name');
  checkType(type, 'type');
  if (!(publicKey instanceof Uint8Array) || !isUsableEd25519PublicKey(publicKey)) {
    throw keyInvalid('publicKey is not a usable 32-byte Ed25519 public key', 'publicKey');
  }
  const copy = Uint8Array.from(publicKey);
  return { name, type, publicKey: copy, keyHash: noteKeyHash(name, type, copy) };
}

/** A signer from a name and a 32-byte seed (deterministic: tests, vectors, stored keys). */
export function noteSigner(
  name: string,
  seed: Uint8Array,
  type: NoteSignatureType = SIGNATURE_TYPE_ED25519,
): NoteSigner {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_KEY_LENGTH) {
    throw keyInvalid(`seed must be ${ED25519_KEY_LENGTH} bytes`, 'seed');
  }
  const copy = Uint8Array.from(seed);
  return { key: noteVerifierKey(name, ed25519.getPublicKey(copy), type), seed: copy };
}

export function formatVerifierKey(key: NoteVerifierKey): string {
  const k = noteVerifierKey(key.name, key.publicKey, key.type);
  return `${k.name}+${bytesToHex(k.keyHash)}+${toBase64(concatBytes(Uint8Array.of(k.type), k.publicKey))}`;
}

/** Splits "<name>+<hash>+<base64>" at its first two plus signs (base64 may contain more). */
function splitKeyString(text: string): { name: string; hashHex: string; data: Uint8Array } {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw keyInvalid('a key string is <name>+<key hash>+<key data>', 'key');
  const name = checkName(text.slice(0, first), 'name');
  const hashHex = text.slice(first + 1, second);
  if (!KEY_HASH_HEX.test(hashHex)) {
    throw keyInvalid('the key hash must be 8 lowercase hex digits', 'keyHash');
  }
  const data = fromBase64(text.slice(second + 1));
  if (data === undefined || data.length !== 1 + ED25519_KEY_LENGTH) {
    throw keyInvalid('the key data must be base64 of a type byte and 32 key bytes', 'keyData');
  }
  return { name, hashHex, data };
}

/** Parses a verifier key string ("vkey"); throws KEY_INVALID naming the bad part. */
export function parseVerifierKey(text: string): NoteVerifierKey {
  if (typeof text !== 'string') throw keyInvalid('a verifier key must be a string', 'key');
  const { name, hashHex, data } = splitKeyString(text);
  const type = checkType(data[0], 'type');
  const key = noteVerifierKey(name, data.subarray(1), type);
  if (bytesToHex(key.keyHash) !== hashHex) {
    throw keyInvalid('the key hash does not match the name and key', 'keyHash');
  }
  return key;
}

/** The secret signer key string ("skey"). Keep it out of logs: it is the private key. */
export function formatSignerKey(signer: NoteSigner): string {
  const s = checkSigner(signer, 'signer');
  const data = toBase64(concatBytes(Uint8Array.of(s.key.type), s.seed));
  return `${SIGNER_PREFIX}${s.key.name}+${bytesToHex(s.key.keyHash)}+${data}`;
}

/** Throws unless `signer` is well formed and its seed derives its public key. */
export function checkSigner(signer: NoteSigner, field: string): NoteSigner {
  const fresh =
    typeof signer === 'object' && signer !== null && signer.key !== undefined
      ? noteSigner(signer.key.name, signer.seed, signer.key.type)
      : undefined;
  if (fresh === undefined || !bytesEqual(fresh.key.publicKey, signer.key.publicKey)) {
    throw keyInvalid('the signer seed does not match its public key', field);
  }
  return fresh;
}

/** Parses a signer key string; the hash is checked against the derived public key. */
export function parseSignerKey(text: string): NoteSigner {
  if (typeof text !== 'string' || !text.startsWith(SIGNER_PREFIX)) {
    throw keyInvalid(`a signer key starts with ${SIGNER_PREFIX}`, 'key');
  }
  const { name, hashHex, data } = splitKeyString(text.slice(SIGNER_PREFIX.length));
  const signer = noteSigner(name, data.subarray(1), checkType(data[0], 'type'));
  if (bytesToHex(signer.key.keyHash) !== hashHex) {
    throw keyInvalid('the key hash does not match the name and derived key', 'keyHash');
  }
  return signer;
}
