/** What the demo prints: short, plain sentences a newcomer can follow. */
import { formatCheckText, type CheckPresentation } from '../../node/check/index.js';
import type { StoryCheck } from '../../node/synthetic/index.js';

type Out = (text: string) => void;

export function section(out: Out, title: string): void {
  out(`\n== ${title}\n`);
}

export function say(out: Out, text: string): void {
  out(`${text}\n`);
}

/** Prints one story check and returns the verdict the node reported. */
export function printCheck(
  out: Out,
  check: StoryCheck,
  checkerName: string,
  result: Record<string, unknown>,
): string {
  const presentation = result['result'] as CheckPresentation;
  const candidate = check.candidate;
  const entered = [
    `${candidate.firstName} ${candidate.lastName}`,
    candidate.dob ? `born ${candidate.dob}` : null,
    candidate.ssn ? 'SSN given' : null,
    candidate.license ? `licence ${candidate.license.state}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  out(`\n-- ${check.title}\n`);
  out(`${checkerName} checks a job applicant: ${entered}.\n\n`);
  out(
    formatCheckText(presentation)
      .split('\n')
      .map((l) => `   ${l}`)
      .join('\n'),
  );
  out(`\n   Why: ${check.explanation}\n`);
  return presentation.verdict;
}

interface PublishedRow {
  readonly dimensions: Record<string, string | number>;
  readonly count: number | null;
  readonly suppressed: string | null;
}

/** The one-way margins of the published table: totals by each dimension, and the grand total. */
export function printStatistics(out: Out, publication: Record<string, unknown>): void {
  const rows = (publication['rows'] ?? []) as readonly PublishedRow[];
  const metadata = (publication['metadata'] ?? {}) as Record<string, unknown>;
  const dimensions = Object.keys(rows[0]?.dimensions ?? {});
  const isTotal = (v: unknown) => v === '*';
  const cell = (r: PublishedRow) => (r.count === null ? 'suppressed' : String(r.count));
  const grand = rows.find((r) => dimensions.every((d) => isTotal(r.dimensions[d])));
  say(
    out,
    `Final, current records received before ${String(metadata['asOf'] ?? '?')}, as the hub released them`,
  );
  say(out, `once per period (cells under ${String(metadata['minCell'] ?? '?')} are suppressed,`);
  say(out, 'with complementary suppression so no hidden cell can be worked out from the totals):');
  for (const d of dimensions) {
    const margin = rows.filter(
      (r) =>
        !isTotal(r.dimensions[d]) && dimensions.every((o) => o === d || isTotal(r.dimensions[o])),
    );
    const shown = margin.filter((r) => r.count !== 0);
    if (shown.length === 0) continue;
    say(out, `  by ${d}:`);
    for (const r of shown) say(out, `    ${String(r.dimensions[d]).padEnd(34)} ${cell(r)}`);
    if (shown.length < margin.length) say(out, `    (every other ${d}: 0)`);
  }
  if (grand) say(out, `  all records: ${cell(grand)}`);
  say(out, `(${rows.length} cells in the full table: GET /v1/statistics, or ?format=csv)`);
}
