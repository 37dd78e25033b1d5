/**
 * Certification deadlines (docs/protocol.md §5.15.2): by when an agency certifies a period, and
 * by when it reports a final decision. A versioned table, as the retention table is
 * (protocol/retention.ts): a published version never changes; a new version is a new entry of
 * CERTIFICATION_DEADLINE_TABLES, and hub and node apply CURRENT_CERTIFICATION_DEADLINE_VERSION.
 *
 * - `certifyDays`: the certification of a period is due that many days after the period's last
 *   day (the deadline is the last day still on time).
 * - `reportDays`: a final decision is to be reported within that many days of the decision
 *   (the statement's `statusDate`); null where the rule sets no limit. Used by timeliness
 *   reports; the certification itself only counts statements.
 *
 * Whose rule: agencies under state law (state, local, territorial) use the rule of their
 * registry `state` where the table has one; federal and tribal agencies, and states without an
 * entry, use `defaultRule`. Version 1 has no state entries: a state's rule enters as a new
 * version citing its source (as §5.13 describes for retention).
 */
import { periodBounds, type Period } from './certification.js';
import type { JurisdictionLevel } from './registry-entry.js';

export interface DeadlineRule {
  readonly certifyDays: number;
  readonly reportDays: number | null;
  readonly source: string;
}

export interface DeadlineTable {
  readonly version: number;
  readonly defaultRule: DeadlineRule;
  /** USPS code → rule. */
  readonly states: Readonly<Record<string, DeadlineRule>>;
}

/** Version 1: the SPX default for everyone. */
export const CERTIFICATION_DEADLINE_TABLE_V1: DeadlineTable = {
  version: 1,
  defaultRule: {
    certifyDays: 30,
    reportDays: 30,
    source:
      'SPX default: certify within 30 days after the period ends; report a final decision within 30 days',
  },
  states: {},
};

export const CERTIFICATION_DEADLINE_TABLES: readonly DeadlineTable[] = [
  CERTIFICATION_DEADLINE_TABLE_V1,
];
export const CURRENT_CERTIFICATION_DEADLINE_VERSION = 1;

export function certificationDeadlineTable(version: number): DeadlineTable {
  const table = CERTIFICATION_DEADLINE_TABLES.find((t) => t.version === version);
  if (table === undefined) throw new RangeError(`no certification deadline table ${version}`);
  return table;
}

/** The rule that binds an agency of `jurisdiction` in `state`. */
export function deadlineRule(
  table: DeadlineTable,
  jurisdiction: JurisdictionLevel,
  state: string | null,
): DeadlineRule {
  if (jurisdiction === 'federal' || jurisdiction === 'tribal' || state === null) {
    return table.defaultRule;
  }
  return table.states[state] ?? table.defaultRule;
}

/** The last day (`YYYY-MM-DD`, UTC) on which a certification of `period` is on time. */
export function certificationDeadline(period: Period, rule: DeadlineRule): string {
  const end = Date.parse(`${periodBounds(period).end}T00:00:00Z`);
  return new Date(end + rule.certifyDays * 86_400_000).toISOString().slice(0, 10);
}

export type CertificationTimeliness = 'on_time' | 'late';

/** Whether a certification received at `receivedAt` met the deadline `deadline`. */
export function timelinessOf(receivedAt: Date, deadline: string): CertificationTimeliness {
  return receivedAt.toISOString().slice(0, 10) <= deadline ? 'on_time' : 'late';
}
