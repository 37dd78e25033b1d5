/**
 * What the public statistics read (docs/hub.md, "Statistics"): attestation metadata only —
 * never hub indexes or statements — and each issuer's jurisdiction from the registry; and the
 * released tables, one per cutoff (statistics.table.ts).
 */
import { asc, desc, eq, lt } from 'drizzle-orm';
import type { AgencyJurisdiction, AttestationMetadataRow } from './disclosure/index.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Category } from '../../protocol/categories.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import type { UsJurisdictionCode } from '../../crypto/us-jurisdictions.js';
import { attestations } from '../intake/intake.table.js';
import type { HubDatabase } from '../database.js';
import { agencies } from '../registry/registry.table.js';
import { statisticsSnapshots } from './statistics.table.js';

export interface StoredSnapshot {
  readonly cutoff: Date;
  readonly minCell: number;
  readonly tableJson: string;
}

export function statisticsRepository(db: HubDatabase) {
  async function snapshot(cutoff: Date): Promise<StoredSnapshot | undefined> {
    const [row] = await db
      .select({
        cutoff: statisticsSnapshots.cutoff,
        minCell: statisticsSnapshots.minCell,
        tableJson: statisticsSnapshots.tableJson,
      })
      .from(statisticsSnapshots)
      .where(eq(statisticsSnapshots.cutoff, cutoff));
    return row;
  }

  return {
    /**
     * Every statement received before `cutoff`, in id order (the order does not change the
     * table; a fixed one makes a rebuild read exactly what the first build read).
     */
    async metadataBefore(cutoff: Date): Promise<AttestationMetadataRow[]> {
      const rows = await db
        .select({
          id: attestations.id,
          issuer: attestations.issuer,
          category: attestations.category,
          useOfForce: attestations.useOfForce,
          outcomeDate: attestations.outcomeDate,
          status: attestations.status,
          supersedes: attestations.supersedes,
        })
        .from(attestations)
        .where(lt(attestations.receivedAt, cutoff))
        .orderBy(asc(attestations.id));
      return rows.map((r) => ({
        ...r,
        category: r.category as Category,
        status: r.status as AttestationStatus,
      }));
    },

    /** Registry entries never change jurisdiction after enrollment: today's are the cutoff's. */
    async jurisdictions(): Promise<Map<string, AgencyJurisdiction>> {
      const rows = await db
        .select({ ori: agencies.ori, jurisdiction: agencies.jurisdiction, state: agencies.state })
        .from(agencies);
      return new Map(
        rows.map((r) => [
          r.ori,
          {
            jurisdiction: r.jurisdiction as JurisdictionLevel,
            state: r.state as UsJurisdictionCode | null,
          },
        ]),
      );
    },

    snapshot,

    /**
     * Stores the table for `cutoff` unless one is there already — another replica may have
     * built it meanwhile — and returns the one stored, which every replica then serves.
     */
    async storeSnapshot(built: StoredSnapshot, builtAt: Date): Promise<StoredSnapshot> {
      await db
        .insert(statisticsSnapshots)
        .values({ ...built, builtAt })
        .onConflictDoNothing({ target: statisticsSnapshots.cutoff });
      // Absent only if pruned in between, which needs `keep` newer cutoffs: serve what we built.
      return (await snapshot(built.cutoff)) ?? built;
    },

    /** Deletes all but the newest `keep` snapshots. */
    async pruneSnapshots(keep: number): Promise<void> {
      const kept = await db
        .select({ cutoff: statisticsSnapshots.cutoff })
        .from(statisticsSnapshots)
        .orderBy(desc(statisticsSnapshots.cutoff))
        .offset(keep - 1)
        .limit(1);
      const oldestKept = kept[0]?.cutoff;
      if (oldestKept) {
        await db.delete(statisticsSnapshots).where(lt(statisticsSnapshots.cutoff, oldestKept));
      }
    },
  };
}
