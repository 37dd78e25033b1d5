/**
 * The agency's Ed25519 signing key file (issue 3 contract, "Key files"): a JSON private JWK
 * (RFC 8037 §2) `{ "kty": "OKP", "crv": "Ed25519", "x", "d", "kid" }`, `kid` the RFC 7638
 * thumbprint, mode 0600, never overwritten. Its public half goes to the hub operator for
 * `spx hub enroll --jwk`. Every problem with a file names the member at fault.
 */
import { isCodedError } from '../../crypto/errors.js';
import { publishedJwk, type PublishedJwk } from '../../crypto/signing/key-file.js';
import * as keyFile from '../../crypto/signing/key-file.js';
import type { SigningKey } from '../../crypto/signing/index.js';
import { keyFileErrorCode, readKeyFile, writeNewKeyFile } from '../../platform/fs/key-file.js';
import { NodeError } from '../errors.js';

/** What the hub operator enrolls: the public JWK with its kid, algorithm and use. */
export type EnrollmentJwk = PublishedJwk;

export const enrollmentJwk: (key: Pick<SigningKey, 'kid' | 'publicJwk'>) => EnrollmentJwk =
  publishedJwk;

/** Key-file failures (platform/fs/key-file.ts) as the NodeError of the same KEY_FILE_* code. */
async function asNodeError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const code = keyFileErrorCode(e);
    if (code === undefined || !isCodedError(e)) throw e;
    throw new NodeError(code, e.message, { field: e.field, cause: e });
  }
}

/** Rebuilds the key from `d` and refuses a file whose `x` or `kid` belong to another key. */
export function signingKeyFromKeyFileText(text: string): Promise<SigningKey> {
  return asNodeError(keyFile.signingKeyFromKeyFileText(text));
}

/** Reads the key file; refuses one that group or others may read, as ssh does. */
export function readAgencyKeyFile(path: string): Promise<SigningKey> {
  return asNodeError(readKeyFile(path));
}

/** Creates a new key file (mode 0600, `wx`: never over an existing file) and returns the key. */
export function writeNewAgencyKeyFile(
  path: string,
  rng: (n: number) => Uint8Array,
): Promise<SigningKey> {
  return asNodeError(writeNewKeyFile(path, rng));
}
