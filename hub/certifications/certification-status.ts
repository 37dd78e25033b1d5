/**
 * Where each agency stands on a period's certification (docs/hub.md "Certifications"): the
 * rows of `spx hub certifications`. Pure: the registry, the stored certifications and the
 * clock come in.
 *
 * - `on_time` / `late`: certified; by the period's first certification against its deadline
 *   (a later correction keeps the period's standing). `zeroReport` says whether the current
 *   one is a zero report.
 * - `due`: not certified yet, the deadline has not passed.
 * - `missing`: not certified, the deadline has passed.
 *
 * Every active agency is listed for every period asked for; a suspended agency only where it
 * certified.
 */
import {
  certificationDeadline,
  deadlineRule,
  timelinessOf,
  type DeadlineTable,
} from '../../protocol/certification-deadlines.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';

export const CERTIFICATION_STANDINGS = ['on_time', 'late', 'due', 'missing'] as const;
export type CertificationStanding = (typeof CERTIFICATION_STANDINGS)[number];

export interface CertificationRow {
  readonly id: string;
  readonly issuer: string;
  readonly period: string;
  readonly sworn: number;
  readonly statements: number;
  readonly zeroReport: boolean;
  readonly supersededBy: string | null;
  readonly receivedAt: Date;
}

export interface CertificationStatus {
  readonly ori: string;
  readonly period: string;
  readonly standing: CertificationStanding;
  readonly deadline: string;
  /** The current certification, or null. */
  readonly id: string | null;
  readonly sworn: number | null;
  readonly statements: number | null;
  readonly zeroReport: boolean | null;
  /** Certifications of the period, corrections included. */
  readonly versions: number;
}

/** What the status reads of a registry entry (the compliance report passes these alone). */
export type StatusAgency = Pick<RegistryEntry, 'ori' | 'jurisdiction' | 'status'> & {
  readonly state: string | null;
};

export function certificationStatus(
  agencies: readonly StatusAgency[],
  rows: readonly CertificationRow[],
  periods: readonly string[],
  table: DeadlineTable,
  now: Date,
): CertificationStatus[] {
  const byKey = new Map<string, CertificationRow[]>();
  for (const r of rows) {
    const key = `${r.issuer} ${r.period}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const today = now.toISOString().slice(0, 10);
  const out: CertificationStatus[] = [];
  for (const agency of [...agencies].sort((a, b) => (a.ori < b.ori ? -1 : a.ori > b.ori ? 1 : 0))) {
    const rule = deadlineRule(table, agency.jurisdiction, agency.state);
    for (const period of periods) {
      const versions = byKey.get(`${agency.ori} ${period}`) ?? [];
      if (versions.length === 0 && agency.status !== 'active') continue;
      const deadline = certificationDeadline(period, rule);
      const head = versions.find((v) => v.supersededBy === null);
      if (versions.length === 0 || head === undefined) {
        out.push({
          ori: agency.ori,
          period,
          standing: deadline < today ? 'missing' : 'due',
          deadline,
          id: null,
          sworn: null,
          statements: null,
          zeroReport: null,
          versions: 0,
        });
        continue;
      }
      const first = versions.reduce((a, b) => (a.receivedAt <= b.receivedAt ? a : b));
      out.push({
        ori: agency.ori,
        period,
        standing: timelinessOf(first.receivedAt, deadline),
        deadline,
        id: head.id,
        sworn: head.sworn,
        statements: head.statements,
        zeroReport: head.zeroReport,
        versions: versions.length,
      });
    }
  }
  return out;
}

/** The rows as an operator reads them. */
export function formatCertificationStatus(rows: readonly CertificationStatus[]): string {
  if (rows.length === 0) return 'No agencies.\n';
  const lines = rows.map((r) => {
    const standing = r.standing.replace('_', ' ');
    const detail =
      r.id === null
        ? `deadline ${r.deadline}`
        : `${r.zeroReport === true ? 'zero report' : `${r.statements} statements`}, ` +
          `${r.sworn} sworn, deadline ${r.deadline}` +
          (r.versions > 1 ? `, ${r.versions - 1} correction(s)` : '');
    return `${r.ori}  ${r.period}  ${standing.padEnd(7)}  ${detail}`;
  });
  return `${lines.join('\n')}\n`;
}
