/**
 * Attestations sent: the signed statement exactly as sent, its delivery state and the hub's
 * receipt. Accepting one moves its outcome's "current attestation" forward in the same
 * transaction, so the outcome and its attestations never disagree.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AttestationStatus } from '../../protocol/attestation.js';
import { isUniqueViolation, sqlErrorOf, SQLSTATE } from '../../platform/db/index.js';
import { NodeError } from '../errors.js';
import { attestations } from './attestations.table.js';
import type { NodeDatabase } from './database.js';
import { outcomes } from './outcomes.table.js';

export type Attestation = typeof attestations.$inferSelect;

export interface NewAttestation {
  /** The statement id (UUIDv7) inside the JWS. */
  readonly id: string;
  readonly outcomeId: number;
  readonly outcomeRevision: number;
  readonly statementStatus: AttestationStatus;
  readonly epoch: number;
  /** The compact JWS exactly as it will be sent. */
  readonly jws: string;
  readonly supersedes: string | null;
}

function unknown(id: string): NodeError {
  return new NodeError('ATTESTATION_UNKNOWN', `no attestation ${id}`);
}

export function attestationsRepository(db: NodeDatabase) {
  return {
    /** Stores a signed statement before it is sent (delivery `pending`). */
    async record(attestation: NewAttestation, now: Date): Promise<Attestation> {
      try {
        const [row] = await db
          .insert(attestations)
          .values({ ...attestation, delivery: 'pending', createdAt: now })
          .returning();
        return row!;
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new NodeError('ATTESTATION_EXISTS', `attestation ${attestation.id} exists`, {
            field: 'id',
            cause: e,
          });
        }
        if (sqlErrorOf(e)?.code === SQLSTATE.FOREIGN_KEY_VIOLATION) {
          // Either the outcome or the superseded statement is not in this database.
          throw new NodeError('OUTCOME_UNKNOWN', 'unknown outcome or superseded attestation', {
            cause: e,
          });
        }
        throw e;
      }
    },

    async get(id: string): Promise<Attestation> {
      const [row] = await db.select().from(attestations).where(eq(attestations.id, id));
      if (row === undefined) throw unknown(id);
      return row;
    },

    /** Marks statements as handed to the hub (a batch); returns how many were pending. */
    async markSent(ids: readonly string[], now: Date): Promise<number> {
      if (ids.length === 0) return 0;
      const rows = await db
        .update(attestations)
        .set({ delivery: 'sent', sentAt: now })
        .where(and(inArray(attestations.id, [...ids]), eq(attestations.delivery, 'pending')))
        .returning({ id: attestations.id });
      return rows.length;
    },

    /**
     * Records the hub's receipt and makes the statement its outcome's current attestation,
     * unless a statement of a later revision is already current (receipts can arrive out of
     * order when batches are retried).
     */
    async markAccepted(id: string, receipt: unknown, now: Date): Promise<Attestation> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(attestations)
          .set({ delivery: 'accepted', receipt, rejectionCode: null, resolvedAt: now })
          .where(eq(attestations.id, id))
          .returning();
        if (row === undefined) throw unknown(id);
        await tx
          .update(outcomes)
          .set({
            currentAttestationId: row.id,
            attestedRevision: row.outcomeRevision,
            attestedStatus: row.statementStatus,
            updatedAt: now,
          })
          .where(
            and(
              eq(outcomes.id, row.outcomeId),
              sql`coalesce(${outcomes.attestedRevision}, 0) <= ${row.outcomeRevision}`,
            ),
          );
        return row;
      });
    },

    /** Records the hub's refusal (its problem code); the outcome stays as it was. */
    async markRejected(
      id: string,
      rejectionCode: string,
      receipt: unknown,
      now: Date,
    ): Promise<Attestation> {
      const [row] = await db
        .update(attestations)
        .set({ delivery: 'rejected', rejectionCode, receipt: receipt ?? null, resolvedAt: now })
        .where(eq(attestations.id, id))
        .returning();
      if (row === undefined) throw unknown(id);
      return row;
    },
  };
}

export type AttestationsRepository = ReturnType<typeof attestationsRepository>;
