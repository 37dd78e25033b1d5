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
import { assembleTable, prepareGroupedTable, type StatisticsTable } from './disclosure/index.js';
import type { HubDatabase } from '../database.js';
import { releaseWindow, type ReleaseWindow, type StatisticsPeriod } from './statistics-period.js';
import { statisticsRepository } from './statistics.repository.js';
import { suppressInThread, type SuppressionRunner } from './suppression-thread.js';

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
}

export interface StatisticsRelease {
  readonly period: StatisticsPeriod;
  readonly window: ReleaseWindow;
  /** The stored table for `window.cutoff`, suppression reasons included (not for publication). */
  readonly table: StatisticsTable;
}

export function statisticsService(db: HubDatabase, options: StatisticsServiceOptions) {
  const repo = statisticsRepository(db);
  const suppress = options.suppress ?? suppressInThread;
  let current: { cutoff: number; table: Promise<StatisticsTable> } | undefined;

  /**
   * The table of the statements received before `cutoff`; the same for the same data, and the
   * same as buildStatisticsTable over selectCountableRecords of every row in id order (kept
   * byte for byte: statistics-release.test.ts). The database counts (one row per cell comes
   * back, not one per statement) and a worker thread suppresses, so neither the hub's memory
   * nor its event loop carries the build.
   */
  async function build(cutoff: Date): Promise<StatisticsTable> {
    const years = publishedYears(new Date(cutoff.getTime() - 1));
    const groups = await repo.releaseCounts(cutoff, years);
    const { prepared, counts } = prepareGroupedTable(groups, {
      now: cutoff,
      minCell: options.minCell,
      years,
    });
    return assembleTable(
      prepared,
      counts,
      await suppress(prepared.shape, counts, prepared.minCell),
    );
  }

  /** The stored table for `cutoff`, built and stored first if no replica has done so. */
  async function load(cutoff: Date, now: Date): Promise<StatisticsTable> {
    const stored = await repo.snapshot(cutoff);
    // Our own rows, written by build() below through JSON.stringify.
    if (stored) return JSON.parse(stored.tableJson) as StatisticsTable;
    const table = await build(cutoff);
    // Each step below is tens of milliseconds for the national table: one at a time, with the
    // checks that arrived meanwhile answered in between.
    await yieldToLoop();
    const tableJson = JSON.stringify(table);
    const kept = await repo.storeSnapshot({ cutoff, minCell: options.minCell, tableJson }, now);
    await repo.pruneSnapshots(SNAPSHOTS_KEPT);
    return kept.tableJson === tableJson ? table : (JSON.parse(kept.tableJson) as StatisticsTable);
  }

  return {
    build,

    /** The release served at `now`. Concurrent callers share one load per cutoff. */
    async release(now: Date): Promise<StatisticsRelease> {
      const window = releaseWindow(options.period, now);
      const cutoff = window.cutoff.getTime();
      if (current?.cutoff !== cutoff) {
        const table = load(window.cutoff, now);
        current = { cutoff, table };
        // A failed load is not kept: the next request tries again.
        table.catch(() => {
          if (current?.table === table) current = undefined;
        });
      }
      return { period: options.period, window, table: await current.table };
    },
  };
}
