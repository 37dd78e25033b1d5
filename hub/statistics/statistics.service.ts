/**
 * The public statistics table (design brief §8): counts by category × year × jurisdiction
 * level × state over the current, final statement of every chain, with small cells and their
 * complements suppressed. The maths is hub/statistics (pure); this service decides which
 * statements a release covers and keeps releases stable (docs/statistics.md, "Releases").
 *
 * A release covers the statements received before a cutoff, the start of the current period
 * (statistics-period.ts), so it changes once per period and two consecutive releases differ by
 * a whole period's statements, not by one. Its table is a function of the cutoff alone: the
 * clock passed to the maths is the cutoff, the years are those up to the cutoff's, the rows
 * are read in a fixed order. The first build for a cutoff is stored
 * (statistics.table.ts) and served from then on by every replica and after every restart.
 */
import { signStatement, type JsonObject, type SigningKey } from '../../crypto/signing/index.js';
import {
  lastClosedPeriod,
  periodBounds,
  periodLength,
  previousPeriod,
  type Period,
  type PeriodLength,
} from '../../protocol/certification.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import {
  coverageOf,
  coverageTier,
  CoverageSchema,
  CoverageSeriesSchema,
  MAX_COVERAGE_SERIES,
  type Coverage,
  type CoverageSeriesEntry,
} from '../../protocol/statistics-coverage.js';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import { assembleTable, prepareGroupedTable, type StatisticsTable } from './disclosure/index.js';
import { noisyCounts, noiseStatement, type NoiseRng } from './disclosure/noise.js';
import { buildOfficerTable, type OfficerTable } from './disclosure/officers.js';
import type { HubDatabase } from '../database.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import { encodeBody, type EncodedBody } from './release-bodies.js';
import {
  bodyDigest,
  releaseCsv,
  releaseDocument,
  releaseLogEntry,
  type ReleaseFacts,
} from './release-document.js';
import { releaseWindow, type ReleaseWindow, type StatisticsPeriod } from './statistics-period.js';
import {
  ReleaseRaceError,
  statisticsRepository,
  type StoredRelease,
} from './statistics.repository.js';
import { suppressInThread, type SuppressionRunner } from './suppression-thread.js';

/** A release's stored coverage: the coverage, and its series when stored with it. */
const StoredCoverageSchema = CoverageSchema.extend({ series: CoverageSeriesSchema.optional() });

/** Lets the event loop run what is waiting (I/O, timers) before the next step of a build. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The years published: the year of the cutoff's last covered instant and the nine before it
 * (an outcome older than that is past the default retention period, docs/protocol.md §5.13). A fixed window keeps the table's
 * shape the same from one release to the next, and one stray old date cannot blow the table
 * up.
 */
export const PUBLISHED_YEARS = 10;

/** Stored releases kept: eight years of monthly ones, a hundred days of daily ones. */
export const SNAPSHOTS_KEPT = 100;

/** The years of the release whose last covered instant is `last`. */
export function publishedYears(last: Date): number[] {
  const year = last.getUTCFullYear();
  return Array.from({ length: PUBLISHED_YEARS }, (_, i) => year - PUBLISHED_YEARS + 1 + i);
}

export interface StatisticsServiceOptions {
  /** Smallest count published (SPX_HUB_STATS_MIN_CELL); smaller non-zero cells are suppressed. */
  readonly minCell: number;
  /** SPX_HUB_STATS_PERIOD. */
  readonly period: StatisticsPeriod;
  /** Where the suppression runs; default a worker thread (suppression-thread.ts). */
  readonly suppress?: SuppressionRunner;
  /** Signs release manifests (the hub's key, GET /v1/hub/keys). */
  readonly signingKey: SigningKey;
  /** Where releases are logged. */
  readonly log: TransparencyLog;
  /** The certification period coverage is measured on (SPX_HUB_CERTIFICATION_PERIOD). */
  readonly certificationPeriod: PeriodLength;
  /**
   * Differential-privacy noise on each release (SPX_HUB_STATS_DP_EPSILON; disclosure/noise.ts):
   * its ε, and the randomness (crypto.randomBytes in the hub). Absent: no noise.
   */
  readonly noise?: { readonly epsilon: number; readonly rng: NoiseRng } | undefined;
}

export interface StatisticsRelease {
  readonly period: StatisticsPeriod;
  readonly window: ReleaseWindow;
  /** The stored table for `window.cutoff`, suppression reasons included (not for publication). */
  readonly table: StatisticsTable;
  /** Its distinct officers; absent for a table stored before officers were counted. */
  readonly officers: OfficerTable | undefined;
  /** Its number, coverage and tier. */
  readonly facts: ReleaseFacts;
  /** The hub's signed manifest (docs/protocol.md §5.17), a compact JWS. */
  readonly manifest: string;
  /** Its leaf in the transparency log. */
  readonly logIndex: number;
  /** The bodies served, encoded once (release-bodies.ts). */
  readonly json: EncodedBody;
  readonly csv: EncodedBody;
}

/** The stored table and its release, before rendering. */
interface LoadedRelease {
  readonly table: StatisticsTable;
  readonly officers: OfficerTable | undefined;
  readonly release: StoredRelease;
}

export function statisticsService(db: HubDatabase, options: StatisticsServiceOptions) {
  const repo = statisticsRepository(db);
  const suppress = options.suppress ?? suppressInThread;
  let current: { cutoff: number; release: Promise<StatisticsRelease> } | undefined;

  /**
   * The table of the statements received before `cutoff`; the same for the same data, and the
   * same as buildStatisticsTable over selectCountableRecords of every row in id order (kept
   * byte for byte: statistics-release.test.ts). The database counts (one row per cell comes
   * back, not one per statement) and a worker thread suppresses, so neither the hub's memory
   * nor its event loop carries the build.
   */
  async function buildRelease(
    cutoff: Date,
  ): Promise<{ table: StatisticsTable; officers: OfficerTable }> {
    const years = publishedYears(new Date(cutoff.getTime() - 1));
    const { groups, officers } = await repo.releaseCountsAndOfficers(cutoff, years);
    const grouped = prepareGroupedTable(groups, { now: cutoff, minCell: options.minCell, years });
    const { prepared } = grouped;
    const noise = options.noise;
    // Noise before suppression: the suppression then protects the noisy table like any other.
    const counts = noise
      ? noisyCounts(prepared.shape, grouped.counts, noise.epsilon, noise.rng)
      : grouped.counts;
    const assembled = assembleTable(
      prepared,
      counts,
      await suppress(prepared.shape, counts, prepared.minCell),
    );
    const table = noise
      ? { ...assembled, metadata: { ...assembled.metadata, noise: noiseStatement(noise.epsilon) } }
      : assembled;
    // After the statement table: its suppression (and its noisy counts) bound the officers.
    return { table, officers: buildOfficerTable(table, officers, noise) };
  }

  async function build(cutoff: Date): Promise<StatisticsTable> {
    return (await buildRelease(cutoff)).table;
  }

  /** The stored table for `cutoff`, built and stored first if no replica has done so. */
  async function loadTable(
    cutoff: Date,
    now: Date,
  ): Promise<{
    table: StatisticsTable;
    officers: OfficerTable | undefined;
    stored: Awaited<ReturnType<typeof repo.snapshot>>;
  }> {
    const parse = (s: { tableJson: string; officersJson: string | null }) => ({
      // Our own rows, written below through JSON.stringify.
      table: JSON.parse(s.tableJson) as StatisticsTable,
      officers: s.officersJson === null ? undefined : (JSON.parse(s.officersJson) as OfficerTable),
    });
    const stored = await repo.snapshot(cutoff);
    if (stored) return { ...parse(stored), stored };
    const { table, officers } = await buildRelease(cutoff);
    // Each step below is tens of milliseconds for the national table: one at a time, with the
    // checks that arrived meanwhile answered in between.
    await yieldToLoop();
    const tableJson = JSON.stringify(table);
    const officersJson = JSON.stringify(officers);
    const kept = await repo.storeSnapshot(
      { cutoff, minCell: options.minCell, tableJson, officersJson },
      now,
    );
    await repo.pruneSnapshots(SNAPSHOTS_KEPT);
    const same = kept.tableJson === tableJson && kept.officersJson === officersJson;
    return { ...(same ? { table, officers } : parse(kept)), stored: undefined };
  }

  /**
   * Releases the stored table of `window`: coverage as of the cutoff, the next release number,
   * the log entry with the bodies' digests, and the signed manifest, in one transaction with
   * the snapshot's release columns. A replica that loses the race reads the winner's release.
   */
  async function release(
    window: ReleaseWindow,
    table: StatisticsTable,
    officers: OfficerTable | undefined,
    now: Date,
  ) {
    const cutoff = window.cutoff;
    const period = lastClosedPeriod(new Date(cutoff.getTime() - 1), options.certificationPeriod);
    const coverage = coverageOf(period, await repo.coverageAgencies(cutoff, period));
    const tier = coverageTier(coverage);
    const coverageSeries = await seriesOf(cutoff, period);
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction(async (tx) => {
          const version = (await repo.lastVersion(tx)) + 1;
          const input = {
            period: options.period,
            window,
            table,
            officers,
            facts: { version, coverage, tier, coverageSeries },
          };
          const digests = {
            json: bodyDigest(new TextEncoder().encode(JSON.stringify(releaseDocument(input)))),
            csv: bodyDigest(new TextEncoder().encode(releaseCsv(input))),
          };
          const entry = releaseLogEntry(input, digests, now);
          const { append } = await options.log.appendAndCheckpoint(tx, [{ entry }], now);
          const manifest = await signStatement(
            { ...entry, logIndex: append.first } as unknown as JsonObject,
            { typ: STATEMENT_TYPES.statisticsRelease, key: options.signingKey },
          );
          const stored: StoredRelease = {
            version,
            // The series rides with the coverage it ends at (no column of its own); releases
            // stored before it have none, and their bodies stay as they were.
            coverageJson: JSON.stringify({ ...coverage, series: coverageSeries }),
            releaseJws: manifest,
            logIndex: append.first,
          };
          await repo.storeRelease(tx, cutoff, stored);
          return stored;
        });
      } catch (e) {
        // Released meanwhile by another replica, or another cutoff took this number.
        if (!(e instanceof ReleaseRaceError || isUniqueViolation(e)) || attempt >= 2) throw e;
        const winner = (await repo.snapshot(cutoff))?.release;
        if (winner) return winner;
      }
    }
  }

  /**
   * The coverage series of a release (docs/statistics.md "Coverage"): every closed period of
   * the hub's certification length from the first certified one — not before the release's
   * first published year — to `last`, each as of the cutoff (the same rule as the release's
   * own coverage), at most MAX_COVERAGE_SERIES of the latest.
   */
  async function seriesOf(cutoff: Date, last: Period): Promise<CoverageSeriesEntry[]> {
    const length = periodLength(last);
    const firstYear = String(publishedYears(new Date(cutoff.getTime() - 1))[0]);
    const certified = (await repo.certifiedPeriods(cutoff)).filter(
      (p) => periodLength(p) === length && p <= last,
    );
    if (certified.length === 0) return [];
    const periods: Period[] = [];
    for (let p = last; periods.length < MAX_COVERAGE_SERIES; p = previousPeriod(p)) {
      if (periodBounds(p).start.slice(0, 4) < firstYear || p < certified[0]!) break;
      periods.unshift(p);
    }
    const series: CoverageSeriesEntry[] = [];
    for (const p of periods) {
      const c = coverageOf(p, await repo.coverageAgencies(cutoff, p));
      series.push({ ...c, tier: coverageTier(c) });
    }
    return series;
  }

  async function load(window: ReleaseWindow, now: Date): Promise<LoadedRelease> {
    const { table, officers, stored } = await loadTable(window.cutoff, now);
    const existing = stored?.release ?? (await repo.snapshot(window.cutoff))?.release;
    return { table, officers, release: existing ?? (await release(window, table, officers, now)) };
  }

  /** Renders and encodes the bodies of a loaded release. */
  async function render(window: ReleaseWindow, loaded: LoadedRelease): Promise<StatisticsRelease> {
    const { series, ...stored } = StoredCoverageSchema.parse(
      JSON.parse(loaded.release.coverageJson),
    );
    const coverage: Coverage = stored;
    const facts: ReleaseFacts = {
      version: loaded.release.version,
      coverage,
      tier: coverageTier(coverage),
      ...(series === undefined ? {} : { coverageSeries: series }),
    };
    const input = {
      period: options.period,
      window,
      table: loaded.table,
      officers: loaded.officers,
      facts,
    };
    await yieldToLoop();
    const json = await encodeBody(JSON.stringify(releaseDocument(input)));
    await yieldToLoop();
    const csv = await encodeBody(releaseCsv(input));
    return {
      ...input,
      manifest: loaded.release.releaseJws,
      logIndex: loaded.release.logIndex,
      json,
      csv,
    };
  }

  return {
    build,

    /** The release served at `now`. Concurrent callers share one load per cutoff. */
    async release(now: Date): Promise<StatisticsRelease> {
      const window = releaseWindow(options.period, now);
      const cutoff = window.cutoff.getTime();
      if (current?.cutoff !== cutoff) {
        const release = load(window, now).then((loaded) => render(window, loaded));
        current = { cutoff, release };
        // A failed load is not kept: the next request tries again.
        release.catch(() => {
          if (current?.release === release) current = undefined;
        });
      }
      return current.release;
    },
  };
}
