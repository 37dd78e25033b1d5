/**
 * Expungement's statements (expunge.ts): the supersession chain read under row locks, the
 * statements and their hub indexes deleted, the leaves' salts and statement ids erased, and the
 * record of who expunged what. Every method runs inside expunge.ts's one transaction.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { HubDatabase } from '../database.js';
import { storedPayload } from '../intake/attestation-verification.js';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import { logEntries, logExpungements } from './tlog.table.js';

/** A statement's place in its supersession chain. */
export interface ChainLink {
  readonly id: string;
  readonly issuer: string;
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
}

export type NewExpungement = typeof logExpungements.$inferInsert;

export function expungeRepository(tx: HubDatabase) {
  return {
    /** The statement's link, its row locked FOR UPDATE until the transaction ends. */
    async lockLink(id: string): Promise<ChainLink | undefined> {
      const [found] = await tx
        .select({
          id: attestations.id,
          issuer: attestations.issuer,
          supersedes: attestations.supersedes,
          supersededBy: attestations.supersededBy,
        })
        .from(attestations)
        .where(eq(attestations.id, id))
        .for('update');
      return found;
    },

    /** When the statement was expunged, if it was. */
    async expungedAt(id: string): Promise<Date | undefined> {
      const [done] = await tx
        .select({ at: logExpungements.expungedAt })
        .from(logExpungements)
        .where(eq(logExpungements.attestationId, id));
      return done?.at;
    },

    /**
     * Deletes the statements with their hub indexes and erases their leaves' salt and statement
     * id (the leaves stay). Returns the log index of each statement that had a leaf.
     */
    async erase(ids: readonly string[]): Promise<Map<string, number>> {
      const list = [...ids];
      // attestation_keys is keyed by (hub_index, attestation_id): the statements' own JWS name
      // their hub indexes, so the delete is an index lookup, not a scan of every key.
      const stored = await tx
        .select({ jws: attestations.jws })
        .from(attestations)
        .where(inArray(attestations.id, list));
      const indexes = new Set(
        stored.flatMap((s) => storedPayload(s.jws).tokens.keys.map((k) => k.index)),
      );
      if (indexes.size > 0) {
        await tx
          .delete(attestationKeys)
          .where(
            and(
              inArray(attestationKeys.hubIndex, [...indexes]),
              inArray(attestationKeys.attestationId, list),
            ),
          );
      }
      await tx.delete(attestations).where(inArray(attestations.id, list));
      const leaves = await tx
        .select({ index: logEntries.index, id: logEntries.statementId })
        .from(logEntries)
        .where(inArray(logEntries.statementId, list));
      await tx
        .update(logEntries)
        .set({ salt: null, statementId: null })
        .where(inArray(logEntries.statementId, list));
      return new Map(leaves.map((l) => [l.id!, l.index]));
    },

    async record(rows: readonly NewExpungement[]): Promise<void> {
      if (rows.length > 0) await tx.insert(logExpungements).values([...rows]);
    },
  };
}

export type ExpungeRepository = ReturnType<typeof expungeRepository>;
