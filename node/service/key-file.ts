/**
 * The agency's Ed25519 signing key file (issue 3 contract, "Key files"): a JSON private JWK
 * (RFC 8037 §2) `{ "kty": "OKP", "crv": "Ed25519", "x", "d", "kid" }`, `kid` the RFC 7638
 * thumbprint, mode 0600, never overwritten. Its public half goes to the hub operator for
 * `spx hub enroll --jwk`. Every problem with a file names the member at fault.
 */
import { writeFile } from 'node:fs/promises';
import { fromBase64url, toBase64url } from '../../crypto/encoding.js';
import {
  generateSigningKey,
  SEED_LENGTH,
  SIGNATURE_ALG,
  signingKeyFromSeed,
  type PublicJwk,
  type SigningKey,
} from '../../crypto/signing/index.js';
import { isPermissionsTooOpenError, readOwnerOnlyFile } from '../../platform/fs/owner-only.js';
import { NodeError } from '../errors.js';

/** What the hub operator enrolls: the public JWK with its kid, algorithm and use. */
export interface EnrollmentJwk extends PublicJwk {
  readonly kid: string;
  readonly alg: typeof SIGNATURE_ALG;
  readonly use: 'sig';
}

const MEMBERS = new Set(['kty', 'crv', 'x', 'd', 'kid']);

const invalid = (message: string, field: string) =>
  new NodeError('KEY_FILE_INVALID', message, { field });

export function enrollmentJwk(key: Pick<SigningKey, 'kid' | 'publicJwk'>): EnrollmentJwk {
  return { ...key.publicJwk, kid: key.kid, alg: SIGNATURE_ALG, use: 'sig' };
}

/** Rebuilds the key from `d` and refuses a file whose `x` or `kid` belong to another key. */
export async function signingKeyFromKeyFileText(text: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('the key file is not JSON', '$');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('the key file is not a JSON object', '$');
  }
  const jwk = json as Record<string, unknown>;
  for (const name of Object.keys(jwk)) {
    if (!MEMBERS.has(name)) throw invalid(`unexpected member "${name}"`, name);
  }
  if (jwk['kty'] !== 'OKP') throw invalid('kty must be "OKP"', 'kty');
  if (jwk['crv'] !== 'Ed25519') throw invalid('crv must be "Ed25519"', 'crv');
  if (!('d' in jwk)) throw invalid('d is missing: this is a public key, not a key file', 'd');
  const seed = typeof jwk['d'] === 'string' ? fromBase64url(jwk['d']) : undefined;
  if (seed === undefined || seed.length !== SEED_LENGTH) {
    throw invalid('d must be a 32-byte seed in base64url', 'd');
  }
  const key = await signingKeyFromSeed(seed);
  seed.fill(0);
  if ('x' in jwk && jwk['x'] !== key.publicJwk.x) throw invalid('x is not the key of d', 'x');
  if ('kid' in jwk && jwk['kid'] !== key.kid) {
    throw invalid('kid is not the RFC 7638 thumbprint of the key', 'kid');
  }
  return key;
}

/** Reads the key file; refuses one that group or others may read, as ssh does. */
export async function readAgencyKeyFile(path: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readOwnerOnlyFile(path);
  } catch (e) {
    if (isPermissionsTooOpenError(e)) {
      throw new NodeError('KEY_FILE_PERMISSIONS', e.message, { field: 'path' });
    }
    throw new NodeError('KEY_FILE_UNREADABLE', `cannot read the key file ${path}`, {
      field: 'path',
      cause: e,
    });
  }
  return signingKeyFromKeyFileText(text);
}

/** Creates a new key file (mode 0600, `wx`: never over an existing file) and returns the key. */
export async function writeNewAgencyKeyFile(
  path: string,
  rng: (n: number) => Uint8Array,
): Promise<SigningKey> {
  const { seed, key } = await generateSigningKey(rng);
  const contents = { ...key.publicJwk, d: toBase64url(seed), kid: key.kid };
  try {
    await writeFile(path, `${JSON.stringify(contents, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') {
      throw new NodeError('KEY_FILE_EXISTS', `${path} exists; not overwriting a key`, {
        field: 'path',
      });
    }
    throw new NodeError('KEY_FILE_UNREADABLE', `cannot write ${path}`, { field: 'path', cause: e });
  } finally {
    seed.fill(0);
  }
  return key;
}
