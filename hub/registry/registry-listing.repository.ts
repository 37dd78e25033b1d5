/**
 * The registry as the public agencies page lists it (hub/pages): a page of agencies in ORI order,
 * filtered by level and state, and how many match — without their keys or contact. One bounded
 * query per page, whatever the registry's size (GET /v1/registry/agencies reads every entry with
 * its keys; a national registry has some 18 000).
 */
import { and, asc, count, eq, isNull, type SQL } from 'drizzle-orm';
import {
  AGENCY_ROLES,
  type AgencyRole,
  type AgencyStatus,
  type JurisdictionLevel,
} from '../../protocol/registry-entry.js';
import type { HubDatabase } from '../database.js';
import { agencies } from './registry.table.js';

export interface ListedAgency {
  readonly ori: string;
  readonly name: string;
  readonly jurisdiction: JurisdictionLevel;
  readonly state: string | null;
  readonly roles: readonly AgencyRole[];
  readonly status: AgencyStatus;
}

export interface AgencyListing {
  readonly level?: JurisdictionLevel | undefined;
  /** A state or territory code, or `none` for agencies without one. */
  readonly state?: string | undefined;
}

function where(filter: AgencyListing): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.level !== undefined) conditions.push(eq(agencies.jurisdiction, filter.level));
  if (filter.state === 'none') conditions.push(isNull(agencies.state));
  else if (filter.state !== undefined) conditions.push(eq(agencies.state, filter.state));
  return conditions.length === 0 ? undefined : and(...conditions);
}

export function registryListingRepository(db: HubDatabase) {
  return {
    /** Agencies matching `filter`, in ORI order, from `offset`, at most `limit`. */
    async page(filter: AgencyListing, offset: number, limit: number): Promise<ListedAgency[]> {
      const rows = await db
        .select({
          ori: agencies.ori,
          name: agencies.name,
          jurisdiction: agencies.jurisdiction,
          state: agencies.state,
          roles: agencies.roles,
          status: agencies.status,
        })
        .from(agencies)
        .where(where(filter))
        .orderBy(asc(agencies.ori))
        .offset(offset)
        .limit(limit);
      return rows.map((r) => ({
        ...r,
        jurisdiction: r.jurisdiction as JurisdictionLevel,
        roles: AGENCY_ROLES.filter((role) => r.roles.includes(role)),
        status: r.status as AgencyStatus,
      }));
    },

    /** How many agencies match `filter`. */
    async count(filter: AgencyListing = {}): Promise<number> {
      const [row] = await db.select({ n: count() }).from(agencies).where(where(filter));
      return Number(row?.n ?? 0);
    },
  };
}

export type RegistryListingRepository = ReturnType<typeof registryListingRepository>;
