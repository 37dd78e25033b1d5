/**
 * What the public statistics read (docs/hub.md, "Statistics"): attestation metadata and each
 * issuer's jurisdiction from the registry, counted in the database so that only one row per
 * table cell comes back (docs/statistics.md, "Releases"); the hub indexes of the counted
 * statements, only inside the database, to link them into officers (docs/statistics.md,
 * "Distinct officers") — no hub index comes back; and the released tables, one per cutoff
 * (statistics.table.ts).
 */
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  countableRecord,
  NO_STATE,
  StatisticsError,
  type AgencyJurisdiction,
  type AttestationMetadataRow,
  type CellGroup,
  TOTAL,
} from './disclosure/index.js';
import type { OfficerGroup } from './disclosure/officers.js';
import { MATCH_KEY_STRENGTH, type MatchKeyKind } from '../../crypto/match-key-kind.js';
import type { AttestationStatus } from '../../protocol/attestation.js';
import { CATEGORIES, type Category } from '../../protocol/categories.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../protocol/registry-entry.js';
import { US_JURISDICTION_CODES, type UsJurisdictionCode } from '../../crypto/us-jurisdictions.js';
import { attestationKeys, attestations } from '../intake/intake.table.js';
import type { HubDatabase } from '../database.js';
import { agencies } from '../registry/registry.table.js';
import { statisticsSnapshots } from './statistics.table.js';
import { certifications } from '../certifications/certifications.table.js';
import type { Period } from '../../protocol/certification.js';
import type { CoverageAgency } from '../../protocol/statistics-coverage.js';

function rowsOf(result: unknown): Record<string, unknown>[] {
  // Raw results differ by driver (platform/db/database.ts): an array, or { rows }.
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * Whether a current final row (alias a) and its issuer (alias g, left-joined) pass
 * countableRecord's checks: the same lists, and the date pattern of IsoDateSchema (zod's
 * calendar-date expression, which PostgreSQL's regular expressions read the same way) with its
 * 1900 floor.
 */
const validRow = sql`coalesce(a.category in (${list(CATEGORIES)})
  and a.outcome_date ~ ${z.regexes.date.source}
  and a.outcome_date >= '1900-01-01'
  and g.ori is not null
  and g.jurisdiction in (${list(JURISDICTION_LEVELS)})
  and (g.state is null or g.state in (${list(US_JURISDICTION_CODES)})), false)`;

/** Rows (alias a) received before `at` that count if valid: final, and current as of `at`. */
const currentFinal = (at: string) => sql`a.received_at < ${at}::timestamptz
  and a.status = 'final'
  and not exists (select 1 from ${attestations} s
                   where s.supersedes = a.id and s.received_at < ${at}::timestamptz)`;

/** The position of statement `id` among those received before `at`, in id order. */
async function rowIndex(tx: HubDatabase, at: string, id: string): Promise<number> {
  const result: unknown = await tx.execute(sql`select count(*)::int as n from ${attestations}
    where received_at < ${at}::timestamptz and id < ${id}`);
  return Number(rowsOf(result)[0]!['n']);
}

/** Throws STATISTICS_SUPERSESSION_ISSUER for the first such statement before `at`, if any. */
async function firstCrossIssuerSupersession(tx: HubDatabase, at: string): Promise<void> {
  const result: unknown = await tx.execute(sql`select a.id from ${attestations} a
      join ${attestations} t on t.id = a.supersedes
     where a.received_at < ${at}::timestamptz and t.received_at < ${at}::timestamptz
       and t.issuer <> a.issuer
     order by a.id limit 1`);
  const [row] = rowsOf(result);
  if (row === undefined) return;
  const index = await rowIndex(tx, at, String(row['id']));
  throw new StatisticsError(
    'STATISTICS_SUPERSESSION_ISSUER',
    'a statement may only supersede a statement of its own issuer',
    { field: `rows[${index}].supersedes` },
  );
}

/**
 * Throws countableRecord's error for the first current final row before `at` that validRow
 * refuses: the row and its issuer are read and checked by the same code as in memory.
 */
async function firstInvalidRow(tx: HubDatabase, at: string): Promise<never> {
  const result: unknown = await tx.execute(sql`select a.id, a.issuer, a.category,
         a.use_of_force, a.outcome_date, a.status, a.supersedes,
         g.jurisdiction, g.state, g.ori is not null as enrolled
      from ${attestations} a left join ${agencies} g on g.ori = a.issuer
     where ${currentFinal(at)} and not ${validRow}
     order by a.id limit 1`);
  const [r] = rowsOf(result);
  if (r === undefined) {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'a row changed during the count');
  }
  const row: AttestationMetadataRow = {
    id: String(r['id']),
    issuer: String(r['issuer']),
    category: r['category'] as Category,
    useOfForce: r['use_of_force'] as boolean,
    outcomeDate: String(r['outcome_date']),
    status: r['status'] as AttestationStatus,
    supersedes: r['supersedes'] === null ? null : String(r['supersedes']),
  };
  const registry = new Map<string, AgencyJurisdiction>();
  if (r['enrolled'] === true) {
    registry.set(row.issuer, {
      jurisdiction: r['jurisdiction'] as JurisdictionLevel,
      state: r['state'] as UsJurisdictionCode | null,
    });
  }
  const index = await rowIndex(tx, at, row.id);
  countableRecord(row, index, registry);
  // Not reached unless the query and countableRecord disagree: still refuse, naming the row.
  throw new StatisticsError('STATISTICS_RECORD_INVALID', 'row refused by the count', {
    field: `rows[${index}]`,
  });
}

/** The strong match-key kinds (crypto/match-key-kind.ts): those that link statements. */
const LINKING_KINDS = (Object.keys(MATCH_KEY_STRENGTH) as MatchKeyKind[]).filter(
  (k) => MATCH_KEY_STRENGTH[k] === 'strong',
);

/**
 * Distinct officers among the statements the statement table counts (current, final and valid
 * as of `at`, outcome year from `first` to `last`), by category × year with every margin
 * (docs/statistics.md, "Distinct officers"). Two such statements are one officer when they
 * share a hub index of a strong kind (ssn, license) under the same key epoch, and so on
 * transitively: each statement is labelled with the least id of its connected component by a
 * recursive query over those links, and a cell counts the distinct labels of its statements.
 * Only the groups come back. Called after the counts' checks, in their transaction.
 */
async function officerCounts(
  tx: HubDatabase,
  at: string,
  first: string,
  last: string,
): Promise<OfficerGroup[]> {
  const result: unknown = await tx.execute(sql`
    with recursive counted as (
      select a.id, a.epoch, a.category, substr(a.outcome_date, 1, 4) as year
        from ${attestations} a
        join ${agencies} g on g.ori = a.issuer
       where ${currentFinal(at)}
         and substr(a.outcome_date, 1, 4) >= ${first} and substr(a.outcome_date, 1, 4) <= ${last}
    ),
    strong as (
      select k.attestation_id as id, c.epoch, k.hub_index
        from ${attestationKeys} k join counted c on c.id = k.attestation_id
       where k.kind in (${list(LINKING_KINDS)})
    ),
    link as (
      select distinct x.id as src, y.id as dst
        from strong x join strong y
          on y.hub_index = x.hub_index and y.epoch = x.epoch and y.id <> x.id
    ),
    reach (id, root) as (
      select id, id from counted
      union
      select l.dst, r.root from reach r join link l on l.src = r.id
    ),
    officer as (select id, min(root) as officer from reach group by id)
    select c.category, c.year, grouping(c.category) as all_categories,
           grouping(c.year) as all_years, count(distinct o.officer)::int as officers
      from counted c join officer o on o.id = c.id
     group by grouping sets ((c.category, c.year), (c.category), (c.year), ())`);
  return rowsOf(result).map((r) => ({
    category: Number(r['all_categories']) === 1 ? TOTAL : (r['category'] as Category),
    year: Number(r['all_years']) === 1 ? TOTAL : Number(r['year']),
    officers: Number(r['officers']),
  }));
}

export interface StoredSnapshot {
  readonly cutoff: Date;
  readonly minCell: number;
  readonly tableJson: string;
  /** The OfficerTable as JSON; null for tables stored before officers were counted. */
  readonly officersJson: string | null;
}

/** A snapshot's release (statistics.table.ts): absent until the table is released. */
export interface StoredRelease {
  readonly version: number;
  readonly coverageJson: string;
  readonly releaseJws: string;
  readonly logIndex: number;
}

/** Another replica released the snapshot first: read its release instead. */
export class ReleaseRaceError extends Error {}

export function statisticsRepository(db: HubDatabase) {
  async function snapshot(
    cutoff: Date,
  ): Promise<(StoredSnapshot & { release: StoredRelease | undefined }) | undefined> {
    const [row] = await db
      .select({
        cutoff: statisticsSnapshots.cutoff,
        minCell: statisticsSnapshots.minCell,
        tableJson: statisticsSnapshots.tableJson,
        officersJson: statisticsSnapshots.officersJson,
        version: statisticsSnapshots.version,
        coverageJson: statisticsSnapshots.coverageJson,
        releaseJws: statisticsSnapshots.releaseJws,
        logIndex: statisticsSnapshots.logIndex,
      })
      .from(statisticsSnapshots)
      .where(eq(statisticsSnapshots.cutoff, cutoff));
    if (row === undefined) return undefined;
    const { version, coverageJson, releaseJws, logIndex, ...stored } = row;
    const release =
      version === null || coverageJson === null || releaseJws === null || logIndex === null
        ? undefined
        : { version, coverageJson, releaseJws, logIndex };
    return { ...stored, release };
  }

  async function releaseData(cutoff: Date, years: readonly number[], withOfficers: boolean) {
    const at = cutoff.toISOString();
    const [first, last] = [Math.min(...years), Math.max(...years)].map((y) =>
      String(y).padStart(4, '0'),
    );
    return db.transaction(
      async (tx) => {
        // Room to hash the groups and the superseded ids in memory: with the default 4 MB, at
        // 1M statements PostgreSQL sorted 565 000 rows on disk to group them and split the
        // anti-join into 16 batches (10.6 s against a few). For this transaction only.
        await tx.execute(sql`set local work_mem = '64MB'`);
        await firstCrossIssuerSupersession(tx, at);
        const result: unknown = await tx.execute(sql`
            select case when v.ok then v.category end as category,
                   case when v.ok then v.year end as year,
                   case when v.ok then v.level end as level,
                   case when v.ok then v.state end as state,
                   case when v.ok then v.use_of_force end as use_of_force,
                   v.ok, count(*)::int as count
              from (select a.category, substr(a.outcome_date, 1, 4) as year,
                           g.jurisdiction as level, g.state, a.use_of_force,
                           ${validRow} as ok
                      from ${attestations} a
                      left join ${agencies} g on g.ori = a.issuer
                     where ${currentFinal(at)}
                    -- A fence: without it the planner inlines ok into every grouping key and
                    -- evaluates the checks (a regular expression among them) seven times a row.
                    offset 0) v
             where not v.ok or (v.year >= ${first} and v.year <= ${last})
             group by 1, 2, 3, 4, 5, 6`);
        const rows = rowsOf(result);
        if (rows.some((r) => r['ok'] !== true)) await firstInvalidRow(tx, at);
        const groups = rows.map((r): CellGroup => ({
          values: {
            category: r['category'] as Category,
            year: Number(r['year']),
            level: r['level'] as JurisdictionLevel,
            state: r['state'] === null ? NO_STATE : (r['state'] as UsJurisdictionCode),
            useOfForce: r['use_of_force'] === true,
          },
          count: Number(r['count']),
        }));
        return {
          groups,
          officers: withOfficers ? await officerCounts(tx, at, first!, last!) : undefined,
        };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  return {
    /**
     * The interior counts of the release for `cutoff` over `years`, counted in the database:
     * the current statement of each chain as of the cutoff (no statement received before the
     * cutoff supersedes it), when final, by category, year of outcomeDate, the issuer's level
     * and state, and use of force — the records selectCountableRecords selects, grouped. Only
     * the groups come back (at most one per interior cell), whatever the number of statements.
     *
     * Runs in one read-only REPEATABLE READ transaction, so the checks and the counts see the
     * same statements. Throws the StatisticsError selectCountableRecords throws for the same
     * rows in id order (the first offending row, its `rows[i]` index): a statement superseding
     * another issuer's, or a current final statement with a malformed category or date or an
     * issuer the registry does not know or cannot place. Duplicate ids, two statements
     * superseding one and unknown statuses cannot be stored (primary key, unique index, CHECK).
     */
    async releaseCounts(cutoff: Date, years: readonly number[]): Promise<CellGroup[]> {
      return (await releaseData(cutoff, years, false)).groups;
    },

    /**
     * releaseCounts and, in the same transaction, the distinct officers of the same statements
     * by category × year with every margin (officerCounts).
     */
    async releaseCountsAndOfficers(
      cutoff: Date,
      years: readonly number[],
    ): Promise<{ groups: CellGroup[]; officers: OfficerGroup[] }> {
      const { groups, officers } = await releaseData(cutoff, years, true);
      return { groups, officers: officers ?? [] };
    },

    snapshot,

    /**
     * The active reporting agencies as coverage sees them at `cutoff` (protocol/
     * statistics-coverage.ts): enrolled before the cutoff, active and with the reporter role;
     * whether the head of its `period` chain as of the cutoff exists (certified, with that
     * headcount), else the headcount of the head of its most recently received chain, else none.
     * Certifications received after the cutoff do not count, so a rebuilt release agrees.
     */
    async coverageAgencies(cutoff: Date, period: Period): Promise<CoverageAgency[]> {
      const at = cutoff.toISOString();
      const result: unknown = await db.execute(sql`
        select g.ori, h.period = ${period} as certified, h.sworn
          from ${agencies} g
          left join lateral (
            select c.period, c.sworn from ${certifications} c
             where c.issuer = g.ori and c.received_at < ${at}::timestamptz
               and not exists (select 1 from ${certifications} s
                                where s.supersedes = c.id and s.received_at < ${at}::timestamptz)
             order by c.period = ${period} desc, c.received_at desc, c.id desc
             limit 1) h on true
         where g.status = 'active' and 'reporter' = any(g.roles)
           and g.enrolled_at < ${at}::timestamptz
         order by g.ori`);
      return rowsOf(result).map((r) => ({
        certified: r['certified'] === true,
        sworn: r['sworn'] === null || r['sworn'] === undefined ? null : Number(r['sworn']),
      }));
    },

    /** The distinct periods certified before `cutoff` (for a release's coverage series). */
    async certifiedPeriods(cutoff: Date): Promise<string[]> {
      const result: unknown = await db.execute(sql`
        select distinct c.period from ${certifications} c
         where c.received_at < ${cutoff.toISOString()}::timestamptz
         order by c.period`);
      return rowsOf(result).map((r) => String(r['period']));
    },

    /** The highest release number given so far (0 for none). */
    async lastVersion(tx: HubDatabase = db): Promise<number> {
      const result: unknown = await tx.execute(
        sql`select coalesce(max(version), 0)::int as v from ${statisticsSnapshots}`,
      );
      return Number(rowsOf(result)[0]!['v']);
    },

    /**
     * Records the release of the snapshot for `cutoff` in `tx`; ReleaseRaceError when it was
     * released meanwhile (the caller's transaction, log entry included, then rolls back).
     */
    async storeRelease(tx: HubDatabase, cutoff: Date, release: StoredRelease): Promise<void> {
      const updated = await tx
        .update(statisticsSnapshots)
        .set(release)
        .where(and(eq(statisticsSnapshots.cutoff, cutoff), isNull(statisticsSnapshots.version)))
        .returning({ cutoff: statisticsSnapshots.cutoff });
      if (updated.length !== 1) throw new ReleaseRaceError('released meanwhile');
    },

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
