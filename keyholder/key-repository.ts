/**
 * The keyholder's key records (docs/keyholder.md "Keys"): one per epoch, either a whole key or
 * this keyholder's share of a t-of-n set, with the set's public half so that /v1/keys can
 * publish everything a node needs to verify the set (docs/protocol.md §4.7.1). The secret is
 * stored as-is or sealed with the operator's KEK (kek.ts); it leaves this module only as an
 * OprfKeyPair handed to crypto/oprf's evaluateBatch.
 */
import { and, asc, eq } from 'drizzle-orm';
import { bytesEqual, fromBase64url, toBase64url, utf8 } from '../crypto/encoding.js';
import { assertKeyPair, verifyKeySet, type OprfKeyPair } from '../crypto/oprf/index.js';
import { isCryptoError } from '../crypto/errors.js';
import type { Database } from '../platform/db/database.js';
import { isUniqueViolation } from '../platform/db/sql-error.js';
import { internalErrorSummary } from '../platform/error-summary.js';
import { KeyholderError } from './errors.js';
import { openSecret, sealSecret, type KeyEncryptionKey } from './kek.js';
import * as tables from './schema.js';

export type KeyholderDatabase = Database<typeof tables>;
export type KeyStatus = (typeof tables.keyStatus.enumValues)[number];
export type SecretProtection = (typeof tables.secretProtection.enumValues)[number];

/** A key record to store: this keyholder's key pair and the public half of its key set. */
export interface NewKeyRecord {
  readonly key: OprfKeyPair;
  readonly threshold: number;
  readonly groupPublicKey: Uint8Array;
  /** [K_1 … K_n]; n = length. For a whole key, [publicKey]. */
  readonly publicShares: readonly Uint8Array[];
}

/** What may be shown of a record: everything but the secret. Byte strings in base64url. */
export interface PublicKeyRecord {
  readonly epoch: number;
  readonly shareIndex: number;
  readonly threshold: number;
  readonly total: number;
  readonly publicKey: string;
  readonly groupPublicKey: string;
  readonly publicShares: readonly string[];
  readonly status: KeyStatus;
  readonly protection: SecretProtection;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

export interface KeyRepositoryOptions {
  /** Absent: new secrets are stored as-is, and sealed ones cannot be opened (KEK_REQUIRED). */
  readonly kek?: KeyEncryptionKey | undefined;
  /** IVs for sealing. */
  readonly rng: (n: number) => Uint8Array;
}

type Row = typeof tables.oprfKeys.$inferSelect;

/** AES-GCM associated data: the record a sealed secret belongs to. */
function associatedData(epoch: number, shareIndex: number): Uint8Array {
  return utf8(`SPX keyholder oprf-key|${epoch}|${shareIndex}`);
}

function toPublic(row: Row): PublicKeyRecord {
  return {
    epoch: row.epoch,
    shareIndex: row.shareIndex,
    threshold: row.threshold,
    total: row.total,
    publicKey: row.publicKey,
    groupPublicKey: row.groupPublicKey,
    publicShares: row.publicShares,
    status: row.status,
    protection: row.secretProtection,
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

/**
 * Checks a record before it is stored: a valid key pair, a valid key set (shares on one
 * polynomial through K, §4.7.1), and this keyholder's public key being its share of that set.
 */
export function checkNewKeyRecord(record: NewKeyRecord): void {
  try {
    assertKeyPair(record.key);
    verifyKeySet({
      epoch: record.key.epoch,
      threshold: record.threshold,
      publicKey: record.groupPublicKey,
      publicShares: record.publicShares,
    });
  } catch (e) {
    if (isCryptoError(e)) {
      throw new KeyholderError('KEY_RECORD_INVALID', e.message, { field: e.field, cause: e });
    }
    throw e;
  }
  const own = record.publicShares[record.key.shareIndex - 1];
  if (own === undefined || !bytesEqual(own, record.key.publicKey)) {
    throw new KeyholderError(
      'KEY_RECORD_INVALID',
      `the key is not share ${record.key.shareIndex} of its key set`,
      { field: 'shareIndex' },
    );
  }
}

export function keyRepository(db: KeyholderDatabase, options: KeyRepositoryOptions) {
  const { kek, rng } = options;
  /** Opened secrets by stored text: a KEK decryption per request is needless work. */
  const opened = new Map<string, OprfKeyPair>();

  async function openRow(row: Row): Promise<OprfKeyPair> {
    const cacheKey = `${row.epoch}|${row.shareIndex}|${row.publicKey}|${row.secretKey}`;
    const cached = opened.get(cacheKey);
    if (cached) return cached;
    let secretKey: Uint8Array | undefined;
    if (row.secretProtection === 'none') {
      secretKey = fromBase64url(row.secretKey);
    } else {
      if (kek === undefined) {
        throw new KeyholderError(
          'KEK_REQUIRED',
          `the key of epoch ${row.epoch} is sealed; configure SPX_KEYHOLDER_KEK_FILE`,
          { field: 'SPX_KEYHOLDER_KEK_FILE' },
        );
      }
      if (row.kekId !== kek.id) {
        throw new KeyholderError(
          'KEK_MISMATCH',
          `the key of epoch ${row.epoch} was sealed with KEK ${row.kekId}, not ${kek.id}`,
          { field: 'SPX_KEYHOLDER_KEK_FILE' },
        );
      }
      secretKey = await openSecret(kek, row.secretKey, associatedData(row.epoch, row.shareIndex));
    }
    const publicKey = fromBase64url(row.publicKey);
    if (secretKey === undefined || publicKey === undefined) {
      throw new KeyholderError('KEY_RECORD_INVALID', `the key of epoch ${row.epoch} is damaged`);
    }
    const pair: OprfKeyPair = {
      epoch: row.epoch,
      shareIndex: row.shareIndex,
      secretKey,
      publicKey,
    };
    try {
      assertKeyPair(pair);
    } catch (e) {
      throw new KeyholderError('KEY_RECORD_INVALID', `the key of epoch ${row.epoch} is damaged`, {
        cause: e,
      });
    }
    opened.set(cacheKey, pair);
    return pair;
  }

  return {
    /** Stores a new record; EPOCH_EXISTS when the epoch is taken (never overwrites). */
    async add(record: NewKeyRecord, now: Date): Promise<PublicKeyRecord> {
      checkNewKeyRecord(record);
      const { key } = record;
      const sealed =
        kek === undefined
          ? undefined
          : await sealSecret(kek, key.secretKey, associatedData(key.epoch, key.shareIndex), rng);
      try {
        const [row] = await db
          .insert(tables.oprfKeys)
          .values({
            epoch: key.epoch,
            shareIndex: key.shareIndex,
            threshold: record.threshold,
            total: record.publicShares.length,
            publicKey: toBase64url(key.publicKey),
            groupPublicKey: toBase64url(record.groupPublicKey),
            publicShares: record.publicShares.map(toBase64url),
            secretKey: sealed ?? toBase64url(key.secretKey),
            secretProtection: sealed === undefined ? 'none' : 'aes-256-gcm',
            kekId: sealed === undefined ? null : kek!.id,
            status: 'active',
            createdAt: now,
          })
          .returning();
        return toPublic(row!);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new KeyholderError(
            'EPOCH_EXISTS',
            `this keyholder already holds a key for epoch ${key.epoch}; keys are never overwritten`,
            { field: 'epoch' },
          );
        }
        // The driver's message lists the statement's parameters, the secret among them.
        throw new KeyholderError(
          'STORAGE_FAILED',
          `storing the key record of epoch ${key.epoch} failed (${internalErrorSummary(e)})`,
          { cause: e },
        );
      }
    },

    async list(): Promise<PublicKeyRecord[]> {
      const rows = await db.select().from(tables.oprfKeys).orderBy(asc(tables.oprfKeys.epoch));
      return rows.map(toPublic);
    },

    /** The key pair of an ACTIVE epoch, or undefined when the epoch is unknown or retired. */
    async activeKey(epoch: number): Promise<OprfKeyPair | undefined> {
      const [row] = await db.select().from(tables.oprfKeys).where(eq(tables.oprfKeys.epoch, epoch));
      if (row === undefined || row.status !== 'active') return undefined;
      return openRow(row);
    },

    /** Opens every active key (start-up check: a missing or wrong KEK fails here, not later). */
    async openActiveKeys(): Promise<OprfKeyPair[]> {
      const rows = await db
        .select()
        .from(tables.oprfKeys)
        .where(eq(tables.oprfKeys.status, 'active'))
        .orderBy(asc(tables.oprfKeys.epoch));
      const pairs: OprfKeyPair[] = [];
      for (const row of rows) pairs.push(await openRow(row));
      return pairs;
    },

    /** Marks an epoch retired (idempotent); EPOCH_UNKNOWN when there is no such record. */
    async retire(epoch: number, now: Date): Promise<{ record: PublicKeyRecord; changed: boolean }> {
      const [updated] = await db
        .update(tables.oprfKeys)
        .set({ status: 'retired', retiredAt: now })
        .where(and(eq(tables.oprfKeys.epoch, epoch), eq(tables.oprfKeys.status, 'active')))
        .returning();
      if (updated !== undefined) return { record: toPublic(updated), changed: true };
      const [existing] = await db
        .select()
        .from(tables.oprfKeys)
        .where(eq(tables.oprfKeys.epoch, epoch));
      if (existing !== undefined) return { record: toPublic(existing), changed: false };
      throw new KeyholderError('EPOCH_UNKNOWN', `this keyholder holds no key for epoch ${epoch}`, {
        field: 'epoch',
      });
    },
  };
}

export type KeyRepository = ReturnType<typeof keyRepository>;
