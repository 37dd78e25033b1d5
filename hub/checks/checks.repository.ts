/**
 * The matching queries of a check (docs/protocol.md §5.8.1): the current statements of the
 * request's epoch that share a hub index with the request. "Current" under an epoch is the
 * chain's live statement of that epoch (intake.table.ts): the head, or during an epoch
 * changeover the statement the head only re-stated under a newer epoch; retracted, overturned
 * and expired ones are never returned (docs/protocol.md §5.8.4). Each lookup is an index scan
 * on attestation_keys.hub_index.
 */
import { and, countDistinct, eq, inArray, notInArray } from 'drizzle-orm';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import type { HubDatabase } from '../database.js';
import { NEVER_SHOWN_STATUSES } from '../../protocol/disclosure.js';

/** Statuses whose chains are never shown to a checker (§5.8.4). */
const HIDDEN_STATUSES = [...NEVER_SHOWN_STATUSES];

export type MatchedStatement = typeof attestations.$inferSelect;

export function checksRepository(db: HubDatabase) {
  const current = (epoch: number, indexes: readonly string[]) =>
    and(
      inArray(attestationKeys.hubIndex, [...indexes]),
      eq(attestations.epoch, epoch),
      eq(attestations.live, true),
      notInArray(attestations.status, HIDDEN_STATUSES),
    );

  return {
    /** Ids of current statements sharing an index with `indexes`, at most `limit` of them. */
    async matchingIds(epoch: number, indexes: readonly string[], limit: number): Promise<string[]> {
      const rows = await db
        .selectDistinct({ id: attestations.id })
        .from(attestationKeys)
        .innerJoin(attestations, eq(attestations.id, attestationKeys.attestationId))
        .where(current(epoch, indexes))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /** How many current statements share an index (only asked when there are too many). */
    async countMatching(epoch: number, indexes: readonly string[]): Promise<number> {
      const [row] = await db
        .select({ n: countDistinct(attestations.id) })
        .from(attestationKeys)
        .innerJoin(attestations, eq(attestations.id, attestationKeys.attestationId))
        .where(current(epoch, indexes));
      return row?.n ?? 0;
    },

    async statements(ids: readonly string[]): Promise<MatchedStatement[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(attestations)
        .where(inArray(attestations.id, [...ids]));
    },

    /** The (kind, hub index) pairs of statements `ids` that are among `indexes`. */
    async sharedKeys(
      ids: readonly string[],
      indexes: readonly string[],
    ): Promise<{ attestationId: string; hubIndex: string; kind: string }[]> {
      if (ids.length === 0) return [];
      return db
        .select({
          attestationId: attestationKeys.attestationId,
          hubIndex: attestationKeys.hubIndex,
          kind: attestationKeys.kind,
        })
        .from(attestationKeys)
        .where(
          and(
            inArray(attestationKeys.attestationId, [...ids]),
            inArray(attestationKeys.hubIndex, [...indexes]),
          ),
        );
    },
  };
}
