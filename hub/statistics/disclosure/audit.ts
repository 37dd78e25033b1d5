/**
 * Auditing a table as published (docs/statistics.md §Auditor): what could an attacker recover
 * from the rows alone? The auditor reads only what a reader of the release reads — the
 * published counts and flags, and the dimensions and domains in its metadata — never the
 * suppressed counts.
 */
import {
  auditBounds,
  SUPPRESSED_COMPLEMENTARY,
  SUPPRESSED_PRIMARY,
  SUPPRESSED_UNSPECIFIED,
} from './bounds-audit.js';
import { StatisticsError } from './errors.js';
import { auditLinear } from './linear-audit.js';
import type { PublishedRow } from './render.js';
import {
  rowDimensions,
  shapeOf,
  type RowDimensions,
  type StatisticsMetadata,
} from './statistics-table.js';

export interface AuditableTable {
  readonly metadata: Pick<StatisticsMetadata, 'dimensions' | 'domains' | 'minCell'>;
  readonly rows: readonly PublishedRow[];
}

export interface AuditFinding {
  readonly dimensions: RowDimensions;
  /** The value the attacker obtains (for a table built from true counts, the true count). */
  readonly value: number;
  /** 'equations': solving the additive relations; 'bounds': also using counts ≥ 1 (and reasons). */
  readonly by: 'equations' | 'bounds';
}

export interface AuditOptions {
  /**
   * Assume the attacker knows which suppressions are primary (count < minCell) and which
   * complementary (count ≥ minCell). Default false: releases do not say (render.ts). Set it when
   * auditing a copy that carries the reasons; expect findings then (docs/statistics.md §Reasons).
   */
  readonly assumeReasonsKnown?: boolean;
}

/** The suppressed cells an attacker can recover, in row order; empty when the table is safe. */
export function auditSuppression(
  table: AuditableTable,
  options: AuditOptions = {},
): AuditFinding[] {
  const shape = shapeOf(table.metadata);
  if (table.rows.length !== shape.cellCount) {
    throw new StatisticsError('STATISTICS_TABLE_INVALID', 'wrong number of rows', {
      field: 'rows',
    });
  }
  const status = new Uint8Array(shape.cellCount);
  const values = table.rows.map((row, cell) => {
    const expected = JSON.stringify(rowDimensions(shape, cell));
    if (JSON.stringify(row.dimensions) !== expected) {
      throw new StatisticsError('STATISTICS_TABLE_INVALID', 'rows out of order', {
        field: `rows[${cell}]`,
      });
    }
    if ((row.count === null) === (row.suppressed === null)) {
      throw new StatisticsError('STATISTICS_TABLE_INVALID', 'count xor flag', {
        field: `rows[${cell}]`,
      });
    }
    status[cell] =
      row.suppressed === null
        ? 0
        : row.suppressed === 'primary'
          ? SUPPRESSED_PRIMARY
          : row.suppressed === 'complementary'
            ? SUPPRESSED_COMPLEMENTARY
            : SUPPRESSED_UNSPECIFIED;
    return row.count;
  });
  const reasonsKnown = options.assumeReasonsKnown ?? false;
  const findings = new Map<number, AuditFinding>();
  for (const { cell, value } of auditLinear(shape, values, status)) {
    findings.set(cell, { dimensions: table.rows[cell]!.dimensions, value, by: 'equations' });
  }
  const knowledge = { minCell: table.metadata.minCell, reasonsKnown };
  for (const { cell, value } of auditBounds(shape, values, status, knowledge)) {
    if (!findings.has(cell)) {
      findings.set(cell, { dimensions: table.rows[cell]!.dimensions, value, by: 'bounds' });
    }
  }
  return [...findings.entries()].sort(([a], [b]) => a - b).map(([, finding]) => finding);
}
