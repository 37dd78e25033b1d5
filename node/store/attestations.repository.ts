/**
 * Attestations sent: the signed statement exactly as sent, its delivery state and the hub's
 * receipt. Accepting one moves its outcome's "current attestation" forward in the same
 * transaction, so the outcome and its attestations never disagree.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { AttestationDeliveryState as Delivery } from './enums.table.js';
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

    /** The statements among `ids` that exist, in no particular order. */
    async getMany(ids: readonly string[]): Promise<Attestation[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(attestations)
        .where(inArray(attestations.id, [...ids]));
    },

    /** Each statement's JWS as sent, by id (the publisher reads the superseded one's issuedAt). */
    async jwsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: attestations.id, jws: attestations.jws })
        .from(attestations)
        .where(inArray(attestations.id, [...ids]));
      return new Map(rows.map((r) => [r.id, r.jws]));
    },

    /**
     * The outcome, revision, epoch and delivery of the statements about `outcomeIds` in
     * `states`.
     */
    async deliveriesOf(outcomeIds: readonly number[], states: readonly Delivery[]) {
      if (outcomeIds.length === 0 || states.length === 0) return [];
      return db
        .select({
          outcomeId: attestations.outcomeId,
          revision: attestations.outcomeRevision,
          epoch: attestations.epoch,
          delivery: attestations.delivery,
        })
        .from(attestations)
        .where(
          and(
            inArray(attestations.outcomeId, [...outcomeIds]),
            inArray(attestations.delivery, [...states]),
          ),
        );
    },

    /** Statements by delivery state (status pages, progress totals). */
    async countByDelivery(): Promise<Record<Delivery, number>> {
      const rows = await db
        .select({ delivery: attestations.delivery, n: count() })
        .from(attestations)
        .groupBy(attestations.delivery);
      const counts: Record<Delivery, number> = { pending: 0, sent: 0, accepted: 0, rejected: 0 };
      for (const r of rows) counts[r.delivery] = r.n;
      return counts;
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

    /**
     * Statements the hub refused with their whole batch were not stored there: those among `ids`
     * still `sent` go back to `pending` (resolved ones stay as they are).
     */
    async unsend(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(attestations)
        .set({ delivery: 'pending' })
        .where(and(inArray(attestations.id, [...ids]), eq(attestations.delivery, 'sent')));
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
