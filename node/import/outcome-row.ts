/**
 * One row of the outcomes format (docs/csv-formats.md §Outcomes), checked against the
 * protocol's rules for an attestation (docs/protocol.md §5.5): a known category of the current
 * list, a lifecycle status, dates in order and not in the future, the case number usable as
 * the opaque `localRef`, notified for pending_appeal and final, use of force for a civil
 * judgment for improper use of force. A row that imports can therefore be attested.
 * Rules that need the database (the officer exists, the status may follow the attested one)
 * are the importer's.
 */
import {
  ATTESTATION_STATUSES,
  MAX_LOCAL_REF_LENGTH,
  NOTIFIED_REQUIRED_STATUSES,
  type AttestationStatus,
} from '../../protocol/attestation.js';
import { CURRENT_CATEGORY_LIST_VERSION, isCategoryIn } from '../../protocol/categories.js';
import { opaqueRef } from '../../protocol/common.js';
import type { OutcomeFields } from '../store/outcomes.repository.js';
import type { CsvRow } from './csv-file.js';
import type { ImportIssue } from './issues.js';
import {
  employeeId,
  notBefore,
  optionalDate,
  required,
  requiredDate,
  RowIssues,
  yesNo,
} from './values.js';

export interface OutcomeRow {
  readonly line: number;
  readonly employeeId: string;
  readonly fields: OutcomeFields;
}

export type OutcomeRowResult =
  | { readonly ok: true; readonly row: OutcomeRow }
  | { readonly ok: false; readonly issues: readonly ImportIssue[]; readonly employeeId?: string };

const LOCAL_REF = opaqueRef(MAX_LOCAL_REF_LENGTH);

function caseNumber(value: string, row: RowIssues): string | undefined {
  if (required(value, 'case_number', row) === undefined) return undefined;
  if (!LOCAL_REF.safeParse(value).success) {
    // It travels to the hub as localRef: no spaces or free text, and never SSN-shaped.
    row.add(
      'case_number',
      'CASE_NUMBER_FORMAT',
      `case_number must be 1-${MAX_LOCAL_REF_LENGTH} characters A-Z a-z 0-9 . _ : / - and not look like an SSN`,
    );
    return undefined;
  }
  return value;
}

function category(value: string, row: RowIssues): string | undefined {
  if (required(value, 'category', row) === undefined) return undefined;
  const code = value.toLowerCase();
  if (!isCategoryIn(CURRENT_CATEGORY_LIST_VERSION, code)) {
    row.add(
      'category',
      'CATEGORY_UNKNOWN',
      `category is not a code of category list ${CURRENT_CATEGORY_LIST_VERSION}`,
    );
    return undefined;
  }
  return code;
}

function status(value: string, row: RowIssues): AttestationStatus | undefined {
  if (required(value, 'status', row) === undefined) return undefined;
  const code = value.toLowerCase();
  if (!(ATTESTATION_STATUSES as readonly string[]).includes(code)) {
    row.add('status', 'STATUS_UNKNOWN', `status must be one of ${ATTESTATION_STATUSES.join(', ')}`);
    return undefined;
  }
  return code as AttestationStatus;
}

export function validateOutcomeRow({ line, values: v }: CsvRow, today: string): OutcomeRowResult {
  const row = new RowIssues(line);
  const id = employeeId(v['employee_id']!, 'employee_id', row);
  const localRef = caseNumber(v['case_number']!, row);
  const cat = category(v['category']!, row);
  const useOfForce = yesNo(v['use_of_force']!, 'use_of_force', row);
  const eventDate = requiredDate(v['event_date']!, 'event_date', today, row);
  const outcomeDate = requiredDate(v['outcome_date']!, 'outcome_date', today, row);
  const stat = status(v['status']!, row);
  const statusDate = requiredDate(v['status_date']!, 'status_date', today, row);
  const notified = yesNo(v['officer_notified']!, 'officer_notified', row);
  const disputedSince = optionalDate(v['disputed_since']!, 'disputed_since', today, row);

  // Cross-field rules of §5.5, each naming the cell to correct.
  if (cat === 'civil_judgment_use_of_force' && useOfForce === false) {
    row.add('use_of_force', 'USE_OF_FORCE_REQUIRED', 'this category always involves use of force');
  }
  notBefore(outcomeDate, eventDate, 'outcome_date', 'event_date', row);
  notBefore(statusDate, outcomeDate, 'status_date', 'outcome_date', row);
  notBefore(disputedSince, outcomeDate, 'disputed_since', 'outcome_date', row);
  if (stat !== undefined && NOTIFIED_REQUIRED_STATUSES.includes(stat) && notified === false) {
    row.add(
      'officer_notified',
      'NOTIFIED_REQUIRED',
      `status ${stat} requires officer_notified = yes`,
    );
  }

  if (
    row.items.length > 0 ||
    id === undefined ||
    localRef === undefined ||
    cat === undefined ||
    useOfForce === undefined ||
    eventDate === undefined ||
    outcomeDate === undefined ||
    stat === undefined ||
    statusDate === undefined ||
    notified === undefined ||
    disputedSince === undefined
  ) {
    return { ok: false, issues: row.items, ...(id === undefined ? {} : { employeeId: id }) };
  }
  return {
    ok: true,
    row: {
      line,
      employeeId: id,
      fields: {
        localRef,
        category: cat,
        categoryList: CURRENT_CATEGORY_LIST_VERSION,
        useOfForce,
        eventDate,
        outcomeDate,
        status: stat,
        statusDate,
        notified,
        disputedSince,
      },
    },
  };
}
