/**
 * The public statistics table (design brief §8): counts by category × year × jurisdiction
 * level × state over the current, final statement of every chain, with small cells and their
 * complements suppressed. The maths is hub/statistics (pure); this service feeds it from the
 * database and keeps the last table until a new statement arrives, so that a busy public page
 * does not redo the suppression on every request.
 *
 * Known gap: a table rebuilt after every statement lets a reader difference two consecutive
 * tables; publishing periodic snapshots instead is the planned fix (docs/statistics.md).
 */
import {
  buildStatisticsTable,
  selectCountableRecords,
  type StatisticsTable,
} from '../statistics/index.js';
import type { HubDatabase } from '../registry/registry.repository.js';
import { statisticsRepository } from './statistics.repository.js';

/**
 * The years published: the current year and the nine before it (an outcome older than that is
 * past any retention rule). A fixed window keeps the table's shape the same from one release to
 * the next, and one stray old date cannot blow the table up.
 */
export const PUBLISHED_YEARS = 10;

export function publishedYears(now: Date): number[] {
  const last = now.getUTCFullYear();
  return Array.from({ length: PUBLISHED_YEARS }, (_, i) => last - PUBLISHED_YEARS + 1 + i);
}

export interface StatisticsServiceOptions {
  /** Smallest count published (SPX_STATS_MIN_CELL); smaller non-zero cells are suppressed. */
  readonly minCell: number;
}

export function statisticsService(db: HubDatabase, options: StatisticsServiceOptions) {
  const repo = statisticsRepository(db);
  let cached: { fingerprint: string; table: StatisticsTable } | undefined;

  return {
    async table(now: Date): Promise<StatisticsTable> {
      const fingerprint = await repo.fingerprint();
      if (cached?.fingerprint === fingerprint) return cached.table;
      const [rows, registry] = await Promise.all([repo.metadata(), repo.jurisdictions()]);
      const years = publishedYears(now);
      const records = selectCountableRecords(rows, registry).filter((r) => years.includes(r.year));
      const table = buildStatisticsTable(records, { now, minCell: options.minCell, years });
      cached = { fingerprint, table };
      return table;
    },
  };
}
