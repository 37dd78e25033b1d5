/**
 * Files an operator handles (docs/keyholder.md "Key files"):
 *
 * - a **seed file**: 32 bytes as 64 hex digits or 43 base64url characters, from which a whole
 *   key is derived per epoch (docs/protocol.md §4.2, DeriveKeyPair with the epoch's info);
 * - a **share file**: one keyholder's share of a t-of-n key set written by `keyholder split`
 *   (a trusted dealer, §4.7.1), carrying the set's public half so the receiving keyholder can
 *   check it before storing it. It holds a secret: mode 0600, delete after import.
 */
import { parseJsonInput } from '../platform/fs/json-input.js';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { fromBase64url, toBase64url } from '../crypto/encoding.js';
import { MAX_KEYHOLDERS, SEED_BYTES, SUITE_ID, type OprfKeyPair } from '../crypto/oprf/index.js';
import { EpochSchema, fixedBytes, OprfElementSchema } from '../protocol/common.js';
import { formatFieldPath } from '../protocol/problem.js';
import { readSecretFile } from '../platform/fs/owner-only.js';
import { KeyholderError, secretFileError } from './errors.js';
import type { NewKeyRecord } from './key-repository.js';

export const SHARE_FILE_TYPE = 'spx-keyholder-share';

const ShareFileSchema = z.strictObject({
  type: z.literal(SHARE_FILE_TYPE),
  version: z.literal(1),
  suite: z.literal(SUITE_ID),
  epoch: EpochSchema,
  threshold: z.int().min(1).max(MAX_KEYHOLDERS),
  shareIndex: z.int().min(1).max(MAX_KEYHOLDERS),
  secretKey: fixedBytes(32),
  publicKey: OprfElementSchema,
  groupPublicKey: OprfElementSchema,
  publicShares: z.array(OprfElementSchema).min(1).max(MAX_KEYHOLDERS),
});
export type ShareFile = z.infer<typeof ShareFileSchema>;

export function shareFileOf(record: NewKeyRecord): ShareFile {
  return {
    type: SHARE_FILE_TYPE,
    version: 1,
    suite: SUITE_ID,
    epoch: record.key.epoch,
    threshold: record.threshold,
    shareIndex: record.key.shareIndex,
    secretKey: toBase64url(record.key.secretKey),
    publicKey: toBase64url(record.key.publicKey),
    groupPublicKey: toBase64url(record.groupPublicKey),
    publicShares: record.publicShares.map(toBase64url),
  };
}

/** Decodes a share file's text into a key record (shape only; the repository checks the maths). */
export function parseShareFile(text: string, field = '--file'): NewKeyRecord {
  const input = parseJsonInput(text);
  if (!input.ok) {
    throw new KeyholderError('SHARE_FILE_INVALID', `the share file: ${input.message}`, { field });
  }
  const json = input.json;
  const parsed = ShareFileSchema.safeParse(json);
  if (!parsed.success) {
    const at = parsed.error.issues
      .slice(0, 3)
      .map((i) => formatFieldPath(i.path) || '(file)')
      .join(', ');
    throw new KeyholderError('SHARE_FILE_INVALID', `the share file is malformed at ${at}`, {
      field,
    });
  }
  const s = parsed.data;
  const bytes = (b64: string) => fromBase64url(b64)!; // checked by the schema
  const key: OprfKeyPair = {
    epoch: s.epoch,
    shareIndex: s.shareIndex,
    secretKey: bytes(s.secretKey),
    publicKey: bytes(s.publicKey),
  };
  return {
    key,
    threshold: s.threshold,
    groupPublicKey: bytes(s.groupPublicKey),
    publicShares: s.publicShares.map(bytes),
  };
}

/** Reads a share file; one that group or others may read is refused (KEY_FILE_PERMISSIONS). */
export async function readShareFile(file: string, field = '--file'): Promise<NewKeyRecord> {
  const text = await readSecretFile(file, field).catch((e: unknown) => {
    throw secretFileError(e, 'SHARE_FILE_INVALID');
  });
  return parseShareFile(text, field);
}

/** Writes a share file with mode 0600; never replaces an existing file. */
export async function writeShareFile(file: string, record: NewKeyRecord): Promise<void> {
  await writeFile(file, `${JSON.stringify(shareFileOf(record), null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
}

/** A seed file's 32 bytes: 64 hex digits or 43 base64url characters, surrounding space ignored. */
export function parseSeed(text: string, field = '--seed-file'): Uint8Array {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) {
    return Uint8Array.from(t.match(/../g)!, (h) => parseInt(h, 16));
  }
  const b = fromBase64url(t);
  if (b !== undefined && b.length === SEED_BYTES) return b;
  throw new KeyholderError(
    'SEED_FILE_INVALID',
    `a seed is ${SEED_BYTES} bytes written as 64 hex digits or 43 base64url characters`,
    { field },
  );
}

export async function readSeedFile(file: string, field = '--seed-file'): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new KeyholderError('SEED_FILE_INVALID', `cannot read ${file}`, { field, cause: e });
  }
  return parseSeed(text, field);
}
