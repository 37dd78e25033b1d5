/**
 * The release build as it was before the hub counted in SQL (kept for comparison only): every
 * statement received before the cutoff read into memory in id order, with the registry, then
 * selectCountableRecords and buildStatisticsTable on the event loop. At 1M statements it took
 * ~1 GB and seconds of blocked event loop (docs/performance.md, "Statistics").
 * statistics-release.test.ts proves the hub's build gives the same bytes; the benchmark
 * test/bench/statistics-release.ts measures both.
 */
import { asc, lt } from 'drizzle-orm';
import {
  buildStatisticsTable,
  selectCountableRecords,
  type AgencyJurisdiction,
  type AttestationMetadataRow,
  type StatisticsTable,
} from './disclosure/index.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import type { Category } from '../../protocol/categories.js';
import type { JurisdictionLevel } from '../../protocol/registry-entry.js';
import type { UsJurisdictionCode } from '../../crypto/us-jurisdictions.js';
import type { HubDatabase } from '../database.js';
import { attestations } from '../intake/intake.table.js';
import { agencies } from '../registry/registry.table.js';
import { publishedYears } from './statistics.service.js';

export async function metadataBefore(
  db: HubDatabase,
  cutoff: Date,
): Promise<AttestationMetadataRow[]> {
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
}

export async function jurisdictions(db: HubDatabase): Promise<Map<string, AgencyJurisdiction>> {
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
}

/** The former statisticsService build(cutoff), verbatim in effect. */
export async function referenceBuild(
  db: HubDatabase,
  cutoff: Date,
  minCell: number,
): Promise<StatisticsTable> {
  const [rows, registry] = await Promise.all([metadataBefore(db, cutoff), jurisdictions(db)]);
  const years = publishedYears(new Date(cutoff.getTime() - 1));
  const records = selectCountableRecords(rows, registry).filter((r) => years.includes(r.year));
  return buildStatisticsTable(records, { now: cutoff, minCell, years });
}
