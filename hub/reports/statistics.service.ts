/**
 * The public statistics table (design brief §8): counts by category × year × jurisdiction
 * level × state over the current, final statement of every chain, with small cells and their
 * complements suppressed. The maths is hub/statistics (pure); this service feeds it from the
 * database and keeps the last table until a new statement arrives, so that a busy public page
 * does not redo the suppression on every request.
 */
import {
  buildStatisticsTable,
  selectCountableRecords,
  type StatisticsTable,
} from '../statistics/index.js';
import type { HubDatabase } from '../registry/registry.repository.js';
import { statisticsRepository } from './statistics.repository.js';

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
      const records = selectCountableRecords(rows, registry);
      const table = buildStatisticsTable(records, { now, minCell: options.minCell });
      cached = { fingerprint, table };
      return table;
    },
  };
}
