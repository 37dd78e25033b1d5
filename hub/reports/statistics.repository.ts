/**
 * What the public statistics read (docs/hub.md, "Statistics"): attestation metadata only —
 * never hub indexes or statements — and each issuer's jurisdiction from the registry.
 */
import { count, max } from 'drizzle-orm';
import type { AgencyJurisdiction, AttestationMetadataRow } from '../statistics/index.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Category } from '../../protocol/categories.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import type { UsJurisdictionCode } from '../../crypto/us-jurisdictions.js';
import { attestations } from '../intake/intake.table.js';
import type { HubDatabase } from '../registry/registry.repository.js';
import { agencies } from '../registry/registry.table.js';

export function statisticsRepository(db: HubDatabase) {
  return {
    /**
     * Changes whenever a statement is stored (every supersession stores one). Registry entries
     * never change jurisdiction after enrollment, so the registry needs no part in it.
     */
    async fingerprint(): Promise<string> {
      const [row] = await db
        .select({ n: count(), last: max(attestations.receivedAt) })
        .from(attestations);
      return `${row?.n ?? 0}:${row?.last?.toISOString() ?? '-'}`;
    },

    async metadata(): Promise<AttestationMetadataRow[]> {
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
        .from(attestations);
      return rows.map((r) => ({
        ...r,
        category: r.category as Category,
        status: r.status as AttestationStatus,
      }));
    },

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
  };
}
