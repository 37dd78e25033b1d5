/**
 * Which attestations the public statistics count (docs/statistics.md §"What is counted").
 *
 * The hub keeps every signed statement; a change to an outcome is a new statement that
 * supersedes the previous one (docs/protocol.md §5.5.3). A table counts outcomes, not
 * statements, so exactly one statement per supersession chain can count: the current one (the
 * statement no other statement supersedes), and only when its status is `final`. A statement
 * that is `notice_sent` or `pending_appeal` is not yet a finding; `overturned`, `retracted` and
 * `expired` ones are no longer findings. The year is the calendar year of `outcomeDate`, the day
 * the outcome was decided or took effect: it does not move when a later status change (an
 * appeal decided, a dispute filed) supersedes the statement, unlike `statusDate`.
 *
 * The jurisdiction (level, state) is the issuer's in the registry given, i.e. the registry as of
 * the statistics run.
 */
import { isUsJurisdictionCode, type UsJurisdictionCode } from '../../../crypto/us-jurisdictions.js';
import { ATTESTATION_STATUSES, type AttestationStatus } from '../../../protocol/attestation.js';
import { CATEGORIES, type Category } from '../../../protocol/categories.js';
import { IsoDateSchema } from '../../../protocol/common.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../../protocol/registry-entry.js';
import { StatisticsError } from './errors.js';

/** The attestation fields the statistics read; the hub stores them beside each statement. */
export interface AttestationMetadataRow {
  readonly id: string;
  readonly issuer: string;
  readonly category: Category;
  readonly useOfForce: boolean;
  readonly outcomeDate: string;
  readonly status: AttestationStatus;
  readonly supersedes: string | null;
}

/** What the statistics need of a registry entry (protocol/registry-entry.ts). */
export interface AgencyJurisdiction {
  readonly jurisdiction: JurisdictionLevel;
  readonly state: UsJurisdictionCode | null;
}

/**
 * The state value of an agency with no single state: a federal headquarters, or a tribal agency
 * whose lands span several states (protocol/registry-entry.ts).
 */
export const NO_STATE = 'none';
export type StateValue = UsJurisdictionCode | typeof NO_STATE;

export interface CountableRecord {
  readonly id: string;
  readonly category: Category;
  readonly useOfForce: boolean;
  readonly year: number;
  readonly level: JurisdictionLevel;
  readonly state: StateValue;
}

/** The only status that counts. */
export const COUNTED_STATUSES: readonly AttestationStatus[] = ['final'];

/**
 * The records to count: the current statement of each supersession chain, when it is final,
 * with its year and its issuer's jurisdiction. Output order follows input order.
 *
 * Throws STATISTICS_DUPLICATE_ID, STATISTICS_SUPERSESSION_FORK (two statements supersede one),
 * STATISTICS_SUPERSESSION_ISSUER (a statement supersedes another issuer's),
 * STATISTICS_UNKNOWN_ISSUER (a counted row's issuer is not in `registry`) and
 * STATISTICS_RECORD_INVALID (bad date, category, status or jurisdiction). Intake guarantees none
 * of these; a table built over them would count something it cannot account for.
 */
export function selectCountableRecords(
  rows: readonly AttestationMetadataRow[],
  registry: ReadonlyMap<string, AgencyJurisdiction>,
): CountableRecord[] {
  const byId = new Map<string, { row: AttestationMetadataRow; index: number }>();
  rows.forEach((row, index) => {
    if (byId.has(row.id)) {
      throw new StatisticsError('STATISTICS_DUPLICATE_ID', 'duplicate id', {
        field: `rows[${index}].id`,
      });
    }
    byId.set(row.id, { row, index });
  });

  const supersededBy = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.supersedes === null) return;
    if (supersededBy.has(row.supersedes)) {
      throw new StatisticsError(
        'STATISTICS_SUPERSESSION_FORK',
        'two statements supersede the same statement',
        { field: `rows[${index}].supersedes` },
      );
    }
    supersededBy.set(row.supersedes, index);
    const previous = byId.get(row.supersedes);
    if (previous !== undefined && previous.row.issuer !== row.issuer) {
      throw new StatisticsError(
        'STATISTICS_SUPERSESSION_ISSUER',
        'a statement may only supersede a statement of its own issuer',
        { field: `rows[${index}].supersedes` },
      );
    }
  });

  const records: CountableRecord[] = [];
  rows.forEach((row, index) => {
    if (!(ATTESTATION_STATUSES as readonly string[]).includes(row.status)) {
      throw new StatisticsError('STATISTICS_RECORD_INVALID', 'unknown status', {
        field: field(index, 'status'),
      });
    }
    if (supersededBy.has(row.id) || !COUNTED_STATUSES.includes(row.status)) return;
    records.push(countableRecord(row, index, registry));
  });
  return records;
}

/**
 * The record a current, final row counts as; throws STATISTICS_RECORD_INVALID or
 * STATISTICS_UNKNOWN_ISSUER as selectCountableRecords does for the row at `index`. The hub,
 * which counts in SQL, calls it on the first row its query finds invalid, for the same error.
 */
export function countableRecord(
  row: AttestationMetadataRow,
  index: number,
  registry: ReadonlyMap<string, AgencyJurisdiction>,
): CountableRecord {
  if (!(CATEGORIES as readonly string[]).includes(row.category)) {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'unknown category', {
      field: field(index, 'category'),
    });
  }
  if (typeof row.useOfForce !== 'boolean') {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'not a boolean', {
      field: field(index, 'useOfForce'),
    });
  }
  if (!IsoDateSchema.safeParse(row.outcomeDate).success) {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'not a date', {
      field: field(index, 'outcomeDate'),
    });
  }
  const agency = registry.get(row.issuer);
  if (agency === undefined) {
    throw new StatisticsError('STATISTICS_UNKNOWN_ISSUER', 'issuer not in registry', {
      field: field(index, 'issuer'),
    });
  }
  if (!JURISDICTION_LEVELS.includes(agency.jurisdiction)) {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'unknown jurisdiction', {
      field: field(index, 'issuer'),
    });
  }
  if (agency.state !== null && !isUsJurisdictionCode(agency.state)) {
    throw new StatisticsError('STATISTICS_RECORD_INVALID', 'unknown state', {
      field: field(index, 'issuer'),
    });
  }
  return {
    id: row.id,
    category: row.category,
    useOfForce: row.useOfForce,
    year: Number(row.outcomeDate.slice(0, 4)),
    level: agency.jurisdiction,
    state: agency.state ?? NO_STATE,
  };
}

function field(index: number, name: string): string {
  return `rows[${index}].${name}`;
}
