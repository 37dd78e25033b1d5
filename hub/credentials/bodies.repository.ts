/**
 * Storage of credentialing bodies and their keys (bodies.table.ts). Every change runs `inTx` in
 * its transaction, where the service appends it to the transparency log.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import { formatTimestamp } from '../../protocol/common.js';
import type { BodyStatus, CredentialingBody } from '../../protocol/credentialing-body.js';
import { HubError } from '../errors.js';
import type { HubDatabase, InTransaction } from '../database.js';
import { credentialingBodies, credentialingBodyKeys } from './bodies.table.js';

type BodyRow = typeof credentialingBodies.$inferSelect;
type KeyRow = typeof credentialingBodyKeys.$inferSelect;

function toBody(row: BodyRow, keys: readonly KeyRow[]): CredentialingBody {
  return {
    id: row.id,
    name: row.name,
    keys: keys.map((k) => ({
      kid: k.kid,
      status: k.status as AgencyKey['status'],
      jwk: { kty: 'OKP', crv: 'Ed25519', x: k.x },
    })),
    contact: { name: row.contactName, email: row.contactEmail, phone: row.contactPhone },
    status: row.status as BodyStatus,
    statusSince: formatTimestamp(row.statusSince),
  };
}

export function bodiesRepository(db: HubDatabase) {
  async function keysOf(body?: string): Promise<KeyRow[]> {
    const q = db.select().from(credentialingBodyKeys);
    return (body === undefined ? q : q.where(eq(credentialingBodyKeys.body, body))).orderBy(
      asc(credentialingBodyKeys.addedAt),
      asc(credentialingBodyKeys.kid),
    );
  }

  return {
    async find(id: string): Promise<CredentialingBody | undefined> {
      const [row] = await db
        .select()
        .from(credentialingBodies)
        .where(eq(credentialingBodies.id, id));
      return row === undefined ? undefined : toBody(row, await keysOf(id));
    },

    /** Every body, by id. */
    async list(): Promise<CredentialingBody[]> {
      const rows = await db.select().from(credentialingBodies).orderBy(asc(credentialingBodies.id));
      const keys = await keysOf();
      return rows.map((r) =>
        toBody(
          r,
          keys.filter((k) => k.body === r.id),
        ),
      );
    },

    async insert(body: CredentialingBody, now: Date, inTx: InTransaction): Promise<void> {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(credentialingBodies).values({
            id: body.id,
            name: body.name,
            contactName: body.contact.name,
            contactEmail: body.contact.email,
            contactPhone: body.contact.phone,
            status: 'active',
            enrolledAt: now,
            statusSince: now,
          });
          const key = body.keys[0]!;
          await tx
            .insert(credentialingBodyKeys)
            .values({ kid: key.kid, body: body.id, x: key.jwk.x, status: 'active', addedAt: now });
          await inTx(tx);
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const existing = await db
          .select({ id: credentialingBodies.id })
          .from(credentialingBodies)
          .where(eq(credentialingBodies.id, body.id));
        if (existing.length > 0) {
          throw new HubError('BODY_EXISTS', `credentialing body ${body.id} is already enrolled`, {
            field: 'id',
            cause: e,
          });
        }
        throw new HubError('KEY_IN_USE', 'this key is already registered to a body', {
          field: 'jwk',
          cause: e,
        });
      }
    },

    /**
     * Sets the status (locking the row); `inTx` runs only when it changes. Returns the status
     * before, or undefined for an unknown body.
     */
    async setStatus(
      id: string,
      status: BodyStatus,
      now: Date,
      inTx: InTransaction,
    ): Promise<BodyStatus | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ status: credentialingBodies.status })
          .from(credentialingBodies)
          .where(eq(credentialingBodies.id, id))
          .for('update');
        if (row === undefined) return undefined;
        const before = row.status as BodyStatus;
        if (before === 'retired' && status !== 'retired') return before;
        if (before !== status) {
          await tx
            .update(credentialingBodies)
            .set({ status, statusSince: now })
            .where(eq(credentialingBodies.id, id));
          await inTx(tx);
        }
        return before;
      });
    },

    /**
     * Registers `key` as the body's one active key and retires the others, locking the body's
     * row; `inTx` runs in the same transaction. Returns the body's status before, or undefined
     * for an unknown body (nothing changed then, nor for a retired body).
     */
    async rotateKey(
      id: string,
      key: { kid: string; x: string },
      now: Date,
      maxKeys: number,
      inTx: InTransaction,
    ): Promise<BodyStatus | 'key_limit' | undefined> {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx
            .select({ status: credentialingBodies.status })
            .from(credentialingBodies)
            .where(eq(credentialingBodies.id, id))
            .for('update');
          if (row === undefined) return undefined;
          const status = row.status as BodyStatus;
          if (status === 'retired') return status;
          const held = await tx.$count(credentialingBodyKeys, eq(credentialingBodyKeys.body, id));
          if (held >= maxKeys) return 'key_limit';
          await tx
            .update(credentialingBodyKeys)
            .set({ status: 'retired' })
            .where(eq(credentialingBodyKeys.body, id));
          await tx
            .insert(credentialingBodyKeys)
            .values({ kid: key.kid, body: id, x: key.x, status: 'active', addedAt: now });
          await inTx(tx);
          return status;
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        throw new HubError('KEY_IN_USE', `key ${key.kid} is already registered to a body`, {
          field: 'jwk',
          cause: e,
        });
      }
    },

    /** The kid of the body's active key. */
    async activeKid(id: string): Promise<string | undefined> {
      const [row] = await db
        .select({ kid: credentialingBodyKeys.kid })
        .from(credentialingBodyKeys)
        .where(and(eq(credentialingBodyKeys.body, id), eq(credentialingBodyKeys.status, 'active')))
        .orderBy(desc(credentialingBodyKeys.addedAt))
        .limit(1);
      return row?.kid;
    },
  };
}
