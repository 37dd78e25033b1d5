/**
 * The keyholders' public keys in the log (docs/transparency.md, "What is logged"): the hub
 * operator configures the key set the keyholders published (SPX_HUB_KEYHOLDER_KEYSET, the same
 * JSON a node pins: `{ epoch, threshold, publicKey, publicShares }`, base64url elements), and at
 * start-up the hub appends a `keyholder_key` entry for its epoch unless the last one logged for
 * that epoch says the same. A node that pinned a different key — a substituted keyholder —
 * can then see it in the log.
 */
import { readJsonInput } from '../../platform/fs/json-input.js';
import { z } from 'zod';
import { fromBase64url } from '../../crypto/encoding.js';
import { isCryptoError } from '../../crypto/errors.js';
import { verifyKeySet } from '../../crypto/oprf/index.js';
import { OprfElementSchema } from '../../protocol/common.js';
import { safeDecode } from '../../protocol/decode.js';
import { parseLogEntry } from '../../protocol/tlog.js';
import { HubError } from '../errors.js';
import type { HubDatabase } from '../database.js';
import { keyholderKeyEntry } from './entries.js';
import { appendEntries, lockHead, logRepository } from './tlog.repository.js';

export const KeyholderKeySetSchema = z.strictObject({
  epoch: z.int().min(1),
  threshold: z.int().min(1).max(255),
  publicKey: OprfElementSchema,
  publicShares: z.array(OprfElementSchema).min(1).max(255),
});
export type KeyholderKeySet = z.infer<typeof KeyholderKeySetSchema>;

const invalid = (message: string, field: string, cause?: unknown) =>
  new HubError('KEYHOLDER_KEYSET_INVALID', `SPX_HUB_KEYHOLDER_KEYSET: ${message}`, {
    field,
    cause,
  });

/** Inline JSON (starting with `{`) or a file path; checked as crypto/oprf checks a key set. */
export async function readKeyholderKeySet(value: string): Promise<KeyholderKeySet> {
  const input = await readJsonInput(value);
  if (!input.ok) throw invalid(input.message, 'file');
  const json = input.json;
  const decoded = safeDecode(KeyholderKeySetSchema, json);
  if (!decoded.ok) {
    const first = decoded.error.errors[0];
    throw invalid(`${first?.field}: ${first?.message}`, first?.field ?? 'file');
  }
  const set = decoded.value;
  try {
    verifyKeySet({
      epoch: set.epoch,
      threshold: set.threshold,
      publicKey: fromBase64url(set.publicKey)!,
      publicShares: set.publicShares.map((s) => fromBase64url(s)!),
    });
  } catch (e) {
    if (isCryptoError(e)) throw invalid(`inconsistent key set (${e.code})`, e.field ?? 'file', e);
    throw e;
  }
  return set;
}

/** Whether the latest logged entry for the set's epoch has the same key and shares. */
async function alreadyLogged(tx: HubDatabase, set: KeyholderKeySet): Promise<boolean> {
  for (const { entry } of await logRepository(tx).keyholderKeyEntries()) {
    const parsed = parseLogEntry(entry);
    if (!parsed.ok || parsed.entry.kind !== 'keyholder_key') continue;
    if (parsed.entry.epoch !== set.epoch) continue;
    const shares = parsed.entry.shares;
    return (
      parsed.entry.publicKey === set.publicKey &&
      shares.length === set.publicShares.length &&
      shares.every((s, i) => s.index === i + 1 && s.publicKey === set.publicShares[i])
    );
  }
  return false;
}

/**
 * Appends the key set's entry unless its epoch's latest entry already says the same; under the
 * head lock, so two replicas starting at once log it once. Returns whether it appended.
 */
export async function logKeyholderKeySet(
  db: HubDatabase,
  set: KeyholderKeySet,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockHead(tx, now);
    if (await alreadyLogged(tx, set)) return false;
    const entry = keyholderKeyEntry(set.epoch, set.publicKey, set.publicShares, now);
    await appendEntries(tx, [entry], now);
    return true;
  });
}
