/**
 * Reading and creating an Ed25519 private key file (crypto/signing/key-file.ts) for the hub and
 * agency nodes: owner-only read, as ssh insists for private keys, and a `wx` write that never
 * replaces a key. `keyFileErrorCode` is the one mapping of these failures to the services'
 * shared KEY_FILE_* codes, so the hub and the node report the same failure the same way.
 */
import { isCodedError } from '../../crypto/errors.js';
import { generateSigningKey, type SigningKey } from '../../crypto/signing/keys.js';
import { keyFileText, signingKeyFromKeyFileText } from '../../crypto/signing/key-file.js';
import { readSecretFile, writeNewOwnerOnlyFile } from './owner-only.js';

/**
 * Reads and parses a key file. Throws PlatformError FILE_PERMISSIONS or FILE_UNREADABLE, or
 * CryptoError KEY_FILE_INVALID naming the member at fault.
 */
export async function readKeyFile(path: string): Promise<SigningKey> {
  const text = await readSecretFile(path);
  return signingKeyFromKeyFileText(text);
}

/**
 * Creates a key file with a new key from `rng` (mode 0600, never over an existing file) and
 * returns the key. Throws PlatformError FILE_EXISTS or FILE_UNWRITABLE.
 */
export async function writeNewKeyFile(
  path: string,
  rng: (n: number) => Uint8Array,
): Promise<SigningKey> {
  const { seed, key } = await generateSigningKey(rng);
  try {
    await writeNewOwnerOnlyFile(path, keyFileText(seed, key));
  } finally {
    seed.fill(0);
  }
  return key;
}

export type KeyFileErrorCode =
  'KEY_FILE_INVALID' | 'KEY_FILE_PERMISSIONS' | 'KEY_FILE_UNREADABLE' | 'KEY_FILE_EXISTS';

const KEY_FILE_CODES: Readonly<Record<string, KeyFileErrorCode>> = {
  KEY_FILE_INVALID: 'KEY_FILE_INVALID',
  FILE_PERMISSIONS: 'KEY_FILE_PERMISSIONS',
  FILE_UNREADABLE: 'KEY_FILE_UNREADABLE',
  // A key that cannot be written is reported as the file being unusable, as a read failure is.
  FILE_UNWRITABLE: 'KEY_FILE_UNREADABLE',
  FILE_EXISTS: 'KEY_FILE_EXISTS',
};

/** The service code for a failure of readKeyFile/writeNewKeyFile; undefined for anything else. */
export function keyFileErrorCode(e: unknown): KeyFileErrorCode | undefined {
  return isCodedError(e) ? KEY_FILE_CODES[e.code] : undefined;
}
