/**
 * What an import reports: every problem of a file at once, each with the line it is on, the
 * column at fault and a stable code (docs/csv-formats.md). Messages name rules and columns,
 * never the values: import reports end up in terminals, logs and tickets, and the values are
 * people's identifiers.
 */
import type { ImportIssueCode } from '../errors.js';

export interface ImportIssue {
  /** 1-based line of the file where the row (or header) starts; null for the whole file. */
  readonly line: number | null;
  /** The column at fault, by its documented name; null when no single column is. */
  readonly field: string | null;
  readonly code: ImportIssueCode;
  readonly message: string;
}

/** Collects issues up to a cap, counting the ones left out. */
export class IssueList {
  readonly #items: ImportIssue[] = [];
  #count = 0;

  constructor(readonly max: number) {}

  add(line: number | null, field: string | null, code: ImportIssueCode, message: string): void {
    this.#count++;
    if (this.#items.length < this.max) this.#items.push({ line, field, code, message });
  }

  addAll(issues: readonly ImportIssue[]): void {
    for (const i of issues) this.add(i.line, i.field, i.code, i.message);
  }

  get count(): number {
    return this.#count;
  }

  get items(): readonly ImportIssue[] {
    return this.#items;
  }

  /** Issues by line (file-level first), then in the format's column order. */
  sorted(columnOrder: readonly string[] = []): ImportIssue[] {
    const rank = (field: string | null) => {
      const i = field === null ? -1 : columnOrder.indexOf(field);
      return i < 0 ? columnOrder.length : i;
    };
    return this.#items
      .map((issue, i) => ({ issue, i, rank: rank(issue.field) }))
      .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.rank - b.rank || a.i - b.i)
      .map((x) => x.issue);
  }
}
