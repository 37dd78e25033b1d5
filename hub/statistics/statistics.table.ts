/**
 * Released statistics tables, one per cutoff (docs/statistics.md, "Releases"). The first
 * replica to serve a cutoff builds its table and stores it here; every replica, and the same
 * hub after a restart, then serves that stored table for that cutoff. So one cutoff has one
 * table whatever happens later: a statement whose intake committed after the build, a
 * statement deleted by court order, a new SPX_HUB_STATS_MIN_CELL or a new version of the
 * suppression code change the next release, never a published one.
 */
import { bigint, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const statisticsSnapshots = pgTable(
  'statistics_snapshots',
  {
    /** Statements received before this instant are counted: the start of a period, UTC. */
    cutoff: timestamp('cutoff', { withTimezone: true, mode: 'date' }).primaryKey(),
    /** The threshold the table was built with. */
    minCell: integer('min_cell').notNull(),
    /**
     * The StatisticsTable as JSON text, suppression reasons included (the operator's copy; the
     * route publishes it without them). Text, not jsonb: jsonb reorders keys, and the release
     * must come back byte for byte.
     */
    tableJson: text('table_json').notNull(),
    /**
     * The distinct officers of the same statements (disclosure/officers.ts OfficerTable) as JSON
     * text, suppression reasons included; built with the table. Null for tables stored before
     * officers were counted: their releases have no `officers` member.
     */
    officersJson: text('officers_json'),
    /** When this hub built it. For the operator; not published. */
    builtAt: timestamp('built_at', { withTimezone: true, mode: 'date' }).notNull(),
    /**
     * The release made of the table (docs/protocol.md §5.17), set once in the transaction that
     * logs it: its number (1, 2, … across cutoffs), its coverage (protocol Coverage as JSON text)
     * and the hub's signed manifest. Null only between the table's storing and its release, and
     * for tables stored before releases were signed (released when next served).
     */
    version: integer('version'),
    coverageJson: text('coverage_json'),
    releaseJws: text('release_jws'),
    /** The release's leaf in the transparency log. */
    logIndex: bigint('log_index', { mode: 'number' }),
  },
  (t) => [uniqueIndex('statistics_snapshots_version_unique').on(t.version)],
);
