/**
 * Retention (docs/protocol.md §5.13): when a record expires. A record expires a whole number of
 * years after its final decision, by a rule looked up in a versioned table — the reporting
 * state's rule for the category where the table has one, else the national rule. The hub stops
 * disclosing a record on the day it is due, from the signed statement and this table alone,
 * whether or not the reporting node has published its `expired` statement yet; the node
 * publishes that statement when it sees the record due. Pure: the clock comes in as data.
 *
 * Rules for new versions: a table version is never changed once published; a new version is a
 * new entry of RETENTION_TABLES, and hub and node apply CURRENT_RETENTION_TABLE_VERSION (a
 * change of law applies to records already held, as retention laws do). Every state entry
 * cites its source.
 *
 * Choices (where the issue is silent):
 * - Which statements run the clock: `final` and `overturned`, from `statusDate` (the day the
 *   decision became final, or the day it was overturned). A pending record (notice sent,
 *   pending appeal) has no final decision: its clock does not run, and a final record reopened
 *   by an appeal stops it; the new final decision starts it again from its own date.
 * - Whose rule: agencies under state law — state, local and territorial agencies — use the rule
 *   of their registry `state` (territories have their own entries, as states do). Federal and
 *   tribal agencies are not bound by state law: they use the national rule.
 * - `years: null` means no time limit: the record stands until its agency supersedes it. That
 *   is the national rule for decertifications: a revoked certificate is a standing bar, not a
 *   past event, so it is not hidden by age unless the reporting state's rule says it lapses.
 */
import type { AttestationPayload, AttestationStatus } from './attestation.js';
import type { Category } from './categories.js';
import type { JurisdictionLevel } from './registry-entry.js';

export interface RetentionRule {
  /** Whole years after the final decision; null: no time limit. */
  readonly years: number | null;
  /** Where the rule comes from. */
  readonly source: string;
}

export interface RetentionTable {
  readonly version: number;
  /** The rule of every category the table says nothing more about. */
  readonly defaultRule: RetentionRule;
  /** National rules by category, where they differ from `defaultRule`. */
  readonly categories: Readonly<Partial<Record<Category, RetentionRule>>>;
  /** A state's or territory's rules by category (USPS code → category → rule). */
  readonly states: Readonly<Record<string, Readonly<Partial<Record<Category, RetentionRule>>>>>;
}

const SPX_DEFAULT = 'SPX default: seven years after the final decision (design brief §6)';

/** Retention table version 1. */
export const RETENTION_TABLE_V1: RetentionTable = {
  version: 1,
  defaultRule: { years: 7, source: SPX_DEFAULT },
  categories: {
    decertification: {
      years: null,
      source: 'SPX: a decertification stands until the reporting board supersedes it',
    },
  },
  states: {
    CA: {
      decertification: {
        years: null,
        source:
          'Cal. Penal Code §13510.8 and Gov. Code §1029 (SB 2, 2021): a revoked certification is not reinstated',
      },
    },
  },
};

/** Every retention table this implementation knows, by version. */
export const RETENTION_TABLES: Readonly<Record<number, RetentionTable>> = {
  1: RETENTION_TABLE_V1,
};
/** The table hub and node apply. */
export const CURRENT_RETENTION_TABLE_VERSION = 1;
export const CURRENT_RETENTION_TABLE: RetentionTable =
  RETENTION_TABLES[CURRENT_RETENTION_TABLE_VERSION]!;

/** Statuses whose `statusDate` is a final decision that starts the retention clock. */
export const RETENTION_CLOCK_STATUSES: readonly AttestationStatus[] = ['final', 'overturned'];

/** Jurisdiction levels whose agencies are bound by their state's (or territory's) law. */
const STATE_LAW_LEVELS: readonly JurisdictionLevel[] = ['state', 'local', 'territorial'];

/** The reporting agency as the registry knows it (docs/protocol.md §5.3). */
export interface ReportingJurisdiction {
  readonly jurisdiction: JurisdictionLevel;
  readonly state: string | null;
}

/** The statement members retention reads. */
export type RetainedStatement = Pick<AttestationPayload, 'category' | 'status' | 'statusDate'>;

/** The rule that applies to a record of `category` reported by `reporter` under `table`. */
export function retentionRule(
  category: Category,
  reporter: ReportingJurisdiction,
  table: RetentionTable = CURRENT_RETENTION_TABLE,
): RetentionRule {
  const underState = STATE_LAW_LEVELS.includes(reporter.jurisdiction) && reporter.state !== null;
  const stateRule = underState ? table.states[reporter.state!]?.[category] : undefined;
  return stateRule ?? table.categories[category] ?? table.defaultRule;
}

/**
 * The first day on which `statement` is due to expire, `YYYY-MM-DD`; null when its clock does
 * not run (a pending or terminal status) or its rule has no time limit. Like the lookback
 * cut-off of §5.9, the day is `statusDate` with its year increased by the rule's years, compared
 * as a string — no calendar arithmetic: a decision of 2024-02-29 with seven years is due from
 * "2031-02-29", i.e. on 2031-03-01.
 */
export function retentionDueDate(
  statement: RetainedStatement,
  reporter: ReportingJurisdiction,
  table: RetentionTable = CURRENT_RETENTION_TABLE,
): string | null {
  if (!RETENTION_CLOCK_STATUSES.includes(statement.status)) return null;
  const { years } = retentionRule(statement.category, reporter, table);
  if (years === null) return null;
  const year = Number(statement.statusDate.slice(0, 4)) + years;
  // A day past 9999 cannot be written as a Date (§5.1.2): it never comes.
  if (year > 9999) return null;
  return `${String(year)}${statement.statusDate.slice(4)}`;
}

/** Whether `statement` is past its retention period at `now` (the UTC date of `now`). */
export function retentionDue(
  statement: RetainedStatement,
  reporter: ReportingJurisdiction,
  now: Date,
  table: RetentionTable = CURRENT_RETENTION_TABLE,
): boolean {
  const due = retentionDueDate(statement, reporter, table);
  return due !== null && now.toISOString().slice(0, 10) >= due;
}
